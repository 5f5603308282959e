package dev.glassbox.bench;

import dev.glassbox.engine.kernels.JvmOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fp32 FMA peak per thread, in JMH: one operation is one vector FMA, so the reported ops/ns times
 * 2 × lanes (16 with AVX-512, 8 with AVX2) is GFLOP/s. Run with {@code -t 2} for two threads. Expect about
 * 2 FMAs per cycle on cores with two FMA ports.
 */
@BenchmarkMode(Mode.Throughput) @OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1) @Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Thread)
public class FmaPeakBench {
    private static final int ITERATIONS = 1 << 16;
    float scale = 0.999999f;                                    // not final: JMH must not constant-fold them
    float shift = 1e-7f;

    @Benchmark @OperationsPerInvocation(12 * ITERATIONS)
    public float independentChains() {
        return FmaPeak.chains(ITERATIONS, scale, shift);
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar FmaPeakBench
