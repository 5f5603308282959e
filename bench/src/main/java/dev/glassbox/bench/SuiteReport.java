package dev.glassbox.bench;

import dev.glassbox.instrument.chart.Charts;
import dev.glassbox.instrument.report.HtmlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The performance suite's results as text: the same two tables (JMH results; comparisons with ratio, target and
 * met/missed) printed to the terminal, written as {@code bench.md} (Markdown, to paste into a README), and as
 * {@code bench.html} (one self-contained page through {@link HtmlReport}, with the ratios and their targets drawn
 * as bars by {@link Charts#bars}).
 */
record SuiteReport(String title, MachineInfo machine, String settings, List<JmhSuite.Row> jmh,
        List<Comparison> comparisons, List<String> notes) {

    static final List<String> JMH_HEADER = List.of("benchmark", "parameters", "score", "± error", "unit");
    static final List<String> COMPARISON_HEADER = List.of("workload", "Glassbox", "reference", "reference value",
            "unit", "Glassbox / reference", "target", "status");

    List<List<String>> jmhRows() {
        List<List<String>> rows = new ArrayList<>();
        for (JmhSuite.Row r : jmh) {
            rows.add(List.of(r.benchmark(), r.params(), Comparison.format(r.score()), Comparison.format(r.error()),
                    r.unit()));
        }
        return rows;
    }

    List<List<String>> comparisonRows() {
        List<List<String>> rows = new ArrayList<>();
        for (Comparison c : comparisons) {
            rows.add(List.of(c.workload(), Comparison.format(c.glassbox()), c.reference(),
                    Comparison.format(c.referenceValue()), c.unit(), Comparison.format(c.ratio()), c.targetText(),
                    c.status()));
        }
        return rows;
    }

    /** Both tables as aligned plain text, for the terminal. */
    String toText() {
        StringBuilder out = new StringBuilder(machine.describe()).append('\n').append(settings).append("\n\n");
        if (!jmh.isEmpty()) {
            out.append(aligned(JMH_HEADER, jmhRows())).append('\n');
        }
        if (!comparisons.isEmpty()) {
            out.append(aligned(COMPARISON_HEADER, comparisonRows())).append('\n');
        }
        notes.forEach(n -> out.append("note: ").append(n).append('\n'));
        return out.toString();
    }

    String toMarkdown() {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n\n").append(machine.describe())
                .append(".  \n").append(settings).append("\n\n");
        if (!comparisons.isEmpty()) {
            out.append("## Side by side\n\n").append(markdown(COMPARISON_HEADER, comparisonRows())).append('\n');
        }
        if (!jmh.isEmpty()) {
            out.append("## JMH\n\n").append(markdown(JMH_HEADER, jmhRows())).append('\n');
        }
        if (!notes.isEmpty()) {
            out.append("## Notes\n\n");
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    HtmlReport toHtml() {
        HtmlReport html = new HtmlReport(title);
        html.paragraph(machine.describe() + ".").paragraph(settings);
        if (!comparisons.isEmpty()) {
            html.section("Side by side").table(COMPARISON_HEADER, comparisonRows());
            List<String> workloads = new ArrayList<>();
            double[] ratios = new double[comparisons.size()];
            double[] targets = new double[comparisons.size()];
            for (int i = 0; i < comparisons.size(); i++) {
                workloads.add(comparisons.get(i).workload());
                ratios[i] = comparisons.get(i).ratio();
                targets[i] = comparisons.get(i).target();
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("Glassbox / reference", ratios);
            series.put("target", targets);
            html.figure(Charts.bars("Glassbox / reference", "ratio", workloads, series),
                    "Each workload's ratio beside its target. Times (s, ms/step) meet the target at or below it,"
                            + " throughputs (GFLOP/s, images/s) at or above it.");
        }
        if (!jmh.isEmpty()) {
            html.section("JMH").table(JMH_HEADER, jmhRows());
        }
        if (!notes.isEmpty()) {
            html.section("Notes");
            notes.forEach(html::paragraph);
        }
        return html;
    }

    /** Writes {@code dir/bench.md} and {@code dir/bench.html}; returns their paths. */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path markdown = dir.resolve("bench.md");
        Path page = dir.resolve("bench.html");
        Files.writeString(markdown, toMarkdown(), StandardCharsets.UTF_8);
        toHtml().write(page);
        return List.of(markdown, page);
    }

    private static String markdown(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int c = 0; c < header.size(); c++) {
            int column = c;
            boolean numbers = !rows.isEmpty() && rows.stream().allMatch(row -> isNumber(row.get(column)));
            out.append(numbers ? "---:|" : "---|");                // numbers right-aligned, text left
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row.stream().map(cell -> cell.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static boolean isNumber(String cell) {
        return cell.equals("n/a") || cell.matches("[-+]?[0-9.]+(e[-+]?[0-9]+)?");
    }

    private static String aligned(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>(List.of(header));
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                String format = c == 0 ? "%-" + widths[c] + "s" : "  %" + widths[c] + "s";
                out.append(String.format(Locale.ROOT, format, row.get(c)));
            }
            out.append('\n');
        }
        return out.toString();
    }
}

// Written by PerformanceSuite; run it as bench/README.md shows, e.g.
//   ./glassbox bench --quick --compare
