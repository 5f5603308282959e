package dev.glassbox.bench;

import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.kernels.Blas;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.kernels.Sgemm;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.tsne.Pca;
import dev.glassbox.tsne.TSne;
import dev.glassbox.tsne.TSneConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The side-by-side part of the performance suite: each workload timed in Glassbox and in its reference in the same
 * run, on the same machine and load, as {@link Comparison} rows with the project's targets (two threads unless a
 * row says otherwise):
 * <ul>
 *   <li>sgemm 512³ and 1024³ (the default backend, {@link Blas#get()}) against the fp32 FMA peak {@link FmaPeak}
 *       measures, on 1 and 2 threads, each the median of timings taken right after a peak slice
 *       ({@link GemmReport#pairedWithPeak}): at least 85 % of the peak;</li>
 *   <li>the seed CNN's narrow im2col GEMMs at batch 64 ({@link GemmShape}) against {@code torch.mm} on the same
 *       shapes: at least 0.9× its GFLOP/s;</li>
 *   <li>the seed workloads ({@link SeedWorkloads}) against PyTorch: CNN epoch at most 0.8× its time, MLP epoch at
 *       most 0.33×, CNN inference at least 1.2× its images/s;</li>
 *   <li>a seed-CNN training step with full statistics ({@link RecordingBench}'s {@code monitored}) at most 1.10×
 *       the plain step, from the JMH results of the same run;</li>
 *   <li>t-SNE ({@link TSne}, Barnes-Hut, and FFT from N = 10,000, perplexity 30, 1,000 iterations, the whole run from
 *       the input rows) against scikit-learn's Barnes-Hut {@code TSNE(init='pca', learning_rate='auto')}, both on the
 *       same PCA-50 of the shipped digits / 255: at most 0.35× its time at N = 10,000.</li>
 * </ul>
 * A missing Python package becomes a note and rows with Glassbox's numbers alone.
 */
final class Comparisons {
    private static final GemmShape[] NARROW = {GemmShape.CONV1_FORWARD, GemmShape.CONV1_WEIGHT_GRAD,
        GemmShape.CONV2_FORWARD, GemmShape.CONV2_WEIGHT_GRAD};

    private final SuiteMode mode;
    private final int threads;
    private final PythonReference python;
    private final PrintStream log;
    private final List<String> notes;
    private final String torchMissing;
    private final String sklearnMissing;

    Comparisons(SuiteMode mode, int threads, PythonReference python, PrintStream log, List<String> notes) {
        this.mode = mode;
        this.threads = threads;
        this.python = python;
        this.log = log;
        this.notes = notes;
        this.torchMissing = python.missing("torch", "numpy");
        this.sklearnMissing = python.missing("sklearn", "numpy");
        if (torchMissing != null) {
            notes.add("PyTorch reference not run (" + torchMissing + "): Glassbox numbers only.");
        }
        if (sklearnMissing != null) {
            notes.add("scikit-learn reference not run (" + sklearnMissing + "): Glassbox numbers only.");
        }
    }

    /** Every comparison, in the order of the class comment; {@code jmh} supplies the recording rows. */
    List<Comparison> run(List<JmhSuite.Row> jmh) throws Exception {
        int saved = Parallel.threads();
        try {
            List<Comparison> rows = new ArrayList<>();
            rows.addAll(gemmAgainstPeak());
            rows.addAll(narrowGemmsAgainstTorch());
            rows.addAll(seedWorkloads());
            rows.add(recording(jmh));
            rows.addAll(tsne());
            return rows;
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private List<Comparison> gemmAgainstPeak() throws Exception {
        log.println("  sgemm against the fp32 FMA peak ...");
        Sgemm sgemm = Blas.get();
        List<Comparison> rows = new ArrayList<>();
        for (int t : new int[] {1, 2}) {
            for (GemmShape shape : new GemmShape[] {GemmShape.SQUARE_512, GemmShape.SQUARE_1024}) {
                var paired = GemmReport.pairedWithPeak(sgemm, shape, t, mode.gemmMillis + mode.peakMillis);
                rows.add(new Comparison("sgemm " + shape.m + "³, " + t + (t == 1 ? " thread" : " threads"),
                        "GFLOP/s", paired.gflops(), "fp32 FMA peak, timed beside it", paired.peak(), true, 0.85));
            }
        }
        return rows;
    }

    private List<Comparison> narrowGemmsAgainstTorch() throws Exception {
        log.println("  the seed CNN's im2col GEMMs against torch.mm ...");
        Sgemm sgemm = Blas.get();
        List<String> args = new ArrayList<>(List.of(Integer.toString(threads), Long.toString(mode.gemmMillis)));
        for (GemmShape s : NARROW) {
            args.add(String.join(":", key(s), Integer.toString(s.m), Integer.toString(s.n), Integer.toString(s.k),
                    s.transA ? "1" : "0", s.transB ? "1" : "0"));
        }
        PythonReference.Output torch = torchMissing == null ? python.run("torch_gemm.py", args) : null;
        List<Comparison> rows = new ArrayList<>();
        for (GemmShape s : NARROW) {
            rows.add(new Comparison(s + ", " + threadsText(), "GFLOP/s",
                    GemmReport.gflops(sgemm, s, threads, mode.gemmMillis), torchName(torch, "torch.mm"),
                    torch == null ? Double.NaN : torch.number(key(s) + "_gflops"), true, 0.9));
        }
        return rows;
    }

    private List<Comparison> seedWorkloads() throws Exception {
        log.println("  seed workloads against PyTorch ...");
        Parallel.setThreads(threads);
        SeedWorkloads.Sizes sizes = mode.sizes;
        SeedWorkloads.Timings ours = SeedWorkloads.glassbox(sizes, mode.repeats);
        SeedWorkloads.Timings torch = torchMissing == null
                ? SeedWorkloads.pytorch(python, threads, sizes, mode.repeats) : null;
        String reference = torchMissing == null ? "PyTorch" : "PyTorch (not run)";
        String digits = String.format(Locale.ROOT, "%,d digits", sizes.trainDigits());
        double inference = sizes.inferenceDigits();
        return List.of(
                new Comparison("seed CNN training epoch (" + digits + ", batch 64), " + threadsText(), "s",
                        ours.cnnEpoch(), reference, torch == null ? Double.NaN : torch.cnnEpoch(), false, 0.8),
                new Comparison("seed MLP training epoch (" + digits + ", batch 10), " + threadsText(), "s",
                        ours.mlpEpoch(), reference, torch == null ? Double.NaN : torch.mlpEpoch(), false, 0.33),
                new Comparison(String.format(Locale.ROOT, "seed CNN inference (batch %,d), %s", sizes.inferenceDigits(),
                        threadsText()), "images/s", inference / ours.cnnInference(), reference,
                        torch == null ? Double.NaN : inference / torch.cnnInference(), true, 1.2));
    }

    /**
     * The monitored step against the plain step, from this run's JMH results: the steps {@code
     * RecordingBench.pairedSteps} timed side by side when it ran (each the mean over its steps), else the separate
     * benchmarks {@code monitored} and {@code plain}.
     */
    static Comparison recording(List<JmhSuite.Row> jmh) {
        String name = "RecordingBench.pairedSteps";
        double pairs = JmhSuite.secondary(jmh, name, "threads=2", "pairs");
        if (pairs > 0) {
            return new Comparison("seed CNN training step with full statistics (batch 64), 2 threads, "
                    + "each timed beside a plain step", "ms/step",
                    JmhSuite.secondary(jmh, name, "threads=2", "monitoredNanos") / pairs / 1e6,
                    "the plain step beside it (RecordingBench.pairedSteps)",
                    JmhSuite.secondary(jmh, name, "threads=2", "plainNanos") / pairs / 1e6, false, 1.10);
        }
        return new Comparison("seed CNN training step with full statistics (batch 64), 2 threads", "ms/step",
                JmhSuite.score(jmh, "RecordingBench.monitored", "threads=2"), "the plain step (RecordingBench)",
                JmhSuite.score(jmh, "RecordingBench.plain", "threads=2"), false, 1.10);
    }

    private List<Comparison> tsne() throws Exception {
        log.printf(Locale.ROOT, "  t-SNE at N = %,d against scikit-learn ...%n", mode.tsneN);
        float[][] x = TsneGradientBench.pca50(mode.tsneN);        // the tsne module's reference rows
        double sklearn = Double.NaN;
        String reference = "scikit-learn (not run)";
        if (sklearnMissing == null) {
            var input = python.scratch("tsne-input.npy");
            Npy.write(input, new Tensor(TSne.flatten(x), x.length, x[0].length));
            PythonReference.Output out = python.run("sklearn_tsne.py", List.of(input.toString(),
                    Integer.toString(threads), Integer.toString(mode.tsneIterations)));
            sklearn = out.number("seconds");
            reference = "scikit-learn " + out.text("sklearn") + " Barnes-Hut";
        }
        // The FFT method's cost is set by its interpolation grid, which grows with the embedding's extent, not by N:
        // below 10,000 points it costs several times Barnes-Hut (tsne/README.md), so only the full run times it.
        List<TSneConfig.Method> methods = x.length >= 10_000
                ? List.of(TSneConfig.Method.BARNES_HUT, TSneConfig.Method.FFT) : List.of(TSneConfig.Method.BARNES_HUT);
        List<Comparison> rows = new ArrayList<>();
        for (TSneConfig.Method method : methods) {
            TSneConfig config = TSneConfig.builder().method(method).threads(threads).perplexity(30)
                    .iterations(mode.tsneIterations).seed(1).build();
            long start = System.nanoTime();
            TSne.run(x, config);
            double seconds = (System.nanoTime() - start) / 1e9;
            rows.add(new Comparison(String.format(Locale.ROOT, "t-SNE %s, N = %,d, whole run, %s",
                    method == TSneConfig.Method.FFT ? "FFT" : "Barnes-Hut", x.length, threadsText()), "s", seconds,
                    reference, sklearn, false, x.length >= TSNE_TARGET_N ? 0.35 : Double.NaN));
        }
        return rows;
    }

    /** The size the t-SNE target (≤ 0.35 × scikit-learn's time) is set for; smaller runs are shown for scale. */
    private static final int TSNE_TARGET_N = 10_000;

    private String threadsText() {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    private static String key(GemmShape shape) {
        return shape.name().toLowerCase(Locale.ROOT);
    }

    private static String torchName(PythonReference.Output torch, String what) {
        return torch == null ? what + " (not run)" : "PyTorch " + torch.text("torch") + " " + what;
    }
}

// Used by PerformanceSuite; run it as bench/README.md shows, e.g.
//   ./glassbox bench --quick --compare
