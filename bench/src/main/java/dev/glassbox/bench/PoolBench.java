package dev.glassbox.bench;

import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.ops.MaxPool2DOp;
import dev.glassbox.engine.ops.Padding2D;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.SplittableRandom;
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
 * The seed CNN's two 2×2 max-pools at batch 64, forward and backward: pool1 on relu1's output [64, 20, 24, 24]
 * and pool2 on relu2's output [64, 50, 8, 8]. The inputs are relu'd Gaussians, so about half the values are the
 * zeros a real relu output has and the ties go through the "first maximum wins" path. Pooling does almost no
 * arithmetic: one compare per input element forward, one scattered add per output element backward, so it is
 * bound by memory traffic and loop overhead (pool1's input is 2.9 MB). Read it beside {@link Conv2DBench}'s times
 * for the convolution in front of each pool: a pool that costs a sizeable fraction of its convolution is where a
 * training step loses time outside the GEMMs. Backward runs on an op recorded once in setup, so it measures only
 * the scatter into a fresh input gradient.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1) @Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Benchmark)
public class PoolBench {
    @Param({"pool1", "pool2"}) String layer;
    @Param({"64"}) int batch;

    Tensor x;
    Tensor gradOutput;                       // not final: JMH must not constant-fold them
    MaxPool2DOp recorded;

    @Setup
    public void setup() {
        var random = new SplittableRandom(42);
        boolean first = layer.equals("pool1");
        x = Tensors.randn(random, batch, first ? 20 : 50, first ? 24 : 8, first ? 24 : 8).relu();
        recorded = new MaxPool2DOp(2, 2, 2, 2, Padding2D.NONE);
        Tensor y = recorded.apply(x.copy().requiresGrad(true));
        gradOutput = Tensors.randn(random, y.shape());
    }

    @Benchmark
    public Tensor forward() {
        return MaxPool2DOp.maxPool2d(x, 2, 2);
    }

    @Benchmark
    public Tensor backward() {
        return recorded.backward(gradOutput)[0];
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar PoolBench
