package dev.glassbox.examples;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.train.TrainingListener;
import dev.glassbox.examples.cli.ProgressListener;
import dev.glassbox.instrument.chart.EmbeddingPlot;
import dev.glassbox.instrument.chart.Figure;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.tsne.Metrics;
import dev.glassbox.tsne.Pca;
import dev.glassbox.tsne.TSne;
import dev.glassbox.tsne.TSneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The five notebooks one after the other, writing one report: {@code OUT/report.html} (and the pages and files
 * each notebook adds beside it). {@link Settings#quick()} shrinks every run (fewer digits, epochs and t-SNE
 * iterations) so the whole tour takes well under a minute; the numbers it shows are then rougher.
 */
public final class Tour {
    /** How wide a map or chart is shown in the report: two side by side. */
    static final int MAP_DISPLAY_WIDTH = 520;
    /** Rows wider than this are reduced by PCA before t-SNE. */
    static final int PCA_DIMENSIONS = 50;

    /**
     * Where to write, which digits (train and test split), how big, and whether long steps draw progress bars on
     * the terminal (tests run without).
     */
    public record Settings(Path out, Dataset trainData, Dataset testData, boolean quick, boolean progressBars) {
        /** The shipped MNIST digits, with progress bars. */
        public static Settings shipped(Path out, boolean quick) {
            return new Settings(out, Mnist.train(), Mnist.test(), quick, true);
        }

        /** Test digits to extract, probe and embed (the seeds use 1,000; never more than the test split holds). */
        int digits() {
            return Math.min(quick ? 300 : 1000, testData.size());
        }

        int tsneIterations() {
            return quick ? 300 : 1000;
        }

        /** Training examples (all of them, or at most 4,000 in quick mode). */
        Dataset train() {
            return quick ? trainData.first(Math.min(4000, trainData.size())) : trainData;
        }

        Dataset test() {
            return testData;
        }

        /** A progress bar for a long step of {@code max} units (silent without progress bars); close it. */
        ProgressBar bar(String step, long max) {
            ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(step).setInitialMax(max)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250);
            return (progressBars ? builder : builder.setConsumer(new DelegatingProgressBarConsumer(line -> { })))
                    .build();
        }

