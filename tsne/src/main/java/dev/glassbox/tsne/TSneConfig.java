package dev.glassbox.tsne;

/**
 * Every setting of a t-SNE run, with the defaults of the best current implementations (bhtsne, openTSNE,
 * FIt-SNE). Build one with {@link #builder()}, or change one field of an existing config with a wither:
 * <pre>{@code
 * TSneConfig cfg = TSneConfig.builder().perplexity(30).method(TSneConfig.Method.FFT).build();
 * TSneConfig again = cfg.withSeed(7).withThreads(1);
 * }</pre>
 *
 * <h2>Learning rate units</h2>
 * The gradient here is written without the constant factor 4 of the KL gradient
 * (dC/dy_i = 4 Σ_j (p_ij − q_ij) w_ij (y_i − y_j)), as bhtsne, openTSNE and FIt-SNE write it. scikit-learn keeps
 * the 4 inside its gradient, so a learning rate of η here equals η/4 there: the automatic rate
 * max(N/12, 200) here is scikit-learn's {@code learning_rate='auto'} = max(N/(12·4), 50).
 *
 * @param dimensions          output dimension, 2 or 3
 * @param perplexity          effective number of neighbours of each point; the kNN methods use 3·perplexity
 * @param iterations          gradient-descent iterations, including the early exaggeration phase
 * @param method              how the gradient is computed; {@link Method#AUTO} chooses by N
 * @param theta               Barnes-Hut opening angle: a cell is summarised when width / distance &lt; theta
 * @param learningRate        step size η in the units above; {@link #AUTO_LEARNING_RATE} (NaN) for max(N/12, 200)
 * @param earlyExaggeration   factor multiplying P during the first {@code exaggerationIterations}
 * @param exaggerationIterations iterations with exaggerated P
 * @param initialMomentum     momentum before {@code momentumSwitchIteration}
 * @param finalMomentum       momentum from {@code momentumSwitchIteration} on
 * @param momentumSwitchIteration iteration at which momentum changes and the optimiser's steps and gains restart
 * @param maxStepNorm         largest step a single point may take in one iteration (FIt-SNE's clipping); 0 = off
 * @param init                PCA or random initial embedding, both with standard deviation 1e-4
 * @param seed                seed of every random choice; the same seed gives a bitwise identical embedding
 * @param threads             worker threads; the result does not depend on it
 * @param klEvery             compute and report the KL divergence every this many iterations
 */
