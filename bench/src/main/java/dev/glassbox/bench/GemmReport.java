package dev.glassbox.bench;

import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.kernels.Sgemm;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A quick table of sgemm speed for every backend and {@link GemmShape}, on 1 and 2 threads, as GFLOP/s and as a
 * percentage of the fp32 FMA peak measured by {@link FmaPeak} on the same number of threads.
 *
 * <p>Not a substitute for {@link SgemmBench}: each cell is the best of short timed batches after a short warm-up,
 * in one JVM, so expect a few percent of noise, more on a busy machine. Arguments (all optional): milliseconds
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
                        + " (%s), %.1f on 2 (wall time)%n", Runtime.version(), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
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
                double one = gflops(sgemm, shape, 1, millis);
                String row = String.format("%-42s %-7s %9.1f %5.0f%%", shape, name, one, 100 * one / peak1);
                if (GemmBackends.isMultithreaded(name)) {
                    double two = gflops(sgemm, shape, 2, millis);
                    row += String.format(" %9.1f %5.0f%%", two, 100 * two / peak2);
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
            var random = new Random(42);
            float[] a = SgemmBench.randn(random, s.m * s.k);
            float[] b = SgemmBench.randn(random, s.k * s.n);
            float[] c = new float[s.m * s.n];
            Runnable call = () -> sgemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, 0, s.lda(), b, 0,
                    s.ldb(), 0f, c, 0, s.n);
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
//      java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.glassbox.bench.GemmReport \
//      [milliseconds per cell] [backends, e.g. vector,jblas]
