package dev.glassbox.bench;

import dev.glassbox.engine.kernels.Blas;
import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.ops.Conv2DOp;
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
 * The seed CNN's two convolutions at batch 64 (conv1: 1→20 channels, 5x5, on 28x28; conv2: 20→50, 5x5, on 12x12),
 * split into the three products a training step needs: forward (W·cols), the input gradient (Wᵀ·dY, then col2im)
 * and the weight gradient (dY·colsᵀ, after im2col). Each backward runs on an op recorded once in setup with only
 * the input (or only the weight) requiring a gradient, so it measures that one product plus its im2col/col2im.
 * Expect the weight gradient of conv1 (K = 25, long inner dimension 576) and everything in conv2's small
 * 8x8 output to be far from the GEMM peak; compare with PyTorch's ~8 ms of GEMMs per seed-CNN step.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1) @Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Benchmark)
public class Conv2DBench {
    @Param({"conv1", "conv2"}) String layer;
    @Param({"64"}) int batch;

    Tensor x;
    Tensor w;
    Tensor b;
    Tensor gradOutput;                       // not final: JMH must not constant-fold them
    Conv2DOp inputGradientOp;
    Conv2DOp weightGradientOp;

    @Setup
    public void setup() {
        var random = new SplittableRandom(42);
        boolean first = layer.equals("conv1");
        x = Tensors.randn(random, batch, first ? 1 : 20, first ? 28 : 12, first ? 28 : 12);
        w = Tensors.normal(random, 0f, 0.1f, first ? 20 : 50, first ? 1 : 20, 5, 5);
        b = Tensors.normal(random, 0f, 0.1f, w.dim(0));
        Tensor y = Conv2DOp.conv2d(x, w, b, Conv2DOp.Options.DEFAULT);
        gradOutput = Tensors.randn(random, y.shape());
        inputGradientOp = recorded(x.copy().requiresGrad(true), w.copy());
        weightGradientOp = recorded(x.copy(), w.copy().requiresGrad(true));
        System.out.println("# sgemm backend: " + Blas.get().name());
    }

    private static Conv2DOp recorded(Tensor x, Tensor w) {
        var op = new Conv2DOp(Conv2DOp.Options.DEFAULT);
        op.apply(x, w, null);
        return op;
    }

    @Benchmark
    public Tensor forward() {
        return Conv2DOp.conv2d(x, w, b, Conv2DOp.Options.DEFAULT);
    }

    @Benchmark
    public Tensor backwardInput() {
        return inputGradientOp.backward(gradOutput)[0];
    }

    @Benchmark
    public Tensor backwardWeights() {
        return weightGradientOp.backward(gradOutput)[1];
    }
}
// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar Conv2DBench
