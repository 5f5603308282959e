package dev.glassbox.bench;

/**
 * How much of the performance suite to run and how long to measure each part. {@code FULL} keeps every
 * benchmark's own JMH settings (its {@code @Fork}, {@code @Warmup}, {@code @Measurement}) and the reference sizes
 * (t-SNE at N = 10,000); {@code QUICK} runs a representative slice of each benchmark class in one short fork and
 * t-SNE at N = 1,000, a few minutes in all; {@code TINY} exists for tests of the plumbing: one pooling benchmark in
 * the calling JVM without warm-up, and comparisons on a few hundred digits. Its numbers mean nothing.
 */
public enum SuiteMode {
    //   forks  warm-up    measurement  gemm ms  peak ms  train  infer  repeats  t-SNE N  t-SNE iterations
    TINY(0, 0, 0, 1, 100, 30, 50, 128, 64, 1, 150, 300),
    QUICK(1, 2, 500, 3, 500, 400, 1000, 8000, 1000, 2, 1000, 1000),
    FULL(-1, -1, -1, -1, -1, 1000, 2000, 8000, 1000, 3, 10_000, 1000);

    /** JMH settings; -1 keeps the benchmark's annotation. */
    final int forks;
    final int warmupIterations;
    final int warmupMillis;
    final int measurementIterations;
    final int measurementMillis;
    /** Milliseconds of timed batches per sgemm shape, and for the FMA peak. */
    final long gemmMillis;
    final long peakMillis;
    /** The seed workloads' digits and repeats (best of). */
    final SeedWorkloads.Sizes sizes;
    final int repeats;
    /** t-SNE: the first N of the shipped digits, and the iterations (1,000 is the reference setting). */
    final int tsneN;
    final int tsneIterations;

    SuiteMode(int forks, int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis,
            long gemmMillis, long peakMillis, int trainDigits, int inferenceDigits, int repeats, int tsneN,
            int tsneIterations) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.measurementIterations = measurementIterations;
        this.measurementMillis = measurementMillis;
        this.gemmMillis = gemmMillis;
        this.peakMillis = peakMillis;
        this.sizes = new SeedWorkloads.Sizes(trainDigits, inferenceDigits);
        this.repeats = repeats;
        this.tsneN = tsneN;
        this.tsneIterations = tsneIterations;
    }

    /** True when JMH runs each benchmark with the settings written on it. */
    boolean keepsAnnotations() {
        return forks < 0;
    }
}

// Used by PerformanceSuite; run it as bench/README.md shows, e.g.
//   ./glassbox bench --quick --compare
