package dev.glassbox.bench;

import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.kernels.Sgemm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A quick table of sgemm speed for every backend and {@link GemmShape}, on 1 and 2 threads, as GFLOP/s and as a
 * percentage of the fp32 FMA peak measured by {@link FmaPeak} on the same number of threads.
 *
 * <p>Not a substitute for {@link SgemmBench}: each cell is measured in one JVM after a short warm-up, as the
 * medians of {@link #pairedWithPeak paired} timings: about 20 ms of the product right after a millisecond of the
 * FMA peak, so that each percentage compares the two at the same moment. Arguments (all optional): milliseconds
 * per cell (default 600) and a comma-separated list of backends (default all).
 */
public final class GemmReport {

    private GemmReport() {
    }

    public static void main(String[] args) throws Exception {
        long millis = args.length > 0 ? Long.parseLong(args[0]) : 600;
        List<String> backends = args.length > 1 ? Arrays.asList(args[1].split(",")) : GemmBackends.NAMES;
        double peak1 = FmaPeak.measureGflops(1, 1500);
        double peak2 = FmaPeak.measureGflops(2, 1500);
        System.out.printf("JDK %s, %s, %d cores, load average %.1f; fp32 FMA peak %.1f GFLOP/s on 1 thread"
                        + " (%s), %.1f on 2 (wall time), best slices; each %%peak below is paired%n",
                Runtime.version(), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                peak1, CpuClock.describe(), peak2);
        for (String name : backends) {                          // let the JIT settle before the first cell
            gflops(GemmBackends.create(name), GemmShape.SQUARE_128, 1, 1000);
        }
        System.out.printf("%-42s %-7s %9s %6s %9s %6s%n", "shape (m×n×k)", "backend", "1t GF/s", "%peak",
                "2t GF/s", "%peak");
        for (GemmShape shape : GemmShape.values()) {
            for (String name : backends) {
                Sgemm sgemm = GemmBackends.create(name);
                Paired one = pairedWithPeak(sgemm, shape, 1, millis);
                String row = String.format("%-42s %-7s %9.1f %5.0f%%", shape, name, one.gflops(),
                        100 * one.ratio());
                if (GemmBackends.isMultithreaded(name)) {
                    Paired two = pairedWithPeak(sgemm, shape, 2, millis);
                    row += String.format(" %9.1f %5.0f%%", two.gflops(), 100 * two.ratio());
                } else {
                    row += String.format(" %9s %6s", "-", "-");
                }
                System.out.println(row);
            }
        }
    }

    /**
     * Best GFLOP/s over short batches (about 20 ms, at least one call) filling {@code millis}, after a warm-up of
     * a third of that. The best batch, as for the peak: on a shared machine other work only slows batches down.
     * One thread runs inline and is timed by its CPU time; two threads by the wall clock.
     */
    static double gflops(Sgemm sgemm, GemmShape s, int threads, long millis) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Runnable call = product(sgemm, s);
            timeBatch(call, millis / 3, threads);               // warm-up: JIT compilation, pack buffers, pool
            long deadline = System.nanoTime() + millis * 1_000_000;
            double best = Double.MAX_VALUE;
            do {
                best = Math.min(best, timeBatch(call, 20, threads));
            } while (System.nanoTime() < deadline);
            return s.flops() / best / 1e9;
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** Medians of paired measurements: the GEMM's GFLOP/s, the FMA peak's, and their per-pair ratio. */
    record Paired(double gflops, double peak, double ratio, int pairs) {}

    /**
     * The GEMM against the FMA peak, each GEMM timing (about 20 ms of calls) right after a peak slice of about a
     * millisecond on as many threads, for about {@code millis}: medians over the pairs. On a shared machine whose
     * speed moves by up to 2× within seconds, a peak measured once and a GEMM timed later can come from different
     * phases (this machine gave 0.30 and 1.05 of "peak" for the same code in two such runs); a pair sees one phase.
     */
    static Paired pairedWithPeak(Sgemm sgemm, GemmShape s, int threads, long millis) throws Exception {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try (FmaPeak.Slices peakSlices = new FmaPeak.Slices(threads)) {
            Runnable call = product(sgemm, s);
            timeBatch(call, millis / 3, threads);               // warm-up: JIT compilation, pack buffers, pool
            List<Double> gemm = new ArrayList<>();
            List<Double> peak = new ArrayList<>();
            List<Double> ratio = new ArrayList<>();
            long deadline = System.nanoTime() + millis * 1_000_000;
            do {
                // The engine's worker polls for a while after each call before it sleeps (Parallel, "Waiting by
                // spinning first"); a peak slice started meanwhile finds a core taken, and the scheduler may put
                // both of its threads on the other one for the whole slice (two-thread peaks of one core's worth
                // were measured so). So the slice starts once the worker sleeps.
                Thread.sleep(TimeUnit.MICROSECONDS.toMillis(Parallel.spinMicros()) + 1);
                double p = peakSlices.next();
                double g = s.flops() / timeBatch(call, 20, threads) / 1e9;
                gemm.add(g);
                peak.add(p);
                ratio.add(g / p);
            } while (System.nanoTime() < deadline);
            return new Paired(Median.of(gemm), Median.of(peak), Median.of(ratio), ratio.size());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** One call of the shape's product on random operands (the same for every backend), C overwritten. */
    private static Runnable product(Sgemm sgemm, GemmShape s) {
        var random = new Random(42);
        float[] a = SgemmBench.randn(random, s.m * s.k);
        float[] b = SgemmBench.randn(random, s.k * s.n);
        float[] c = new float[s.m * s.n];
        return () -> sgemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0,
                s.n);
    }

    /** Calls {@code call} for about {@code millis} of wall time (at least once); returns seconds per call. */
    private static double timeBatch(Runnable call, long millis, int threads) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long start = threads == 1 ? CpuClock.now() : System.nanoTime();
        int calls = 0;
        do {
            call.run();
            calls++;
        } while (System.nanoTime() < deadline);
        long elapsed = (threads == 1 ? CpuClock.now() : System.nanoTime()) - start;
        return elapsed / 1e9 / calls;
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests &&
//      java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=10000 -cp bench/target/benchmarks.jar \
//      dev.glassbox.bench.GemmReport \
//      [milliseconds per cell] [backends, e.g. vector,jblas]
