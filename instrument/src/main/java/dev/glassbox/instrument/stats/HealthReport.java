package dev.glassbox.instrument.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The health statistics of a {@link HealthMonitor} turned into findings a person can act on, and into tables.
 * Thresholds (each finding says which one it crossed):
 * <ul>
 * <li>{@link #SATURATION_WARNING}: at least half the units of a tanh / sigmoid / softmax layer saturated (see
 *     {@link Saturation} for when one unit counts);</li>
 * <li>{@link #DEAD_WARNING}: at least a fifth of a ReLU layer's units zero for every example of an epoch (or of
 * all seen, before an epoch has finished; the finding says which, and how many examples);</li>
 * <li>the first NaN and the first infinity, each with its step and place;</li>
 * <li>{@link #UPDATE_RATIO_HIGH}: a mean update-to-weight ratio above 0.1 (updates rewrite the weights), judged
 *     on weight matrices and kernels only. A bias (or any other vector of one value per unit) starts at 0, so
 *     while it is still small its ratio is large by construction: the seed MLP's biases keep ratios of 0.1–0.25
 *     through its first epoch at a learning rate whose weight ratios are 10⁻⁴ to 0.02;</li>
 * <li>a parameter whose gradient was exactly zero at every step (nothing reaches it).</li>
 * </ul>
 */
public final class HealthReport {
    public static final double SATURATION_WARNING = 0.5;
    public static final double DEAD_WARNING = 0.2;
    public static final double UPDATE_RATIO_HIGH = 0.1;

    /** One observation: the layer or parameter it is about, and a sentence. */
    public record Finding(String where, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    /** Column names of {@link #rows()} and of the TSV file. */
    public static final List<String> COLUMNS = List.of("name", "kind", "count", "mean", "std", "mean_abs", "min",
            "max", "zero_fraction", "saturated_fraction", "dead_fraction", "nan", "inf", "grad_norm_last",
            "update_ratio_mean");

    private final List<Finding> findings;
    private final List<List<String>> rows;

    private HealthReport(List<Finding> findings, List<List<String>> rows) {
        this.findings = List.copyOf(findings);
        this.rows = List.copyOf(rows);
    }

    static HealthReport of(HealthMonitor monitor) {
        List<Finding> findings = new ArrayList<>();
        for (HealthMonitor.NonFinite first : new HealthMonitor.NonFinite[] {monitor.firstNaN(),
                monitor.firstInfinity()}) {
            if (first != null) {
                findings.add(new Finding(first.where(), first.toString()));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (LayerHealth layer : monitor.layers()) {
            double saturated = layer.saturatedFraction();
            if (saturated >= SATURATION_WARNING) {
                findings.add(new Finding(layer.name(), String.format(Locale.ROOT,
                        "%s: %.0f %% of units saturated (%s rule, threshold %.0f %%)", layer.name(), 100 * saturated,
                        layer.saturationRule().name().toLowerCase(Locale.ROOT), 100 * SATURATION_WARNING)));
            }
            double dead = layer.deadFraction();
            if (dead >= DEAD_WARNING) {
                long examples = layer.deadFractionExamples();
                boolean epoch = layer.deadFractionOfAnEpoch();
                String whose = epoch ? "the last epoch's " : "the ";
                String over = (examples == 1 ? whose + "one example" : "every one of " + whose + examples + " examples")
                        + (epoch ? "" : " seen, no epoch finished");
                findings.add(new Finding(layer.name(), String.format(Locale.ROOT,
                        "%s: %.0f %% dead units (zero for %s; threshold %.0f %%)", layer.name(), 100 * dead, over,
                        100 * DEAD_WARNING)));
            }
            rows.add(row(layer.name(), "activation", layer.activations(), saturated, dead, Double.NaN, Double.NaN));
            if (layer.outputGradients().count() > 0) {
                rows.add(row(layer.name(), "output_gradient", layer.outputGradients(), Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN));
            }
        }
        for (ParameterHealth p : monitor.parameters()) {
            double ratio = p.updateRatioPerStep().mean();
            if (ratio > UPDATE_RATIO_HIGH && p.parameter().value().rank() >= 2) {
                findings.add(new Finding(p.name(), String.format(Locale.ROOT,
                        "%s: mean update/weight ratio %.3g (above %.1g: updates rewrite the weights)", p.name(), ratio,
                        UPDATE_RATIO_HIGH)));
            }
            RunningStats g = p.gradients();
            if (g.count() > 0 && g.zeroFraction() == 1.0) {
                findings.add(new Finding(p.name(), p.name() + ": gradient exactly zero at every step (vanished)"));
            }
            rows.add(row(p.name(), "gradient", g, Double.NaN, Double.NaN, p.gradientNormPerStep().last(), ratio));
        }
        if (monitor.inputGradients().count() > 0) {
            rows.add(row("input", "input_gradient", monitor.inputGradients(), Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN));
        }
        return new HealthReport(findings, rows);
    }

    private static List<String> row(String name, String kind, RunningStats s, double saturated, double dead,
            double gradNorm, double updateRatio) {
        return List.of(name, kind, Long.toString(s.count()), number(s.mean()), number(s.std()), number(s.meanAbs()),
                number(s.min()), number(s.max()), number(s.zeroFraction()), number(saturated), number(dead),
                Long.toString(s.nanCount()), Long.toString(s.infinityCount()), number(gradNorm), number(updateRatio));
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
    }

    /** The findings, most urgent (non-finite values) first. */
    public List<Finding> findings() {
        return findings;
    }

    /** One row per layer output, layer output gradient, parameter gradient and the input gradient. */
    public List<List<String>> rows() {
        return rows;
    }

    /** The rows as tab-separated values with a header line (empty cells where a statistic does not apply). */
    public String toTsv() {
        StringBuilder out = new StringBuilder(String.join("\t", COLUMNS)).append('\n');
        rows.forEach(r -> out.append(String.join("\t", r)).append('\n'));
        return out.toString();
    }

    /** A fixed-width table of the main columns, for a terminal. */
    public String toTable() {
        String format = "%-22s %-16s %11s %11s %11s %11s %11s %6s %6s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format, "name", "kind", "mean", "std",
                "mean|x|", "min", "max", "sat", "dead"));
        for (List<String> r : rows) {
            out.append(String.format(Locale.ROOT, format, r.get(0), r.get(1), r.get(3), r.get(4), r.get(5), r.get(6),
                    r.get(7), r.get(9), r.get(10)));
        }
        return out.toString();
    }
}