public record TSneConfig(
        int dimensions,
        double perplexity,
        int iterations,
        Method method,
        double theta,
        double learningRate,
        double earlyExaggeration,
        int exaggerationIterations,
        double initialMomentum,
        double finalMomentum,
        int momentumSwitchIteration,
        double maxStepNorm,
        Init init,
        long seed,
        int threads,
        int klEvery) {

    /** How the gradient is computed. */
    public enum Method {
        /** Exact O(N²) sums over all pairs; dense P. The reference, for small N. */
        EXACT,
        /** Barnes-Hut: repulsion summarised over a quadtree (2-D) or octree (3-D); sparse P. */
        BARNES_HUT,
        /** FIt-SNE's interpolation: repulsion by Lagrange interpolation on a grid and an FFT convolution. */
        FFT,
        /** EXACT for small N, BARNES_HUT for medium N, FFT for large N (see {@link TSne#chooseMethod}). */
        AUTO
    }

    /** The initial embedding. */
    public enum Init {
        /** The first principal components of the input, scaled so the first has standard deviation 1e-4. */
        PCA,
        /** Gaussian noise with standard deviation 1e-4. */
        RANDOM
    }

    /** Marks the automatic learning rate max(N/12, 200). */
    public static final double AUTO_LEARNING_RATE = Double.NaN;

    public static final int DEFAULT_DIMENSIONS = 2;
    public static final double DEFAULT_PERPLEXITY = 30;
    public static final int DEFAULT_ITERATIONS = 1000;
    public static final double DEFAULT_THETA = 0.5;
    public static final double DEFAULT_EARLY_EXAGGERATION = 12;
    public static final int DEFAULT_EXAGGERATION_ITERATIONS = 250;
    public static final double DEFAULT_INITIAL_MOMENTUM = 0.5;
    public static final double DEFAULT_FINAL_MOMENTUM = 0.8;
    public static final double DEFAULT_MAX_STEP_NORM = 5;
    public static final int DEFAULT_KL_EVERY = 50;

    /** Validates every field; the message names the field and the value at fault. */
    public TSneConfig {
        if (dimensions != 2 && dimensions != 3) {
            throw new IllegalArgumentException("dimensions must be 2 or 3, got " + dimensions);
        }
        if (!(perplexity > 0) || Double.isInfinite(perplexity)) {
            throw new IllegalArgumentException("perplexity must be a positive finite number, got " + perplexity);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be at least 0, got " + iterations);
        }
        if (method == null) {
            throw new IllegalArgumentException("method must not be null; use Method.AUTO to choose by N");
        }
        if (!(theta >= 0) || theta > 1) {
            throw new IllegalArgumentException("theta must be in [0, 1], got " + theta);
        }
        if (!Double.isNaN(learningRate) && !(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                    "learningRate must be positive and finite, or AUTO_LEARNING_RATE (NaN), got " + learningRate);
        }
        if (!(earlyExaggeration >= 1) || Double.isInfinite(earlyExaggeration)) {
            throw new IllegalArgumentException("earlyExaggeration must be at least 1, got " + earlyExaggeration);
        }
        if (exaggerationIterations < 0 || momentumSwitchIteration < 0) {
            throw new IllegalArgumentException("exaggerationIterations and momentumSwitchIteration must be >= 0, got "
                    + exaggerationIterations + " and " + momentumSwitchIteration);
        }
        if (!(initialMomentum >= 0 && initialMomentum < 1) || !(finalMomentum >= 0 && finalMomentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got initialMomentum=" + initialMomentum
                    + " finalMomentum=" + finalMomentum);
        }
        if (!(maxStepNorm >= 0)) {
            throw new IllegalArgumentException("maxStepNorm must be >= 0 (0 turns clipping off), got " + maxStepNorm);
        }
        if (init == null) {
            throw new IllegalArgumentException("init must not be null");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (klEvery < 1) {
            throw new IllegalArgumentException("klEvery must be at least 1, got " + klEvery);
        }
    }

    /** The defaults, with as many threads as the machine has cores. */
    public static TSneConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to change several at once. */
    public Builder toBuilder() {
        return new Builder().dimensions(dimensions).perplexity(perplexity).iterations(iterations).method(method)
                .theta(theta).learningRate(learningRate).earlyExaggeration(earlyExaggeration)
                .exaggerationIterations(exaggerationIterations).initialMomentum(initialMomentum)
                .finalMomentum(finalMomentum).momentumSwitchIteration(momentumSwitchIteration)
                .maxStepNorm(maxStepNorm).init(init).seed(seed).threads(threads).klEvery(klEvery);
    }

    public TSneConfig withDimensions(int value) { return toBuilder().dimensions(value).build(); }
    public TSneConfig withPerplexity(double value) { return toBuilder().perplexity(value).build(); }
    public TSneConfig withIterations(int value) { return toBuilder().iterations(value).build(); }
    public TSneConfig withMethod(Method value) { return toBuilder().method(value).build(); }
    public TSneConfig withTheta(double value) { return toBuilder().theta(value).build(); }
    public TSneConfig withLearningRate(double value) { return toBuilder().learningRate(value).build(); }
    public TSneConfig withInit(Init value) { return toBuilder().init(value).build(); }
    public TSneConfig withSeed(long value) { return toBuilder().seed(value).build(); }
    public TSneConfig withThreads(int value) { return toBuilder().threads(value).build(); }

    /** The learning rate this config uses for {@code n} points: the set value, or max(N/12, 200) if automatic. */
    public double learningRateFor(int n) {
        return Double.isNaN(learningRate) ? Math.max(n / DEFAULT_EARLY_EXAGGERATION, 200) : learningRate;
    }

    /** Mutable builder; starts from the defaults. */
    public static final class Builder {
        private int dimensions = DEFAULT_DIMENSIONS;
        private double perplexity = DEFAULT_PERPLEXITY;
        private int iterations = DEFAULT_ITERATIONS;
        private Method method = Method.AUTO;
        private double theta = DEFAULT_THETA;
        private double learningRate = AUTO_LEARNING_RATE;
        private double earlyExaggeration = DEFAULT_EARLY_EXAGGERATION;
        private int exaggerationIterations = DEFAULT_EXAGGERATION_ITERATIONS;
        private double initialMomentum = DEFAULT_INITIAL_MOMENTUM;
        private double finalMomentum = DEFAULT_FINAL_MOMENTUM;
        private int momentumSwitchIteration = DEFAULT_EXAGGERATION_ITERATIONS;
        private double maxStepNorm = DEFAULT_MAX_STEP_NORM;
        private Init init = Init.PCA;
        private long seed = 42;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int klEvery = DEFAULT_KL_EVERY;

        public Builder dimensions(int v) { dimensions = v; return this; }
        public Builder perplexity(double v) { perplexity = v; return this; }
        public Builder iterations(int v) { iterations = v; return this; }
        public Builder method(Method v) { method = v; return this; }
        public Builder theta(double v) { theta = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder earlyExaggeration(double v) { earlyExaggeration = v; return this; }
        public Builder exaggerationIterations(int v) { exaggerationIterations = v; return this; }
        public Builder initialMomentum(double v) { initialMomentum = v; return this; }
        public Builder finalMomentum(double v) { finalMomentum = v; return this; }
        public Builder momentumSwitchIteration(int v) { momentumSwitchIteration = v; return this; }
        public Builder maxStepNorm(double v) { maxStepNorm = v; return this; }
        public Builder init(Init v) { init = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder klEvery(int v) { klEvery = v; return this; }

        public TSneConfig build() {
            return new TSneConfig(dimensions, perplexity, iterations, method, theta, learningRate, earlyExaggeration,
                    exaggerationIterations, initialMomentum, finalMomentum, momentumSwitchIteration, maxStepNorm,
                    init, seed, threads, klEvery);
        }
    }
}
