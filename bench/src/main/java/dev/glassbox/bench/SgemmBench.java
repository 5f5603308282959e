package dev.glassbox.bench;

import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.kernels.Sgemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One sgemm per invocation, per backend, shape and thread count. GFLOP/s = {@code 2·m·n·k / time}; see
 * {@link GemmShape} for the shapes and {@link GemmReport} for the same numbers as a table with % of peak.
 * Expect vector ≫ jblas > scalar ≈ ejml on the squares, and the narrow CNN shapes well below the squares.
 * EJML and jblas are single-threaded, so their threads=2 rows repeat threads=1.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1) @Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Benchmark)
public class SgemmBench {
    @Param({"vector", "scalar", "ejml", "jblas"}) String backend;
    @Param({"SQUARE_64", "SQUARE_128", "SQUARE_256", "SQUARE_512", "SQUARE_1024", "CONV1_FORWARD",
        "CONV1_WEIGHT_GRAD", "CONV2_FORWARD", "CONV2_WEIGHT_GRAD", "FC1_FORWARD", "FC2_FORWARD"}) String shape;
    @Param({"1", "2"}) int threads;

    Sgemm sgemm;
    GemmShape s;
    float[] a, b, c;                    // not final: JMH must not constant-fold them

    @Setup public void setup() {
        Parallel.setThreads(threads);
        sgemm = GemmBackends.create(backend);
        s = GemmShape.valueOf(shape);
        var random = new Random(42);
        a = randn(random, s.m * s.k);
        b = randn(random, s.k * s.n);
        c = new float[s.m * s.n];
    }

    @Benchmark public float[] sgemm() {
        sgemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0, s.n);
        return c;
    }

    static float[] randn(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar SgemmBench
//      (one slice: ... SgemmBench -p backend=vector -p shape=SQUARE_1024 -p threads=1)
