package dev.glassbox.tsne;

import java.util.Random;

/**
 * t-distributed stochastic neighbour embedding (van der Maaten and Hinton 2008): maps points to 2-D or 3-D so
 * that neighbours stay neighbours.
 *
 * <pre>{@code
 * float[][] embedding = TSne.run(features, TSneConfig.defaults(),
 *         (iteration, kl) -> System.out.printf("%d KL %.4f%n", iteration, kl));
 * }</pre>
 *
 * <p>A run: (1) input affinities P ({@link Affinities}: dense for the exact method, sparse from the 3·perplexity
 * nearest neighbours otherwise); (2) an initial embedding, PCA or random, with standard deviation 1e-4;
 * (3) gradient descent on KL(P‖Q) with the schedule of bhtsne and FIt-SNE: P multiplied by 12 for the first
 * 250 iterations (early exaggeration pulls clusters together before they settle), momentum 0.5 then 0.8,
 * per-coordinate gains (+0.2 when the gradient changes sign against the step, ×0.8 otherwise, floor 0.01),
 * and each point's step clipped to {@link TSneConfig#maxStepNorm()}; steps and gains restart at the momentum
 * switch.
 *
 * <p>Deterministic: the same input and seed give a bitwise identical embedding for any thread count.
 */
public final class TSne {

    /** Smallest gain: a coordinate never stops moving entirely. */
    static final double MIN_GAIN = 0.01;
    /** Below this N the exact method is chosen by {@link TSneConfig.Method#AUTO}. */
    static final int AUTO_EXACT_BELOW = 1000;
    /**
     * From this N on the FFT method is chosen by {@link TSneConfig.Method#AUTO} (for 2-D output). At the
     * MNIST-10k reference Barnes-Hut is still 2-3 times faster per iteration once the embedding has spread
     * (the FFT grid grows with the embedding's extent, the tree only with N).
     */
    static final int AUTO_FFT_FROM = 50_000;

    /** Receives progress: the KL divergence every {@link TSneConfig#klEvery()} iterations and at the end. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param iteration    gradient steps applied to the embedding so far
         * @param klDivergence KL(P‖Q) of the current embedding, with P as the method uses it (not exaggerated)
         */
        void onProgress(int iteration, double klDivergence);

