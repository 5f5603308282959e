package dev.glassbox.examples.cli;

import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.instrument.chart.EmbeddingPlot;
import dev.glassbox.instrument.chart.Figure;
import dev.glassbox.tsne.Metrics;
import dev.glassbox.tsne.Pca;
import dev.glassbox.tsne.TSne;
import dev.glassbox.tsne.TSneConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glassbox tsne INPUT.npy --output EMB.npy}: t-SNE of the rows of a matrix (more dimensions are flattened
 * per row), with a progress bar fed by the KL reports, and the embedding's quality at the end.
 */
@Command(name = "tsne", mixinStandardHelpOptions = true, description = "Embed the rows of an .npy array in 2-D or 3-D.")
public final class TsneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "INPUT.npy")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "EMB.npy")
    Path output;

    @Option(names = "--perplexity", defaultValue = "30")
    double perplexity;

    @Option(names = "--method", defaultValue = "auto", paramLabel = "auto|exact|bh|fft")
    String method;

    @Option(names = "--iterations", defaultValue = "1000", paramLabel = "N")
    int iterations;

    @Option(names = "--pca", defaultValue = "0", paramLabel = "D", description = "Reduce to D principal components first (0: no).")
    int pca;

    @Option(names = "--dims", defaultValue = "2", paramLabel = "2|3")
    int dims;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--labels", paramLabel = "L.npy", description = "Integer labels: reports kNN accuracy.")
    Path labels;

    @Option(names = "--plot", paramLabel = "EMB.svg",
            description = "Draw the 2-D embedding with coloured labels (and image thumbnails when the rows are"
                    + " square images), as SVG (.svg) or PNG (.png); needs --labels.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        float[][] original = Tensors.rows(read(input));
        float[][] x = original;
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (t < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + t);
        }
        if (pca > 0) {
            if (pca > original[0].length) {
                throw new IllegalArgumentException("--pca " + pca + " exceeds the " + x[0].length + " input columns");
            }
            x = Pca.fit(x, pca, t).transform(x);
        }
        TSneConfig config = TSneConfig.defaults().toBuilder().perplexity(perplexity).iterations(iterations)
                .method(method(method)).dimensions(dims).seed(seed).threads(t).build();
        float[][] embedding;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("t-SNE").setInitialMax(iterations)
                .setStyle(ProgressBarStyle.ASCII).build()) {
            embedding = TSne.run(x, config, (iteration, kl) -> {
                bar.stepTo(iteration);
                bar.setExtraMessage(String.format(Locale.ROOT, " KL %.4f", kl));
            });
        }
        Tensor points = Tensors.matrix(embedding);
        Npy.write(output, points);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "points=%d trustworthiness=%.4f",
                x.length, Metrics.trustworthiness(original, embedding, 10, t)));
        if (labels != null) {
            Tensor l = read(labels);
            if (l.size() != x.length) {
                throw new IllegalArgumentException("--labels " + labels + " holds " + l.size() + " labels for "
                        + x.length + " points");
            }
            int[] y = new int[l.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.round(l.data()[i]);
            }
            line.append(String.format(Locale.ROOT, " knn_accuracy=%.4f", Metrics.knnAccuracy(embedding, y, 10, t)));
            if (plot != null) {
                writePlot(points, y, original);
            }
        } else if (plot != null) {
            throw new IllegalArgumentException("--plot needs --labels (the plot draws each point as its label)");
        }
        System.out.println(line);
        return 0;
    }

    /** The seed's plot_embedding: labels in colour, thumbnails where the rows are square images. */
    private void writePlot(Tensor embedding, int[] y, float[][] rows) throws IOException {
        if (dims != 2) {
            throw new IllegalArgumentException("--plot draws 2-D embeddings; use --dims 2");
        }
        int side = (int) Math.round(Math.sqrt(rows[0].length));
        Tensor images = null;
        if (side * side == rows[0].length) {
            float[] pixels = new float[rows.length * side * side];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, pixels, i * side * side, side * side);
            }
            images = new Tensor(pixels, rows.length, side, side);
        }
        Figure figure = EmbeddingPlot.of("t-SNE of " + input.getFileName(), embedding, y, images,
                EmbeddingPlot.DEFAULT_MIN_DISTANCE);
        java.nio.file.Path parent = plot.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(parent);
        if (plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            figure.writePng(plot);
        } else {
            figure.writeSvg(plot);
        }
    }

    private static Tensor read(Path file) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist");
        }
        return Npy.read(file);
    }

    private static TSneConfig.Method method(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "auto" -> TSneConfig.Method.AUTO;
            case "exact" -> TSneConfig.Method.EXACT;
            case "bh", "barnes-hut", "barnes_hut" -> TSneConfig.Method.BARNES_HUT;
            case "fft" -> TSneConfig.Method.FFT;
            default -> throw new IllegalArgumentException("--method must be auto, exact, bh or fft, got " + name);
        };
    }
}
