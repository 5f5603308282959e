package dev.glassbox.instrument.report;

import dev.glassbox.instrument.chart.Charts;
import dev.glassbox.instrument.chart.Figure;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.instrument.stats.HealthReport;
import dev.glassbox.instrument.stats.LayerHealth;
import dev.glassbox.instrument.stats.ParameterHealth;
import dev.glassbox.instrument.stats.Series;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The sections of an {@link HtmlReport} that show what a {@link HealthMonitor} saw: its findings, how each layer
 * and parameter moved over the training steps, the histograms of the layers' outputs, and the statistics table.
 * {@code glassbox train --health-report} writes all of them, {@code glassbox inspect} takes the histograms, and
 * the tour shows the curves of the seed CNN's first epoch ({@link #curvesOverSteps}, as figures to place).
 *
 * <p>The curves over steps are the ones to read first when training goes wrong. A layer whose mean |output|
 * collapses towards 0 or grows without bound, a gradient norm that grows by orders of magnitude, and an
 * update-to-weight ratio far from the usual 10⁻³ (above 10⁻¹ the weights change too fast, below 10⁻⁵ they hardly
 * move) each point at one layer. Every y axis is logarithmic: these quantities differ between layers by orders of
 * magnitude.
 */
public final class HealthSections {
    private HealthSections() {}

    /** Adds the sections "Findings", "Over the training steps", "Histograms" and "Statistics". */
    public static void addAll(HtmlReport report, HealthMonitor monitor, HealthReport health) {
        report.section("Findings").findings(health.findings());
        overSteps(report, monitor);
        histograms(report, monitor);
        report.section("Statistics").table(HealthReport.COLUMNS, health.rows());
    }

    /** A figure and the caption it is shown with. */
    public record Captioned(Figure figure, String caption) { }

    /**
     * A section of the {@link #curvesOverSteps curves over the steps} the monitor watched, each shown inline, after
     * a sentence saying which steps those were.
     */
    public static void overSteps(HtmlReport report, HealthMonitor monitor) {
        report.section("Over the training steps").paragraph(watchedSteps(monitor));
        for (Captioned curve : curvesOverSteps(monitor)) {
            report.figure(curve.figure(), curve.caption());
        }
    }

    /** "Statistics taken at every ... step(s) ...": which steps the curves' points are. */
    public static String watchedSteps(HealthMonitor monitor) {
        int interval = monitor.interval();
        String watched = interval == 1 ? "every step"
                : "every " + interval + " steps (steps 0, " + interval + ", " + 2 * interval + ", ...)";
        return "Statistics taken at " + watched + "; x is the training step, counted from 0.";
    }

    /**
     * Curves over the steps the monitor watched (every {@link HealthMonitor#interval()}-th from step 0): the loss
     * of every batch, when the monitor was a listener of {@code Trainer.fit}; each layer's mean |output| (and mean
     * |gradient| at its output, when those were watched); each parameter's gradient norm and update-to-weight
     * ratio ‖Δw‖/‖w‖. A curve with no values is left out.
     */
    public static List<Captioned> curvesOverSteps(HealthMonitor monitor) {
        int interval = monitor.interval();
        List<Captioned> curves = new ArrayList<>();
        Series losses = monitor.losses();
        if (losses.size() > 0) {
            curves.add(new Captioned(Charts.lines("Loss", "training step", "loss", Map.of("loss", losses.toArray()),
                    true, 0, 1), "the loss of every batch (log scale)"));
        }
        List<LayerHealth> layers = monitor.layers();
        List<ParameterHealth> parameters = monitor.parameters();
        curves(curves, interval, "Mean |output| of each layer", "mean |output|", layers, LayerHealth::name,
                LayerHealth::meanAbsActivationPerStep, "each layer's mean |output| (log scale)");
        curves(curves, interval, "Mean |gradient| at each layer's output", "mean |dL/d output|", layers,
                LayerHealth::name, LayerHealth::meanAbsGradientPerStep,
                "each layer's mean |dL/d(output)| (log scale): where it shrinks layer by layer, gradients vanish");
        curves(curves, interval, "Gradient norm of each parameter", "‖gradient‖", parameters, ParameterHealth::name,
                ParameterHealth::gradientNormPerStep, "the L2 norm of each parameter's gradient (log scale)");
        curves(curves, interval, "Update-to-weight ratio of each parameter", "‖Δw‖ / ‖w‖", parameters,
                ParameterHealth::name, ParameterHealth::updateRatioPerStep, "‖Δw‖/‖w‖ of each optimizer step (log"
                        + " scale); around 10⁻³ is usual for weights, above " + HealthReport.UPDATE_RATIO_HIGH
                        + " they change too fast (biases start at 0: theirs is large at first)");
        return curves;
    }

    /** One figure with a line for each item whose series has values, or nothing when none has. */
    private static <T> void curves(List<Captioned> curves, int interval, String title, String yLabel, List<T> items,
                                   Function<T, String> name, Function<T, Series> series, String caption) {
        Map<String, double[]> lines = new LinkedHashMap<>();
        for (T item : items) {
            Series values = series.apply(item);
            if (values.size() > 0) {
                lines.put(name.apply(item), values.toArray());
            }
        }
        if (!lines.isEmpty()) {
            curves.add(new Captioned(Charts.lines(title, "training step", yLabel, lines, true, 0, interval),
                    caption));
        }
    }

    /** A section with the histogram of every layer's outputs, in model order. */
    public static void histograms(HtmlReport report, HealthMonitor monitor) {
        report.section("Histograms");
        for (LayerHealth layer : monitor.layers()) {
            report.figure(Charts.histogram(layer.name() + " output", layer.activations()), layer.name() + " ("
                    + layer.layer().type() + ")");
        }
    }
}
