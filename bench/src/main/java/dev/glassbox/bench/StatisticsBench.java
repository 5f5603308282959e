package dev.glassbox.bench;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.RecordingListener;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.instrument.stats.RunningStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The statistics' own hot loop: {@link RunningStats#add} over every tensor a default {@link HealthMonitor} reads in
 * one training step of the seed CNN (batch 64): the outputs of its 12 layers and the gradients of its 8
 * parameters, 2.72 million values, taken at step 50 of SGD so that they look like a training run's (a ReLU's
 * zeros, gradients shrunk below the histograms' first range). Each call adds all of them to their statistics, as
 * one monitored step does, but here on the calling thread alone (or split over the threads with {@code threads}
 * 2), with no lane, no hooks and nothing else running: what the monitor would cost if nothing else did. The
 * arrays (11 MB) are read from L3, as a monitor reads a tensor some time after the layer wrote it.
 *
 * <p>Read it beside {@link RecordingBench}: a monitored step on two threads costs about as much more than a plain
 * one as this benchmark takes on one thread spread over two cores, plus the pieces' hand-overs and the cache space
 * the statistics take from the kernels. Divide by {@link #VALUES} for nanoseconds a value.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1) @Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Benchmark)
public class StatisticsBench {
    /** Values a monitored seed-CNN step reads (batch 64): 12 layer outputs and 8 parameter gradients. */
    static final long VALUES = 2_717_416;
    private static final int STEPS_BEFORE = 50;

    @Param({"1", "2"}) int threads;

    List<float[]> tensors;
    RunningStats[] stats;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        tensors = oneMonitoredStep();
        long values = tensors.stream().mapToLong(t -> t.length).sum();
        if (tensors.size() != 20 || values != VALUES) {
            throw new IllegalStateException("the seed CNN's monitored step changed: " + tensors.size()
                    + " tensors of " + values + " values, where this benchmark's documentation says 20 of " + VALUES);
        }
        stats = new RunningStats[tensors.size()];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new RunningStats();
            stats[i].add(tensors.get(i));               // fixes each histogram's range, as a monitor's first step
        }
    }

    /** The tensors a default monitor reads in the 51st training step of the seed CNN, in the order it reads them. */
    static List<float[]> oneMonitoredStep() {
        Dataset batch = Mnist.train().first(64);
        Sequential model = SeedModels.cnn(1);
        Sgd optimizer = new Sgd(model.trainableParameters(), 0.01f, 0.9f);
        List<float[]> taken = new ArrayList<>();
        boolean[] taking = {false};
        Recorder recorder = Recorder.attach(model, model.layers(), HealthMonitor.DEFAULT_KINDS,
                new RecordingListener() {
                    @Override
                    public void onActivation(int step, Layer layer, Tensor output) {
                        if (taking[0] && NoGrad.isRecording()) {
                            taken.add(output.data().clone());
                        }
                    }

                    @Override
                    public void onParameterGradient(int step, Parameter parameter, Tensor gradient) {
                        if (taking[0]) {
                            taken.add(gradient.data().clone());
                        }
                    }
                });
        try (recorder) {
            for (int step = 0; step <= STEPS_BEFORE; step++) {
                taking[0] = step == STEPS_BEFORE;
                SeedWorkloads.cnnStep(model, optimizer, batch);
            }
        }
        return taken;
    }

    @Benchmark
    public RunningStats[] oneStepOfTensors() {
        for (int i = 0; i < stats.length; i++) {
            stats[i].add(tensors.get(i));
        }
        return stats;
    }
}
