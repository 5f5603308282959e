package dev.glassbox.examples;

import dev.glassbox.engine.nn.Initializers;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.instrument.DeepNetStudy;
import dev.glassbox.instrument.chart.DeepNetCharts;
import dev.glassbox.instrument.chart.Figure;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.stats.HealthMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Notebook 4: vanishing and saturating gradients. A 10-layer, width-20 net whose kernels are drawn from
 * RandomNormal(0, std); for one example and an MSE loss, the mean |gradient| of every kernel and the mean
 * |activation| of every layer, for several weight scales and activations. With std 200 a tanh net saturates
 * (tanh′ = 1 − y² rounds to 0) and its early layers get no gradient at all.
 */
public final class Notebook04_GradientFlow {
    private Notebook04_GradientFlow() {}

    static void run(HtmlReport report, Tour.Settings settings) throws IOException {
        report.section("4. Gradient flow through a deep net");

        // 1. Get and set weights: rescale the second layer of a glorot net by hand, as the notebook does.
        Sequential net = SeedModels.deep("tanh", Initializers.glorotUniform(), 1);
        List<Tensor> weights = net.getWeights();
        weights.set(2, weights.get(2).mul(200f));                 // dense_2.kernel × 200
        net.setWeights(weights);

        // 2. The study: every activation × weight scale, one example, MSE loss.
        List<DeepNetStudy.Result> results = DeepNetStudy.grid(1, DeepNetStudy.Objective.MSE);
        for (Map.Entry<String, Figure> e : DeepNetCharts.byActivation(results).entrySet()) {
            report.figure(e.getValue(), e.getKey().replace('-', ' ') + " by layer, one line per weight scale");
        }

        // 3. Health findings of the saturated net (std 200, tanh) after one backward pass.
        Sequential saturated = SeedModels.deep("tanh", Initializers.randomNormal(0, 200), 1);
        try (HealthMonitor monitor = HealthMonitor.attach(saturated)) {
            SplittableRandom random = new SplittableRandom(2);
            Tensor x = Tensors.randn(random, 1, SeedModels.DEEP_WIDTH);
            Losses.mse(saturated.forward(x), Tensors.randn(random, 1, 1)).backward();
            monitor.stepFinished();
            report.paragraph("Health findings for the tanh net with RandomNormal(0, 200) kernels:");
            report.findings(monitor.report().findings());
        }
        report.paragraph("The hand-edited net (dense_2 × 200) outputs " + net.forward(Tensors.ones(1, 20)).item()
                + " for an input of ones.");
    }

    public static void main(String[] args) throws IOException {
        HtmlReport report = new HtmlReport("Notebook 4: gradient flow");
        Tour.Settings settings = Tour.Settings.shipped(Path.of("target/examples"), args.length > 0);
        run(report, settings);
        report.write(settings.out().resolve("notebook04.html"));
    }
}
