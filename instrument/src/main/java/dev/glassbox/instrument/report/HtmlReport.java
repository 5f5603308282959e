package dev.glassbox.instrument.report;

import dev.glassbox.instrument.chart.Figure;
import dev.glassbox.instrument.stats.HealthReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One self-contained HTML page: every figure inlined, as an {@code <svg>} element or as a PNG in a {@code data:}
 * URI, and the styles in the page, so it opens anywhere, offline, and can be mailed as one file. Build it top to
 * bottom:
 *
 * <pre>
 *   HtmlReport report = new HtmlReport("Seed CNN after one epoch");
 *   report.section("Health").findings(monitor.report().findings()).table(HealthReport.COLUMNS, rows);
 *   report.section("Gradients").figure(Charts.lines(...), "mean |gradient| per layer");
 *   report.write(Path.of("report.html"));
 * </pre>
 *
 * All text is escaped; only the SVG that JFreeSVG produced goes in as markup. A figure with thousands of marks
 * (a t-SNE map with a label per point and image thumbnails) weighs a few hundred kB as SVG and a third of that as
 * PNG: write both beside the page ({@link Figure#writePng}, {@link Figure#writeSvg}) and {@link #image} inlines the
 * bitmap with a caption linking the SVG.
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse;font-size:12px;margin:1em 0;display:block;overflow-x:auto}"
            + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child,th:first-child"
            + "{text-align:left}th{background:#f0f0f0}figure{margin:1em 0}figcaption{color:#555;font-size:13px}"
            + ".finding{color:#a00}.ok{color:#070}figure img{max-width:100%;height:auto}"
            + "figure.inline{display:inline-block;vertical-align:top;margin:0.5em 1em 0.5em 0}"
            + "img.pixels{image-rendering:pixelated}td{white-space:nowrap}td.text{white-space:normal}"
            + "nav ol{margin:0.5em 0;padding-left:1.5em}";

    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<String> sections = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    /** Starts a new section with a heading; a page with two or more lists them at the top, as links. */
    public HtmlReport section(String heading) {
        sections.add(heading);
        body.append("<h2 id=\"").append(sectionId(sections.size())).append("\">").append(escape(heading))
                .append("</h2>\n");
        return this;
    }

    private static String sectionId(int number) {
        return "section-" + number;
    }

    /** A paragraph of plain text. */
    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A link to another page written beside the report (a relative path). */
    public HtmlReport link(String text, String href) {
        body.append("<p><a href=\"").append(escape(href)).append("\">").append(escape(text)).append("</a></p>\n");
        return this;
    }

    /** Preformatted text (a summary table, a log). */
    public HtmlReport preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /** A figure, inlined as SVG, with a caption. */
    public HtmlReport figure(Figure figure, String caption) {
        body.append("<figure>").append(figure.toSvg()).append("<figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    /**
     * An image already encoded as PNG (a file written beside the page, read back), inlined {@code displayWidth}
     * pixels wide beside the previous one, with a caption that links to {@code href} unless it is null. A
     * {@code pixelArt} image (feature maps, filter patterns, heat maps) keeps its pixels sharp when scaled.
     */
    public HtmlReport image(byte[] png, int displayWidth, String caption, String href, boolean pixelArt) {
        body.append("<figure class=\"inline\" style=\"width:").append(displayWidth).append("px\"><img")
                .append(pixelArt ? " class=\"pixels\"" : "").append(" width=\"").append(displayWidth)
                .append("\" alt=\"").append(escape(caption))
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\"><figcaption>");
        if (href != null) {
            body.append("<a href=\"").append(escape(href)).append("\">").append(escape(caption)).append("</a>");
        } else {
            body.append(escape(caption));
        }
        body.append("</figcaption></figure>\n");
        return this;
    }

    /** The health findings as a table of place and message; says so when there are none. */
    public HtmlReport findings(List<HealthReport.Finding> findings) {
        if (findings.isEmpty()) {
            body.append("<p class=\"ok\">No findings: no saturation, dead units, NaN/Inf or runaway updates above"
                    + " the thresholds.</p>\n");
            return this;
        }
        body.append("<table><tr><th>where</th><th>finding</th></tr>\n");
        for (HealthReport.Finding f : findings) {
            body.append("<tr class=\"finding\"><td>").append(escape(f.where())).append("</td><td class=\"text\""
                    + " style=\"text-align:left\">").append(escape(f.message())).append("</td></tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A table with a header row. */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table><tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(cell -> body.append("<td>").append(escape(cell)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** The whole page. */
    public String toHtml() {
        StringBuilder contents = new StringBuilder();
        if (sections.size() > 1) {
            contents.append("<nav><ol>");
            for (int i = 0; i < sections.size(); i++) {
                contents.append("<li><a href=\"#").append(sectionId(i + 1)).append("\">")
                        .append(escape(sections.get(i))).append("</a></li>");
            }
            contents.append("</ol></nav>\n");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><style>" + STYLE + "</style></head><body>\n<h1>" + escape(title) + "</h1>\n" + contents
                + body + "</body></html>\n";
    }

    /** Writes the page to {@code file} (UTF-8). */
    public void write(Path file) throws IOException {
        Files.writeString(file, toHtml(), StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
