package dev.glassbox.bench;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.RecordingListener;
import dev.glassbox.instrument.stats.HealthMonitor;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What watching costs: one seed-CNN training step (batch 64, SGD with momentum) plain, after a monitor of every
 * kind was attached and closed again ({@code hooksRemoved}: target ≤ 1.01 × plain), with every hook of every
 * layer registered but doing nothing ({@code hooksOnly}: the recorder's own overhead, including the backward work
 * that recording dL/d(input) adds), and with the full {@link HealthMonitor} statistics of every layer's output and
 * parameter gradients ({@code monitored}: target ≤ 1.10 × plain) and also of its output gradients
 * ({@code monitoredAll}, with {@code Recorder.Kinds.LAYERS}). Each variant trains its own copy of the model, so
 * they do the same arithmetic. {@link RecordingReport} measures the same variants side by side in CPU time, which
 * a busy machine disturbs less.
 *
 * <p>{@code pairedSteps} is the one {@code glassbox bench} checks: each call runs a step of the plain model and
 * one of the monitored model (the ones {@code plain} and {@code monitored} train; JMH runs each benchmark in a
 * fork of its own), in alternating order, and times each ({@link PairedClock}). On a shared machine whose
 * speed drifts by tens of percent within a minute, {@code monitored} and {@code plain}, measured minutes apart in
 * separate forks, can differ by more than the 10 % they are meant to resolve; two steps timed within a few
 * milliseconds of each other see the same machine, so the ratio of their sums is what the monitor costs. The
 * monitored step's time ends when its statistics are done ({@link HealthMonitor#flush}): the engine's workers
 * would otherwise finish them during the plain step that follows, which would then carry part of their cost.
 * (Turns of four steps of each kind, where a step's queued statistics run beside the next monitored step as in
 * {@code Trainer.fit}, measured no lower: 1.144 and 1.149 against 1.134 and 1.136.)
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1) @Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Benchmark)
public class RecordingBench {
    @Param({"1", "2"}) int threads;

    Sequential plainModel;
    Sequential removedModel;
    Sequential hookedModel;
    Sequential monitoredModel;
    Sequential monitoredAllModel;
    Sgd plainOptimizer;
    Sgd removedOptimizer;
    Sgd hookedOptimizer;
    Sgd monitoredOptimizer;
    Sgd monitoredAllOptimizer;
    Recorder recorder;
    HealthMonitor monitor;
    HealthMonitor monitorAll;
    Dataset batch;
    final Map<Sequential, Workspace> workspaces = new IdentityHashMap<>();

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        batch = Mnist.train().first(64);
        plainModel = SeedModels.cnn(1);
        removedModel = SeedModels.cnn(1);
        hookedModel = SeedModels.cnn(1);
        monitoredModel = SeedModels.cnn(1);
        monitoredAllModel = SeedModels.cnn(1);
        plainOptimizer = new Sgd(plainModel.trainableParameters(), 0.01f, 0.9f);
        removedOptimizer = new Sgd(removedModel.trainableParameters(), 0.01f, 0.9f);
        hookedOptimizer = new Sgd(hookedModel.trainableParameters(), 0.01f, 0.9f);
        monitoredOptimizer = new Sgd(monitoredModel.trainableParameters(), 0.01f, 0.9f);
        monitoredAllOptimizer = new Sgd(monitoredAllModel.trainableParameters(), 0.01f, 0.9f);
        HealthMonitor.attach(removedModel, Recorder.Kinds.ALL).close();
        recorder = Recorder.attach(hookedModel, new RecordingListener() { });
        monitor = HealthMonitor.attach(monitoredModel);
        monitorAll = HealthMonitor.attach(monitoredAllModel, Recorder.Kinds.LAYERS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        recorder.close();
        monitor.close();
        monitorAll.close();
    }

    /** A step as {@code Trainer.fit} runs it: in a step of the model's own workspace. */
    private Tensor step(Sequential model, Sgd optimizer) {
        try (Workspace.Step ignored = workspaces.computeIfAbsent(model, m -> new Workspace()).step()) {
            return SeedWorkloads.cnnStep(model, optimizer, batch);
        }
    }

    @Benchmark
    public Tensor plain() {
        return step(plainModel, plainOptimizer);
    }

    @Benchmark
    public Tensor hooksRemoved() {
        return step(removedModel, removedOptimizer);
    }

    @Benchmark
    public Tensor hooksOnly() {
        return step(hookedModel, hookedOptimizer);
    }

    @Benchmark
    public Tensor monitored() {
        Tensor loss = step(monitoredModel, monitoredOptimizer);
        monitor.stepFinished();
        return loss;
    }

    /**
     * The time {@link #pairedSteps} spent in each kind of step during one iteration (JMH reports the sums as
     * secondary results, so their ratio comes from the same moments of the same fork).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PairedClock {
        public long plainNanos;
        public long monitoredNanos;
        public long pairs;
        boolean monitoredFirst;

        @Setup(Level.Iteration)
        public void reset() {
            plainNanos = 0;
            monitoredNanos = 0;
            pairs = 0;
        }
    }

    @Benchmark
    public Tensor pairedSteps(PairedClock clock) {
        clock.monitoredFirst = !clock.monitoredFirst;           // neither kind always runs on a warmer cache
        if (clock.monitoredFirst) {
            pairedMonitored(clock);
            return pairedPlain(clock);
        }
        pairedPlain(clock);
        return pairedMonitored(clock);
    }

    private Tensor pairedPlain(PairedClock clock) {
        long start = System.nanoTime();
        Tensor loss = plain();
        clock.plainNanos += System.nanoTime() - start;
        clock.pairs++;
        return loss;
    }

    private Tensor pairedMonitored(PairedClock clock) {
        long start = System.nanoTime();
        Tensor loss = monitored();
        monitor.flush();                        // its statistics within its own time, not the plain step's next
        clock.monitoredNanos += System.nanoTime() - start;
        return loss;
    }

    @Benchmark
    public Tensor monitoredAll() {
        Tensor loss = step(monitoredAllModel, monitoredAllOptimizer);
        monitorAll.stepFinished();
        return loss;
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar RecordingBench
