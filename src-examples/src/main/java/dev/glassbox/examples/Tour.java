package dev.glassbox.examples;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.examples.cli.TsneCommand;
import dev.glassbox.instrument.chart.EmbeddingPlot;
import dev.glassbox.instrument.chart.Figure;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.tsne.Metrics;
import dev.glassbox.tsne.TSne;
import dev.glassbox.tsne.TSneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The five notebooks one after the other, writing one report: {@code OUT/report.html} (and the pages and files
 * each notebook adds beside it). {@link Settings#quick()} shrinks every run (fewer digits, epochs and t-SNE
 * iterations) so the whole tour takes well under a minute; the numbers it shows are then rougher.
 */
public final class Tour {
    /** Where to write, which digits (train and test split), how big. */
    public record Settings(Path out, Dataset trainData, Dataset testData, boolean quick) {
        /** The shipped MNIST digits. */
        public static Settings shipped(Path out, boolean quick) {
            return new Settings(out, Mnist.train(), Mnist.test(), quick);
        }

        /** Test digits to extract, probe and embed (the seeds use 1,000). */
        int digits() {
            return quick ? 300 : 1000;
        }

        int tsneIterations() {
            return quick ? 300 : 1000;
        }

        /** Training examples (all of them, or at most 4,000 in quick mode). */
        Dataset train() {
            return quick ? trainData.first(4000) : trainData;
        }

        Dataset test() {
            return testData;
        }
    }

    private Tour() {}

    /** Runs the five notebooks and writes OUT/report.html; returns its path. */
    public static Path run(Settings settings) throws IOException {
        Files.createDirectories(settings.out());
        HtmlReport report = new HtmlReport("Glassbox tour: every layer of every network, looked into");
        report.paragraph("Five teaching notebooks, run by Glassbox on the shipped MNIST digits"
                + (settings.quick() ? " (quick mode: smaller runs, rougher numbers)." : "."));
        long start = System.nanoTime();
        step("1/5 representations of an MLP", () -> Notebook01_ExtractRepresentations.run(report, settings));
        step("2/5 t-SNE of a CNN's hidden layers", () -> Notebook02_TsneHiddenLayers.run(report, settings));
        step("3/5 hooks on the PyTorch-style CNN", () -> Notebook03_CnnHooks.run(report, settings));
        step("4/5 gradient flow in a deep net", () -> Notebook04_GradientFlow.run(report, settings));
        step("5/5 what a convnet learns", () -> Notebook05_VisualizeConvnet.run(report, settings));
        report.paragraph(String.format(Locale.ROOT, "The tour took %.1f s.", (System.nanoTime() - start) / 1e9));
        Path file = settings.out().resolve("report.html");
        report.write(file);
        return file;
    }

    /** One notebook of the tour, announced on the terminal. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    private static void step(String name, Step step) throws IOException {
        long start = System.nanoTime();
        System.err.println("tour " + name + " ...");
        step.run();
        System.err.printf(Locale.ROOT, "tour %s: %.1f s%n", name, (System.nanoTime() - start) / 1e9);
    }

    /** t-SNE of one representation (perplexity 30, PCA initialisation) and its plot with digit thumbnails. */
    static Embedded embed(String name, Tensor representation, Dataset digits, Settings settings) {
        float[][] x = TsneCommand.rows(representation);
        TSneConfig config = TSneConfig.defaults().toBuilder().iterations(settings.tsneIterations()).seed(1).build();
        float[][] y = TSne.run(x, config);
        Tensor embedding = TsneCommand.matrix(y);
        int threads = Runtime.getRuntime().availableProcessors();
        double trust = Metrics.trustworthiness(x, y, 10, threads);
        double knn = Metrics.knnAccuracy(y, digits.labels(), 10, threads);
        double kl = Metrics.klDivergence(x, y, config.perplexity(), threads);
        Figure plot = EmbeddingPlot.of("t-SNE of " + name, embedding, digits.labels(), digits.inputs(),
                EmbeddingPlot.DEFAULT_MIN_DISTANCE);
        return new Embedded(plot, kl, trust, knn);
    }

    /** A t-SNE plot and the embedding's quality. */
    record Embedded(Figure plot, double klDivergence, double trustworthiness, double knnAccuracy) {
        String caption(String name) {
            return String.format(Locale.ROOT, "%s: KL %.3f, trustworthiness %.3f, 10-NN accuracy in 2-D %.3f", name,
                    klDivergence, trustworthiness, knnAccuracy);
        }
    }
}