        /** A progress bar per training epoch (nothing without progress bars). */
        TrainingListener trainingProgress(int epochs) {
            return progressBars ? new ProgressListener(epochs) : new TrainingListener() { };
        }
    }

    /** What a notebook measured, in one line for the terminal. */
    interface Numbers {
        String summary();
    }

    /** A notebook of the tour, its wall time and what it measured. */
    public record Timing(String notebook, double seconds, String summary) {}

    /** The report and, per notebook, its wall time and numbers. */
    public record Result(Path report, List<Timing> timings) {}

    /** One notebook, run into the report. */
    @FunctionalInterface
    interface Notebook {
        Numbers run(HtmlReport report, Settings settings) throws IOException;
    }

    private Tour() {}

    /** Runs the five notebooks and writes OUT/report.html. */
    public static Result run(Settings settings) throws IOException {
        Files.createDirectories(settings.out());
        HtmlReport report = new HtmlReport("Glassbox tour: every layer of every network, looked into");
        report.paragraph(String.format(Locale.ROOT, "Five teaching notebooks, run by Glassbox on %,d training and %,d"
                + " test images%s.", settings.trainData().size(), settings.test().size(),
                settings.quick() ? " (quick mode: smaller runs, rougher numbers)" : "")
                + " Figures are shown as PNG; each caption links to the figure's full SVG written beside this page."
                + " Rows wider than " + PCA_DIMENSIONS + " numbers go to t-SNE as their first " + PCA_DIMENSIONS
                + " principal components; KL(P‖Q) is the divergence t-SNE minimised, trustworthiness (k = 10) is"
                + " measured against the layer's full rows.");
        List<Timing> timings = new ArrayList<>();
        timings.add(step("1. representations of an MLP", report, settings, Notebook01_ExtractRepresentations::run));
        timings.add(step("2. t-SNE of a CNN's hidden layers", report, settings, Notebook02_TsneHiddenLayers::run));
        timings.add(step("3. hooks on the PyTorch-style CNN", report, settings, Notebook03_CnnHooks::run));
        timings.add(step("4. gradient flow in a deep net", report, settings, Notebook04_GradientFlow::run));
        timings.add(step("5. what a convnet learns", report, settings, Notebook05_VisualizeConvnet::run));

        // The wall time of each notebook, on the page and on the terminal.
        report.section("Wall time");
        List<List<String>> rows = new ArrayList<>();
        double total = 0;
        for (Timing t : timings) {
            rows.add(List.of(t.notebook(), seconds(t.seconds())));
            total += t.seconds();
        }
        rows.add(List.of("the tour", seconds(total)));
        report.table(List.of("notebook", "wall time"), rows);
        report.paragraph(String.format(Locale.ROOT, "On %d processor(s), Java %s.",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        Path file = settings.out().resolve("report.html");
        report.write(file);
        System.err.printf(Locale.ROOT, "%ntour finished in %s:%n", seconds(total));
        for (Timing t : timings) {
            System.err.printf(Locale.ROOT, "  %-36s %8s   %s%n", t.notebook(), seconds(t.seconds()), t.summary());
        }
        return new Result(file, timings);
    }

    /** Runs one notebook into the report, announced on the terminal, and notes its wall time in its section. */
    private static Timing step(String name, HtmlReport report, Settings settings, Notebook notebook)
            throws IOException {
        long start = System.nanoTime();
        System.err.println("tour " + name + " ...");
        Numbers numbers = notebook.run(report, settings);
        double seconds = (System.nanoTime() - start) / 1e9;
        report.paragraph("This notebook took " + seconds(seconds) + ".");
        System.err.printf(Locale.ROOT, "tour %s: %s%n", name, seconds(seconds));
        return new Timing(name, seconds, numbers.summary());
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    /**
     * Runs one notebook on its own, as its {@code main}: {@code [--quick] [--out DIR]} (default
     * {@code target/examples}); writes {@code DIR/<page>} and prints what it measured.
     */
    static void runAlone(String[] args, String title, String page, Notebook notebook) throws IOException {
        Settings settings;
        try {
            settings = aloneSettings(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path out = settings.out();
        Files.createDirectories(out);
        HtmlReport report = new HtmlReport(title);
        long start = System.nanoTime();
        Numbers numbers = notebook.run(report, settings);
        Path file = out.resolve(page);
        report.write(file);
        System.out.printf(Locale.ROOT, "%s (%s)%nwrote %s%n", numbers.summary(),
                seconds((System.nanoTime() - start) / 1e9), file);
    }

    /**
     * Writes {@code figure} beside the report as {@code <base>.svg} (full quality) and {@code <base>.png} (as wide
     * as it is shown, {@code displayWidth}), and adds the PNG to the report, its caption linking the SVG. A map with
     * a thousand labels and thumbnails weighs 300 kB as SVG and a sixth of that as such a PNG.
     */
    static void addFigure(HtmlReport report, Settings settings, Figure figure, int displayWidth, String caption,
            Path base) throws IOException {
        Files.createDirectories(base.getParent());
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        Path png = base.resolveSibling(base.getFileName() + ".png");
        figure.writeSvg(svg);
        figure.writePng(png, Math.min(1.0, displayWidth / (double) figure.width()));
        report.image(Files.readAllBytes(png), displayWidth, caption,
                settings.out().relativize(svg).toString().replace('\\', '/'), false);
    }

    /** The settings a notebook run alone takes from {@code [--quick] [--out DIR]}: the shipped digits. */
    static Settings aloneSettings(String[] args) {
        boolean quick = false;
        Path out = Path.of("target/examples");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--out needs a folder, e.g. --out target/examples");
                    }
                    out = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; a notebook takes [--quick] [--out DIR]");
            }
        }
        return Settings.shipped(out, quick);
    }

    /**
     * t-SNE of one representation (perplexity 30, PCA initialisation) and its plot with digit thumbnails. Rows
     * wider than {@link #PCA_DIMENSIONS} are first reduced to their leading principal components, as bhtsne and
     * openTSNE do by default: the neighbours t-SNE looks for are then found among 50 numbers per digit rather than
     * up to 11,520 (h1 of notebook 3), which is what makes a map of a conv layer take seconds instead of minutes.
     * KL(P‖Q) is scored on what t-SNE was given (it is the objective it minimised); trustworthiness against the
     * layer's own rows, so it says how faithfully the map shows the layer, reduction included.
     */
    static Embedded embed(String name, Tensor representation, Dataset digits, Settings settings) {
        int threads = Runtime.getRuntime().availableProcessors();
        float[][] rows = Tensors.rows(representation);
        TSneConfig config = TSneConfig.defaults().toBuilder().iterations(settings.tsneIterations()).seed(1).build();
        float[][] x;
        float[][] y;
        try (ProgressBar bar = settings.bar("t-SNE " + name, config.iterations())) {   // open during PCA too
            x = rows[0].length > PCA_DIMENSIONS ? Pca.fit(rows, PCA_DIMENSIONS, threads).transform(rows) : rows;
            y = TSne.run(x, config, (iteration, kl) -> bar.stepTo(iteration));
        }
        Tensor embedding = Tensors.matrix(y);
        double trust = Metrics.trustworthiness(rows, y, 10, threads);
        double knn = Metrics.knnAccuracy(y, digits.labels(), 10, threads);
        double kl = Metrics.klDivergence(x, y, config.perplexity(), threads);
        Figure plot = EmbeddingPlot.of("t-SNE of " + name, embedding, digits.labels(), digits.inputs(),
                EmbeddingPlot.DEFAULT_MIN_DISTANCE);
        return new Embedded(name, rows[0].length, x[0].length, plot, kl, trust, knn);
    }

    /** A t-SNE plot and the embedding's quality. */
    record Embedded(String name, int dimensions, int tsneDimensions, Figure plot, double klDivergence,
            double trustworthiness, double knnAccuracy) {
        String caption() {
            return String.format(Locale.ROOT, "%s: %s, KL %.3f, trustworthiness %.3f, 10-NN accuracy in 2-D %.3f",
                    name, tsneDimensions == dimensions ? String.format(Locale.ROOT, "%,d dimensions", dimensions)
                            : String.format(Locale.ROOT, "%,d dimensions → PCA %d", dimensions, tsneDimensions),
                    klDivergence, trustworthiness, knnAccuracy);
        }

        void addTo(HtmlReport report, Settings settings, Path base) throws IOException {
            Tour.addFigure(report, settings, plot, MAP_DISPLAY_WIDTH, caption(), base);
        }
    }
}
