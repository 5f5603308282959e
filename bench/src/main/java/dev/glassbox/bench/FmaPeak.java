package dev.glassbox.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's fp32 fused multiply-add peak as the Vector API reaches it, so GEMM speeds can be given
 * as a fraction of what the cores can do at all.
 *
 * <p>An FMA has a latency of about 4 cycles and modern cores issue one or two per cycle, so up to 8 must be in
 * flight to keep the units busy. Each thread therefore runs 12 independent chains {@code acc = acc · x + y} on
 * {@link FloatVector#SPECIES_PREFERRED} vectors, with {@code x} just below 1 so the values neither overflow nor
 * become subnormal (which would be slow). Each FMA counts as 2 flops per lane.
 */
public final class FmaPeak {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    private static final int CALL_ITERATIONS = 1 << 14;

    private FmaPeak() {
    }

    /**
     * Best GFLOP/s of {@code threads} threads running the chains together, over about {@code millis}
     * milliseconds of short slices after a warm-up. The best slice, not the mean, because on a shared machine
     * other tenants only ever make a slice slower. One thread is timed by its own CPU time (see
     * {@link CpuClock}), several each by its own wall time, summed (see {@link #runAll}).
     */
    public static double measureGflops(int threads, long millis) throws Exception {
        int calls = 16;                                         // one slice: calls × CALL_ITERATIONS rounds
        if (threads == 1) {
            double sliceFlops = calls * flops(CALL_ITERATIONS);
            chainsRepeated(calls * 4);                          // warm-up; compiles chains() as a whole method
            long deadline = System.nanoTime() + millis * 1_000_000;
            double best = 0;
            do {
                long start = CpuClock.now();
                chainsRepeated(calls);
                best = Math.max(best, sliceFlops / CpuClock.secondsSince(start) / 1e9);
            } while (System.nanoTime() < deadline);
            return best;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            runAll(pool, threads, calls * 4);
            long deadline = System.nanoTime() + millis * 1_000_000;
            double best = 0;
            do {
                best = Math.max(best, runAll(pool, threads, calls));
            } while (System.nanoTime() < deadline);
            return best;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Short peak measurements to take between other timings ({@link GemmReport#pairedWithPeak}): each
     * {@link #next()} runs about a millisecond of chains on every thread and returns its GFLOP/s, one thread timed
     * by its CPU time, several each by its own wall time, summed. Close it to stop the threads.
     */
    static final class Slices implements AutoCloseable {
        private static final int CALLS = 24;
        private final int threads;
        private final ExecutorService pool;

        Slices(int threads) throws Exception {
            this.threads = threads;
            this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads);
            for (int warm = 0; warm < 8; warm++) {
                next();
            }
        }

        double next() throws Exception {
            if (pool == null) {
                double flops = CALLS * flops(CALL_ITERATIONS);
                long start = CpuClock.now();
                chainsRepeated(CALLS);
                return flops / CpuClock.secondsSince(start) / 1e9;
            }
            return runAll(pool, threads, CALLS);
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    /** Flops of one thread's {@link #chains} call of {@code iterations} rounds. */
    public static double flops(long iterations) {
        return 2.0 * CHAINS * SPECIES.length() * iterations;
    }

    /**
     * Runs {@code calls} rounds of chains on each of {@code threads} pool threads at once; returns their GFLOP/s
     * together, the sum of each thread's flops over its own wall time. Not the whole call's wall time: that also
     * holds the time the pool's sleeping threads take to wake up (tens of microseconds on a virtual machine, a
     * few percent of a millisecond slice), which the engine's own threads, spinning while they wait, no longer pay
     * ({@code Parallel}, "Waiting by spinning first"); a peak that paid it came out below two-thread GEMMs timed beside
     * it.
     */
    private static double runAll(ExecutorService pool, int threads, int calls) throws Exception {
        List<Future<Double>> results = new ArrayList<>();
        double flopsEach = calls * flops(CALL_ITERATIONS);
        for (int t = 0; t < threads; t++) {
            Callable<Double> body = () -> {
                long start = System.nanoTime();
                keep(chainsRepeated(calls));
                return flopsEach / ((System.nanoTime() - start) / 1e9) / 1e9;
            };
            results.add(pool.submit(body));
        }
        double gflops = 0;
        for (Future<Double> result : results) {
            gflops += result.get();
        }
        return gflops;
    }

    /**
     * Many short calls rather than one long one: C2 then compiles {@code chains} as a whole method, where a single
     * long call would run in on-stack-replaced code that can be much slower.
     */
    private static float chainsRepeated(int calls) {
        float sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += chains(CALL_ITERATIONS, 0.999999f, 1e-7f);
        }
        keep(sum);
        return sum;
    }

    private static void keep(float value) {
        if (value == 42f) {                                     // keeps the result alive; practically never true
            System.out.print("");
        }
    }

    /** {@code iterations} rounds of {@value #CHAINS} independent FMAs; returns a value depending on all of them. */
    public static float chains(int iterations, float scale, float shift) {
        FloatVector x = FloatVector.broadcast(SPECIES, scale);
        FloatVector y = FloatVector.broadcast(SPECIES, shift);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 1f), a1 = a0.add(1f), a2 = a0.add(2f), a3 = a0.add(3f);
        FloatVector a4 = a0.add(4f), a5 = a0.add(5f), a6 = a0.add(6f), a7 = a0.add(7f);
        FloatVector a8 = a0.add(8f), a9 = a0.add(9f), a10 = a0.add(10f), a11 = a0.add(11f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Prints the one-core and all-core peaks. */
    public static void main(String[] args) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("fp32 FMA peak, %d-bit vectors: 1 thread %.1f GFLOP/s, %d threads %.1f GFLOP/s%n",
                SPECIES.vectorBitSize(), measureGflops(1, 1000), cores, measureGflops(cores, 1000));
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests &&
//      java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=10000 -cp bench/target/benchmarks.jar \
//      dev.glassbox.bench.FmaPeak
