package dev.glassbox.instrument.chart;

import dev.glassbox.instrument.DeepNetStudy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The charts of the {@link DeepNetStudy}: per setting, and per activation with one line per weight scale. */
public final class DeepNetCharts {
    private DeepNetCharts() {}

    /** One setting: mean |gradient| of each kernel and mean |activation| of each layer, by layer (log scale). */
    public static Figure setting(DeepNetStudy.Result result) {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("mean |gradient| of the kernel", result.meanAbsGradient());
        series.put("mean |activation|", result.meanAbsActivation());
        return Charts.lines(title(result), "layer", "mean |x|", series, true);
    }

    /**
     * For each activation in {@code results}: one chart of mean |gradient| and one of mean |activation| by layer,
     * a line per weight scale; keys are {@code <activation>-gradients} and {@code <activation>-activations}.
     */
    public static Map<String, Figure> byActivation(List<DeepNetStudy.Result> results) {
        Map<String, Map<String, double[]>> gradients = new LinkedHashMap<>();
        Map<String, Map<String, double[]>> activations = new LinkedHashMap<>();
        for (DeepNetStudy.Result r : results) {
            String line = String.format(Locale.ROOT, "std %s", r.std());
            gradients.computeIfAbsent(r.activation(), k -> new LinkedHashMap<>()).put(line, r.meanAbsGradient());
            activations.computeIfAbsent(r.activation(), k -> new LinkedHashMap<>()).put(line, r.meanAbsActivation());
        }
        Map<String, Figure> figures = new LinkedHashMap<>();
        for (String activation : gradients.keySet()) {
            figures.put(activation + "-gradients", Charts.lines(activation + ": mean |d objective / d kernel|",
                    "layer", "mean |gradient|", gradients.get(activation), true));
            figures.put(activation + "-activations", Charts.lines(activation + ": mean |activation|", "layer",
                    "mean |activation|", activations.get(activation), true));
        }
        return figures;
    }

    private static String title(DeepNetStudy.Result result) {
        return String.format(Locale.ROOT, "%s, weights N(0, %s)", result.activation(), result.std());
    }
}
