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
@Command(name = "tsne", mixinStandardHelpOptions = true, description = "Embed the rows of an .npy array in 2-D or 3-D.",
        footer = {"", "Ends with one line: points=N trustworthiness=T [knn_accuracy=A], both over each point's 10"
                + " nearest neighbours (k=K,K' before them when there are too few points for 10)."})
public final class TsneCommand implements Callable<Integer> {
    /** The neighbourhood both quality measures look at (scikit-learn's default for trustworthiness is 5). */
    private static final int NEIGHBOURS = 10;

    @Parameters(index = "0", paramLabel = "INPUT.npy",
            description = "float32, float64 or uint8 array; one point per row (more dimensions are flattened).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "EMB.npy", description = "Where to write the embedding.")
    Path output;

    @Option(names = "--perplexity", defaultValue = "30", paramLabel = "P",
            description = "Effective number of neighbours (default: ${DEFAULT-VALUE}).")
    double perplexity;

    @Option(names = "--method", defaultValue = "auto", paramLabel = "auto|exact|bh|fft",
            description = "auto: exact below 1,000 points, Barnes-Hut below 50,000, else FFT in 2-D"
                    + " (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--iterations", defaultValue = "1000", paramLabel = "N",
            description = "Gradient steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--pca", defaultValue = "0", paramLabel = "D",
            description = "Reduce to D principal components first (default 0: no).")
    int pca;

    @Option(names = "--dims", defaultValue = "2", paramLabel = "2|3",
            description = "Embedding dimensions (default: ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Random seed; the same seed gives the same embedding on any thread count"
                    + " (default: ${DEFAULT-VALUE}).")
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
        Outputs.checkFile("--output", output);
        if (plot != null) {
            Outputs.checkFile("--plot", plot);
        }
        float[][] original = Tensors.rows(Inputs.readRows(input, "input", "one point per row ([N, features]); for N"
                + " one-value points use x[:, None] in numpy"));
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
        if (method.equalsIgnoreCase("fft") && dims != 2) {
            throw new IllegalArgumentException("--method fft embeds in 2-D only, got --dims " + dims
                    + "; use --method bh or exact for 3-D");
        }
        TSneConfig config = TSneConfig.defaults().toBuilder().perplexity(perplexity).iterations(iterations)
                .method(method(method)).dimensions(dims).seed(seed).threads(t).build();
        int[] y = labels == null ? null : readLabels(x.length);
        if (plot != null && y == null) {
            throw new IllegalArgumentException("--plot needs --labels (the plot draws each point as its label)");
        }
        TSne.check(x, config);                          // bad input or settings: say so now, not after the run
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
        // Both measures look at each point's 10 nearest neighbours; a smaller input gets the most it has room for
        // (trustworthiness needs k < n/2), and the line says which k was used.
        int n = x.length;
        int trustK = Math.min(NEIGHBOURS, (n - 1) / 2);
        int knnK = Math.min(NEIGHBOURS, n - 1);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "points=%d", n));
        if (trustK < NEIGHBOURS || (y != null && knnK < NEIGHBOURS)) {
            line.append(" k=").append(trustK).append(y == null ? "" : "," + knnK);
        }
        if (trustK >= 1) {
            line.append(String.format(Locale.ROOT, " trustworthiness=%.4f",
                    Metrics.trustworthiness(original, embedding, trustK, t)));
        }
        if (y != null && knnK >= 1) {
            line.append(String.format(Locale.ROOT, " knn_accuracy=%.4f", Metrics.knnAccuracy(embedding, y, knnK, t)));
        }
        if (plot != null) {
            writePlot(points, y, original);                 // y is there: checked before the run
        }
        System.out.println(line);
        return 0;
    }

    /** The labels of {@code --labels}, one per point, each rounded to the nearest integer; none negative or NaN. */
    private int[] readLabels(int points) throws IOException {
        Tensor l = Inputs.readNpy(labels, "--labels");
        if (l.size() != points) {
            throw new IllegalArgumentException("--labels " + labels + " holds " + l.size() + " labels for "
                    + points + " points");
        }
        int[] y = new int[l.size()];
        for (int i = 0; i < y.length; i++) {
            float label = l.data()[i];
            if (!(label >= 0) || label > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--labels " + labels + ": label " + label + " at row " + i
                        + "; labels must be non-negative integers");
            }
            y[i] = Math.round(label);
        }
        return y;
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
