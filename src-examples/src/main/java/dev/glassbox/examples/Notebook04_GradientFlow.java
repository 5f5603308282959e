package dev.glassbox.examples;

import dev.glassbox.engine.nn.Initializers;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.instrument.DeepNetStudy;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.Recordings;
import dev.glassbox.instrument.chart.DeepNetCharts;
import dev.glassbox.instrument.chart.Figure;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.instrument.stats.HealthReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Notebook 4: vanishing and saturating gradients. A 10-layer, width-20 net whose kernels are drawn from
 * RandomNormal(0, std); for one example and an MSE loss, the mean |gradient| of every kernel and the mean
 * |activation| of every layer, for several weight scales and activations. With std 200 a tanh net saturates
 * (tanh′ = 1 − y² rounds to 0) and its early layers get no gradient at all.
 */
public final class Notebook04_GradientFlow {
    /** The weight scales whose gradients with respect to every layer's output are tabled. */
    static final List<Double> TABLED_STDS = List.of(0.01, 1.0, 200.0);

    /**
     * What the notebook measured: the study's grid (activation × weight scale), mean |dL/d output| of every layer
     * of the tanh net per tabled weight scale, and the health findings of the saturated net.
     */
    record Result(List<DeepNetStudy.Result> study, Map<Double, double[]> tanhOutputGradients,
            List<HealthReport.Finding> findings) implements Tour.Numbers {
        /** The study's result for one setting. */
        DeepNetStudy.Result of(String activation, double std) {
            return study.stream().filter(r -> r.activation().equals(activation) && r.std() == std).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no setting " + activation + ", std " + std));
        }

        @Override
        public String summary() {
            double[] small = tanhOutputGradients.get(0.01);
            return String.format(Locale.ROOT, "tanh, std 0.01: mean |dL/d output| %.1e at dense_%d, %.1e at dense_1;"
                    + " std 200: mean |dL/d kernel| of dense_2 %.1g; %d health finding(s)", small[small.length - 1],
                    small.length, small[0], of("tanh", 200.0).meanAbsGradient()[1], findings.size());
        }
    }

    private Notebook04_GradientFlow() {}

    static Result run(HtmlReport report, Tour.Settings settings) throws IOException {
        report.section("4. Gradient flow through a deep net");

        // 1. Get and set weights: rescale the second layer of a glorot net by hand, as the notebook does.
        Sequential net = SeedModels.deep("tanh", Initializers.glorotUniform(), 1);
        List<Tensor> weights = net.getWeights();
        weights.set(2, weights.get(2).mul(200f));                 // dense_2.kernel × 200
        net.setWeights(weights);

        // 2. The study: every activation × weight scale, one example, MSE loss.
        List<DeepNetStudy.Result> results = DeepNetStudy.grid(1, DeepNetStudy.Objective.MSE);
        for (Map.Entry<String, Figure> e : DeepNetCharts.byActivation(results).entrySet()) {
            Tour.addFigure(report, settings, e.getValue(), Tour.MAP_DISPLAY_WIDTH, e.getKey().replace('-', ' ')
                    + " by layer, one line per weight scale", settings.out().resolve("notebook04/" + e.getKey()));
        }

        // 3. The gradient of the loss with respect to every layer's output, recorded by backward hooks, for the
        //    tanh net at three weight scales (same example and target as the study).
        Map<Double, double[]> outputGradients = new LinkedHashMap<>();
        for (double std : TABLED_STDS) {
            outputGradients.put(std, meanAbsOutputGradients("tanh", std, 1));
        }
        List<String> header = new ArrayList<>(List.of("layer"));
        TABLED_STDS.forEach(std -> header.add("std " + std));
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < SeedModels.DEEP_LAYERS; k++) {
            List<String> row = new ArrayList<>(List.of("dense_" + (k + 1)));
            for (double[] g : outputGradients.values()) {
                row.add(String.format(Locale.ROOT, "%.3g", g[k]));
            }
            rows.add(row);
        }
        report.paragraph("Mean |dL/d output| of every layer of the tanh net, one example: with std 0.01 the"
                + " gradient shrinks on its way back to the input; with std 200 it dies behind the first saturated"
                + " layer.");
        report.table(header, rows);

        // 4. Health findings of the saturated net (std 200, tanh) after one backward pass.
        Sequential saturated = SeedModels.deep("tanh", Initializers.randomNormal(0, 200), 1);
        List<HealthReport.Finding> findings;
        try (HealthMonitor monitor = HealthMonitor.attach(saturated)) {
            SplittableRandom random = new SplittableRandom(2);
            Tensor x = Tensors.randn(random, 1, SeedModels.DEEP_WIDTH);
            Losses.mse(saturated.forward(x), Tensors.randn(random, 1, 1)).backward();
            monitor.stepFinished();
            findings = monitor.report().findings();
        }
        report.paragraph("Health findings for the tanh net with RandomNormal(0, 200) kernels:");
        report.findings(findings);
        report.paragraph("The hand-edited net (dense_2 × 200) outputs " + net.forward(Tensors.ones(1, 20)).item()
                + " for an input of ones.");
        return new Result(results, outputGradients, findings);
    }

    /** Mean |dL/d output| of every layer for the study's net, example and MSE target of one setting. */
    static double[] meanAbsOutputGradients(String activation, double std, long seed) {
        Sequential model = SeedModels.deep(activation, Initializers.randomNormal(0, (float) std), seed);
        SplittableRandom random = new SplittableRandom(seed + 1);       // as DeepNetStudy.run draws them
        Tensor x = Tensors.randn(random, 1, SeedModels.DEEP_WIDTH);
        Tensor target = Tensors.randn(random, 1, 1);
        Recordings recordings = new Recordings();
        try (Recorder ignored = Recorder.attach(model, model.layers(), new Recorder.Kinds(false, true, false),
                recordings)) {
            Losses.mse(model.forward(x), target).backward();
        }
        List<Layer> layers = model.layers();
        double[] means = new double[layers.size()];
        for (int k = 0; k < means.length; k++) {
            float[] g = Recordings.last(recordings.outputGradients(layers.get(k).name())).data();
            double sum = 0;
            for (float v : g) {
                sum += Math.abs(v);
            }
            means[k] = sum / g.length;
        }
        return means;
    }

    /** Runs this notebook alone: {@code [--quick] [--out DIR]}, writing DIR/notebook04.html. */
    public static void main(String[] args) throws IOException {
        Tour.runAlone(args, "Notebook 4: gradient flow", "notebook04.html", Notebook04_GradientFlow::run);
    }
}
