package dev.glassbox.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opens an HTML page in headless Chromium and reports what a reader would meet: script errors, console errors,
 * resources that failed or were refused, and the rendered size of every figure. The page is copied beside itself
 * with a probe script and a content-security policy injected at the start of its head: the policy allows only
 * inline styles, inline scripts and {@code data:} images, so anything the page would fetch (from the network or
 * from a file) is refused and reported, which is what "self-contained" means. When the page has loaded, the
 * probe writes its verdict as JSON into the DOM, and {@code --dump-dom} hands the DOM back.
 */
final class BrowserCheck {
    private static final String PROBE = """
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; \
            style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <script>
            (function () {
              var problems = [];
              window.addEventListener('error', function (e) {
                var t = e.target;
                if (t && t !== window && (t.src || t.href)) {
                  problems.push('failed to load ' + String(t.src || t.href).slice(0, 120));
                } else {
                  problems.push('script error: ' + e.message);
                }
              }, true);
              var consoleError = console.error;
              console.error = function () {
                problems.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
                consoleError.apply(console, arguments);
              };
              document.addEventListener('securitypolicyviolation', function (e) {
                problems.push('refused to load ' + e.blockedURI + ' (' + e.violatedDirective + ')');
              });
              window.addEventListener('load', function () {
                var figures = [];
                document.querySelectorAll('img, svg').forEach(function (f) {
                  if (f.tagName.toLowerCase() === 'svg' && f.parentElement.closest('svg')) {
                    return;
                  }
                  var r = f.getBoundingClientRect();
                  var decoded = f.tagName.toLowerCase() !== 'img' || (f.complete && f.naturalWidth > 0);
                  figures.push({tag: f.tagName.toLowerCase(), width: r.width, height: r.height, decoded: decoded,
                    label: (f.getAttribute('alt') || '').slice(0, 60)});
                });
                var verdict = document.createElement('pre');
                verdict.id = 'glassbox-verdict';
                verdict.textContent = JSON.stringify({problems: problems, figures: figures});
                document.body.appendChild(verdict);
              });
            })();
            </script>
            """;
    private static final String START = "<pre id=\"glassbox-verdict\">";

    /** One figure as rendered. */
    record Figure(String tag, double width, double height, boolean decoded, String label) {}

    /** What the browser met: problems (empty when none) and every top-level svg and img. */
    record Verdict(List<String> problems, List<Figure> figures) {}

    private BrowserCheck() {}

    /** Chromium on this machine, if any (Debian's package installs /usr/bin/chromium). */
    static Optional<Path> chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Loads {@code page} in headless {@code browser} and returns its verdict. */
    static Verdict check(Path browser, Path page) throws IOException, InterruptedException {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int head = html.indexOf("<head>");
        if (head < 0) {
            throw new IllegalArgumentException(page + " has no <head> to inject the probe into");
        }
        head += "<head>".length();
        Path probed = page.resolveSibling("browser-check-" + page.getFileName());
        Files.writeString(probed, html.substring(0, head) + PROBE + html.substring(head), StandardCharsets.UTF_8);
        Path profile = Files.createTempDirectory(page.getParent(), "chromium-profile");
        Path dom = page.resolveSibling("browser-check-dom.html");
        Path log = page.resolveSibling("browser-check-log.txt");
        Process process = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=10000",
                "--dump-dom", probed.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish within 120 s; its log: " + log);
        }
        String out = Files.readString(dom, StandardCharsets.UTF_8);
        int start = out.indexOf(START);
        if (start < 0) {
            throw new IllegalStateException("chromium exited with " + process.exitValue() + " and the page wrote no"
                    + " verdict (did it load?); its log: " + log);
        }
        start += START.length();
        String json = out.substring(start, out.indexOf("</pre>", start)).replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
        JsonNode verdict = new ObjectMapper().readTree(json);
        List<String> problems = new java.util.ArrayList<>();
        verdict.get("problems").forEach(p -> problems.add(p.asText()));
        List<Figure> figures = new java.util.ArrayList<>();
        verdict.get("figures").forEach(f -> figures.add(new Figure(f.get("tag").asText(), f.get("width").asDouble(),
                f.get("height").asDouble(), f.get("decoded").asBoolean(), f.get("label").asText())));
        return new Verdict(problems, figures);
    }
}