        /** A listener that ignores everything. */
        Listener NONE = (iteration, klDivergence) -> { };
    }

    private TSne() {
    }

    /** Runs t-SNE without progress reports. */
    public static float[][] run(float[][] x, TSneConfig config) {
        return run(x, config, Listener.NONE);
    }

    /**
     * Runs t-SNE.
     *
     * @param x        input rows [n, d], finite, all of the same length (not modified)
     * @param config   settings
     * @param listener progress receiver, called on the calling thread
     * @return the embedding [n, config.dimensions()]
     */
    public static float[][] run(float[][] x, TSneConfig config, Listener listener) {
        check(x, config);
        int n = x.length;
        int d = x[0].length;
        TSneConfig.Method method = chooseMethod(config.method(), n, config.dimensions());
        float[] data = flatten(x);
        try (Parallel parallel = new Parallel(config.threads())) {
            Gradient gradient = gradient(data, n, d, method, config, parallel);
            double[] y = initialEmbedding(data, n, d, config, parallel);
            optimise(y, n, gradient, config, listener, parallel);
            float[][] out = new float[n][config.dimensions()];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < config.dimensions(); k++) {
                    out[i][k] = (float) y[i * config.dimensions() + k];
                }
            }
            return out;
        }
    }

    /**
     * Throws what {@link #run} would throw for this input and these settings, without doing any of the work: the
     * first fault of {@code x} (empty, ragged, not finite), too few points for the perplexity, or a method that
     * cannot give {@code config.dimensions()}. A caller that starts a progress display or a long step first can
     * report bad input at once instead of after it.
     */
    public static void check(float[][] x, TSneConfig config) {
        validate(x);
        int n = x.length;
        TSneConfig.Method method = chooseMethod(config.method(), n, config.dimensions());
        if (method == TSneConfig.Method.EXACT) {
            Affinities.requireEnoughPointsDense(n, config.perplexity());
        } else {
            requireSparseSettings(n, method, config);
        }
    }

    private static void requireSparseSettings(int n, TSneConfig.Method method, TSneConfig config) {
        if (method == TSneConfig.Method.FFT && config.dimensions() != 2) {
            throw new IllegalArgumentException("the FFT method supports 2 output dimensions, got "
                    + config.dimensions() + "; use BARNES_HUT for 3-D");
        }
        Affinities.requireEnoughPoints(n, config.perplexity());
    }

    /**
     * The input affinities of {@code data} and the gradient of {@code method} over them: step (1) of a run, and
     * what a benchmark of one gradient iteration needs.
     *
     * @param data     input rows [n, d], row-major, finite
     * @param method   EXACT, BARNES_HUT or FFT (resolve AUTO with {@link #chooseMethod} first)
     * @param parallel the threads the affinities and every later gradient use (the caller closes it)
     */
    public static Gradient gradient(float[] data, int n, int d, TSneConfig.Method method, TSneConfig config,
                                    Parallel parallel) {
        if (method == TSneConfig.Method.BARNES_HUT || method == TSneConfig.Method.FFT) {
            requireSparseSettings(n, method, config);
        }
        if (method == TSneConfig.Method.AUTO) {
            throw new IllegalArgumentException("resolve AUTO with TSne.chooseMethod before asking for a gradient");
        }
        if (method == TSneConfig.Method.EXACT) {
            return new ExactGradient(Affinities.dense(data, n, d, config.perplexity(), parallel),
                    n, config.dimensions(), parallel);
        }
        // The sparse methods run with the points in k-d order, where P's neighbours sit near each other in memory;
        // the k-NN scans its blocks in the same order, so it is computed once for both.
        int[] order = KdOrder.of(data, n, d, BlockedKnn.POINT_BLOCK, BlockedKnn.QUERY_BLOCK);
        Affinities.Sparse p = Affinities.sparse(data, n, d, config.perplexity(), config.seed(), parallel, order)
                .relabelled(order);
        Gradient inner = method == TSneConfig.Method.FFT
                ? new FftGradient(p, parallel)
                : new BarnesHutGradient(p, config.dimensions(), config.theta(), parallel);
        return new Relabelled(inner, order, config.dimensions());
    }

    /**
     * The method {@link TSneConfig.Method#AUTO} picks: exact below 1,000 points (it is O(N²) but has no
     * approximation), Barnes-Hut below 50,000 (faster than the FFT while the tree is shallow), the FFT from
     * there on in 2-D (its cost is set by the grid, not N). Other methods are returned unchanged.
     */
    public static TSneConfig.Method chooseMethod(TSneConfig.Method method, int n, int dimensions) {
        if (method != TSneConfig.Method.AUTO) {
            return method;
        }
        if (n < AUTO_EXACT_BELOW) {
            return TSneConfig.Method.EXACT;
        }
        return n < AUTO_FFT_FROM || dimensions != 2 ? TSneConfig.Method.BARNES_HUT : TSneConfig.Method.FFT;
    }

    /** The initial embedding [n, dims], centred, with standard deviation 1e-4 (of the first coordinate). */
    static double[] initialEmbedding(float[] data, int n, int d, TSneConfig config, Parallel parallel) {
        int dims = config.dimensions();
        double[] y;
        if (config.init() == TSneConfig.Init.PCA && d >= dims) {
            y = Pca.fit(data, n, d, dims, parallel).transform(data, n);
            // scikit-learn's scaling: divide by the first component's standard deviation, times 1e-4.
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y[i * dims];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (y[i * dims] - mean) * (y[i * dims] - mean);
            }
            double std = Math.sqrt(var / n);
            double scale = std > 0 ? 1e-4 / std : 1;
            for (int k = 0; k < y.length; k++) {
                y[k] *= scale;
            }
        } else {
            Random random = new Random(config.seed());
            y = new double[n * dims];
            for (int k = 0; k < y.length; k++) {
                y[k] = 1e-4 * random.nextGaussian();
            }
        }
        return y;
    }

    /** Gradient descent with momentum, gains and step clipping; modifies {@code y} in place. */
    static void optimise(double[] y, int n, Gradient gradient, TSneConfig config, Listener listener,
                         Parallel parallel) {
        int dims = config.dimensions();
        double eta = config.learningRateFor(n);
        double maxStep = config.maxStepNorm();
        double[] grad = new double[n * dims];
        double[] update = new double[n * dims];
        double[] gains = new double[n * dims];
        java.util.Arrays.fill(gains, 1);
        for (int iter = 0; iter < config.iterations(); iter++) {
            double exaggeration = iter < config.exaggerationIterations() ? config.earlyExaggeration() : 1;
            double momentum = iter < config.momentumSwitchIteration()
                    ? config.initialMomentum() : config.finalMomentum();
            if (iter > 0 && iter == config.momentumSwitchIteration()) {
                // A second stage starts afresh, as scikit-learn's and openTSNE's two optimiser calls do: the
                // steps and gains grown under exaggeration fit the squeezed early map, not the one that now
                // expands. Measured on the reference setting: exact N = 1,000 KL 0.880 → 0.878 and
                // trustworthiness 0.964 → 0.970; Barnes-Hut and FFT at N = 10,000 gain 0.0005-0.0007 trust.
                java.util.Arrays.fill(gains, 1);
                java.util.Arrays.fill(update, 0);
            }
            double z = gradient.compute(y, exaggeration, grad);
            if (iter > 0 && iter % config.klEvery() == 0) {
                // The KL of the embedding after iter steps, the one the gradient was just taken at; Z (the
                // repulsive normaliser) does not depend on the exaggeration, so it serves as is.
                listener.onProgress(iter, gradient.klDivergence(y, z));
            }
            parallel.forRange(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    double norm2 = 0;
                    for (int k = i * dims; k < (i + 1) * dims; k++) {
                        // Grow the gain while the gradient keeps pointing against the current step direction
                        // (the step is −η·gain·grad, so same signs of grad and update mean they disagree).
                        gains[k] = (grad[k] > 0) != (update[k] > 0) ? gains[k] + 0.2 : gains[k] * 0.8;
                        gains[k] = Math.max(gains[k], MIN_GAIN);
                        update[k] = momentum * update[k] - eta * gains[k] * grad[k];
                        norm2 += update[k] * update[k];
                    }
                    if (maxStep > 0 && norm2 > maxStep * maxStep) {
                        double shrink = maxStep / Math.sqrt(norm2);   // FIt-SNE: clip the velocity itself
                        for (int k = i * dims; k < (i + 1) * dims; k++) {
                            update[k] *= shrink;
                        }
                    }
                    for (int k = i * dims; k < (i + 1) * dims; k++) {
                        y[k] += update[k];
                    }
                }
            });
            centre(y, n, dims);
        }
        if (config.iterations() > 0) {
            double z = gradient.compute(y, 1, grad);               // one more pass for the final Z
            listener.onProgress(config.iterations(), gradient.klDivergence(y, z));
        }
    }

    /** Subtracts the mean: t-SNE is translation invariant, and a centred embedding keeps the grid small. */
    private static void centre(double[] y, int n, int dims) {
        for (int k = 0; k < dims; k++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y[i * dims + k];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                y[i * dims + k] -= mean;
            }
        }
    }

    /** Checks that {@code x} is a non-empty rectangular array of finite numbers; names the first fault. */
    static void validate(float[][] x) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("input must have at least one row, got "
                    + (x == null ? "null" : "0 rows"));
        }
        if (x[0] == null || x[0].length == 0) {
            throw new IllegalArgumentException("input row 0 is " + (x[0] == null ? "null" : "empty"));
        }
        int d = x[0].length;
        for (int r = 0; r < x.length; r++) {
            if (x[r] == null || x[r].length != d) {
                throw new IllegalArgumentException("input is ragged: row 0 has " + d + " columns but row " + r
                        + " has " + (x[r] == null ? "none (null)" : x[r].length));
            }
            for (int c = 0; c < d; c++) {
                if (!Float.isFinite(x[r][c])) {
                    throw new IllegalArgumentException("input has " + x[r][c] + " at row " + r + " column " + c
                            + "; t-SNE needs finite values");
                }
            }
        }
    }

    /** Copies rows into one row-major array. */
    public static float[] flatten(float[][] x) {
        int d = x[0].length;
        float[] out = new float[x.length * d];
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, out, r * d, d);
        }
        return out;
    }
}
