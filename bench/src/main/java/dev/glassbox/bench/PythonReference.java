package dev.glassbox.bench;

import dev.glassbox.engine.data.Mnist;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Python interpreter that runs the reference scripts shipped in this module's resources
 * ({@code dev/glassbox/bench/*.py}), so PyTorch and scikit-learn are timed in the same run as Glassbox. Python is
 * never a build dependency: when the interpreter or a package is missing, {@link #missing} says so in one line and
 * the caller shows Glassbox's numbers alone.
 *
 * <p>Each script prints, as its last line starting with <code>{</code>, one flat JSON object of numbers and
 * version strings; {@link #run} returns its fields by key.
 */
public final class PythonReference {
    /** Debian's interpreter, where {@code python3-torch} and {@code python3-sklearn} install their packages. */
    public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    /** A flat JSON field: "key": "text" or "key": number. */
    private static final Pattern FIELD =
            Pattern.compile("\"([A-Za-z0-9_]+)\": *(?:\"([^\"]*)\"|(-?[0-9.]+(?:[eE][+-]?[0-9]+)?))");

    /** The fields of the JSON line a script printed. */
    public record Output(String script, Map<String, String> fields) {
        /** The number under {@code key}; an error naming the script when it printed none. */
        public double number(String key) throws IOException {
            String value = fields.get(key);
            if (value == null) {
                throw new IOException(script + " printed no '" + key + "' (it printed " + fields.keySet() + ")");
            }
            return Double.parseDouble(value);
        }

        /** The text under {@code key}, or "?" (used for version strings shown beside the numbers). */
        public String text(String key) {
            return fields.getOrDefault(key, "?");
        }
    }

    private final String interpreter;
    private final Path workDir;

    private PythonReference(String interpreter, Path workDir) {
        this.interpreter = interpreter;
        this.workDir = workDir;
    }

    /**
     * The interpreter to use: {@code explicit} when given, else Debian's {@code /usr/bin/python3} when it exists
     * (a pyenv or venv {@code python3} earlier on the PATH usually lacks torch), else {@code python3} from the PATH.
     */
    public static PythonReference find(String explicit) throws IOException {
        String interpreter = explicit != null ? explicit
                : Files.isExecutable(DEBIAN_PYTHON) ? DEBIAN_PYTHON.toString() : "python3";
        return new PythonReference(interpreter, Files.createTempDirectory("glassbox-bench"));
    }

    public String interpreter() {
        return interpreter;
    }

    /**
     * Null when the interpreter runs and imports every module in {@code modules}; otherwise one line saying what
     * is missing (no interpreter, or which import failed and why).
     */
    public String missing(String... modules) {
        String imports = "import " + String.join(", ", modules);
        try {
            Process p = new ProcessBuilder(interpreter, "-c", imports).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return interpreter + " did not finish '" + imports + "' within 2 minutes";
            }
            return p.exitValue() == 0 ? null
                    : interpreter + " cannot '" + imports + "': " + lastLine(out);
        } catch (IOException e) {
            return "no Python interpreter at " + interpreter + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing " + interpreter;
        }
    }

    /**
     * Runs the bundled script {@code name} with {@code args} and returns the fields of the JSON object it prints
     * last. A script that fails or prints no JSON is an error naming the script and its last line of output.
     */
    public Output run(String name, List<String> args) throws IOException, InterruptedException {
        Path script = extract(PythonReference.class, "/dev/glassbox/bench/" + name);
        List<String> command = new ArrayList<>(List.of(interpreter, script.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(name + " failed: " + lastLine(out));
        }
        return parse(name, out);
    }

    /** The fields of the last line of {@code output} that starts with <code>{</code>. */
    static Output parse(String script, String output) throws IOException {
        String json = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IOException(script + " printed no JSON line: " + lastLine(output)));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            fields.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return new Output(script, fields);
    }

    /** The shipped digits' IDX files (images, labels), copied out of the engine jar for a script to read. */
    public Path[] shippedDigits() throws IOException {
        return new Path[] {extract(Mnist.class, "mnist10k-images-idx3-ubyte.gz"),
            extract(Mnist.class, "mnist10k-labels-idx1-ubyte.gz")};
    }

    /** A file in this reference's scratch folder (for inputs the caller writes, such as an .npy). */
    public Path scratch(String fileName) {
        return workDir.resolve(fileName);
    }

    private Path extract(Class<?> anchor, String resource) throws IOException {
        Path target = workDir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " missing from the jar of " + anchor.getName());
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static String lastLine(String output) {
        return output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no output)").trim();
    }
}

// Used by EpochReport and PerformanceSuite; run them as bench/README.md shows, e.g.
//   ./glassbox bench --quick --compare
