package dev.glassbox.bench;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
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
 * One training step (forward, loss, backward, optimizer update) of the seed models on real digits, and seed-CNN
 * inference on 1,000 digits: the end-to-end costs that per-op overhead and the narrow GEMMs decide. PyTorch CPU
 * takes ~9–15 ms per seed-CNN step at batch 64 and ~0.2 ms per seed-MLP step at batch 10 on these machines
 * (EpochReport measures it side by side). The steps run as {@code Trainer.fit} runs them, each in a
 * {@link Workspace} step; {@code cnnStepBatch64Fresh} allocates every array anew, for comparison.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1) @Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Benchmark)
public class TrainingStepBench {
    @Param({"1", "2"}) int threads;

    Sequential cnn;
    Sequential mlp;
    Sgd cnnOptimizer;
    Sgd mlpOptimizer;
    Dataset cnnBatch;
    Dataset mlpBatch;
    Tensor thousand;
    final Workspace cnnWorkspace = new Workspace();
    final Workspace mlpWorkspace = new Workspace();

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Dataset train = Mnist.train();
        cnn = SeedModels.cnn(1);
        mlp = SeedModels.mlp(1);
        cnnOptimizer = new Sgd(cnn.trainableParameters(), 0.01f, 0.9f);
        mlpOptimizer = new Sgd(mlp.trainableParameters(), 0.1f);
        cnnBatch = train.first(64);
        mlpBatch = train.first(10);
        thousand = train.first(1000).inputs();
    }

    /** A step as {@code Trainer.fit} runs it: in a workspace step, on the arrays of the step before. */
    @Benchmark
    public Tensor cnnStepBatch64() {
        try (Workspace.Step ignored = cnnWorkspace.step()) {
            return cnnStep();
        }
    }

    /** The same step with every array allocated anew (no workspace): what buffer reuse saves. */
    @Benchmark
    public Tensor cnnStepBatch64Fresh() {
        return cnnStep();
    }

    private Tensor cnnStep() {
        return SeedWorkloads.cnnStep(cnn, cnnOptimizer, cnnBatch);
    }

    @Benchmark
    public Tensor mlpStepBatch10() {
        try (Workspace.Step ignored = mlpWorkspace.step()) {
            Tensor loss = Losses.categoricalCrossEntropy(mlp.forward(mlpBatch.inputs()),
                    Losses.oneHot(mlpBatch.labels(), 10));
            mlpOptimizer.zeroGrad();
            loss.backward();
            mlpOptimizer.step();
            return loss;
        }
    }

    @Benchmark
    public Tensor cnnInference1000() {
        try (NoGrad ignored = NoGrad.enter()) {
            return cnn.forward(thousand);
        }
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar TrainingStepBench
