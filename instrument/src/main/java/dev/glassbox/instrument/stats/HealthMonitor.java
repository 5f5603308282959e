package dev.glassbox.instrument.stats;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import dev.glassbox.engine.train.History;
import dev.glassbox.engine.train.TrainingListener;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.RecordingListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-layer health statistics of a model while it trains, in memory that does not grow with the data (only the
 * per-step series grow, by a few numbers per step). Attach, train, read the {@link #report()}:
 *
 * <pre>
 *   try (HealthMonitor monitor = HealthMonitor.attach(model)) {
 *       Trainer.fit(model, loss, optimizer, data, options, monitor);   // also a TrainingListener
 *       System.out.println(monitor.report().findings());
 *   }
 * </pre>
 *
 * In a loop of your own, call {@link #stepFinished()} after each {@code optimizer.step()} and {@link #epochFinished()}
 * at the end of each epoch (dead units are judged per epoch). Without these calls the update ratio of step k is
 * taken when step k+1 starts, and dead units are counted over everything seen.
 *
 * <p>Steps count the forward passes that record a graph (training steps); passes without one, such as the
 * validation inside {@code Trainer.fit}, are not watched and do not count.
 *
 * <p><b>Where the arithmetic runs.</b> With one engine thread, in the hooks. With more, the hooks only queue it,
 * in pieces, on a {@link Parallel.Lane}: the engine's pool workers run it while they have no kernel to run (a
 * training step leaves them idle for part of the time), and the monitor runs what is left when the next step
 * starts and before any result is read. The numbers are the same either way. So read the results through the
 * monitor, or between steps, not from another thread while a step runs.
 */
public final class HealthMonitor implements RecordingListener, TrainingListener, AutoCloseable {
    /** Where and when the first NaN or infinity appeared. */
    public record NonFinite(int step, String where, boolean nan) {
        @Override
        public String toString() {
            return (nan ? "NaN" : "Inf") + " first seen in " + where + " at step " + step;
        }
    }

    private final Map<Layer, LayerHealth> layers = new LinkedHashMap<>();
    private final Map<Parameter, ParameterHealth> parameters = new LinkedHashMap<>();
    private final RunningStats inputGradients = new RunningStats();
    private final Series losses = new Series();
    private final Recorder recorder;
    private final Parallel.Lane lane = new Parallel.Lane();
    private NonFinite firstNaN;
    private NonFinite firstInfinity;
    private int lastRecorderStep = Integer.MIN_VALUE;
    private int step = -1;                             // forward passes with a graph since attaching, from 0
    private final int interval;

    /**
     * What {@link #attach(Model)} watches: outputs and parameter gradients. The gradients arriving at each layer's
     * output are left out by default because they double the work (they are as large as the activations); ask for
     * them with {@link #attach(Model, Recorder.Kinds)} and {@code Recorder.Kinds.LAYERS} (every statistic of every
     * layer) or {@code Recorder.Kinds.ALL} (also dL/d(input), which makes backward compute gradients that training
     * itself does not need).
     */
    public static final Recorder.Kinds DEFAULT_KINDS = new Recorder.Kinds(true, false, true);

    private HealthMonitor(Model model, Recorder.Kinds kinds, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("monitoring interval must be at least 1 step, got " + interval);
        }
        this.interval = interval;
        for (Layer layer : model.layers()) {
            layers.put(layer, new LayerHealth(layer));
            for (Parameter p : layer.parameters()) {
                parameters.put(p, new ParameterHealth(p));
            }
        }
        this.recorder = Recorder.attach(model, model.layers(), kinds, this);
    }

    /** Watches every layer and parameter of {@code model} until {@link #close()}, with {@link #DEFAULT_KINDS}. */
    public static HealthMonitor attach(Model model) {
        return new HealthMonitor(model, DEFAULT_KINDS, 1);
    }

    /** Watches every layer of {@code model} with the chosen kinds ({@code Recorder.Kinds.ALL} for everything). */
    public static HealthMonitor attach(Model model, Recorder.Kinds kinds) {
        return new HealthMonitor(model, kinds, 1);
    }

    /**
     * Watches only every {@code interval}-th step (0, interval, 2·interval, ...), for long runs where watching
     * every step costs too much: the statistics, series, dead units and update ratios then describe those steps,
     * and a NaN is reported at the first watched step that shows it (at most interval − 1 steps late).
     */
    public static HealthMonitor attach(Model model, Recorder.Kinds kinds, int interval) {
        return new HealthMonitor(model, kinds, interval);
    }

    @Override
    public void onActivation(int recorderStep, Layer layer, Tensor output) {
        if (!NoGrad.isRecording() || !watched(recorderStep)) {
            return;                                   // an evaluation pass (no graph) is not a training step
        }
        LayerHealth health = layers.get(layer);
        watch(health.activations(), layer.name(), " output", output,
                then -> health.observeActivation(lane, output, then));
    }

    @Override
    public void onOutputGradient(int recorderStep, Layer layer, Tensor gradOutput) {
        if (!watched(recorderStep)) {
            return;
        }
        LayerHealth health = layers.get(layer);
        watch(health.outputGradients(), layer.name(), " output gradient", gradOutput,
                then -> health.observeOutputGradient(lane, gradOutput, then));
    }

    @Override
    public void onInputGradient(int recorderStep, Tensor gradInput) {
        if (!watched(recorderStep)) {
            return;
        }
        watch(inputGradients, "input", " gradient", gradInput,
                then -> inputGradients.addOn(lane, gradInput.data(), 0, gradInput.size(), then));
    }

    @Override
    public void onParameterGradient(int recorderStep, Parameter parameter, Tensor gradient) {
        if (!watched(recorderStep)) {
            return;
        }
        ParameterHealth health = parameters.get(parameter);
        health.snapshotWeights();
        watch(health.gradients(), parameter.fullName(), " gradient", gradient,
                then -> health.observeGradient(lane, gradient, then));
    }

    /**
     * Queues the statistics of one tensor on the lane: {@code observe} queues the pass that adds it to
     * {@code stats} and runs its argument afterwards, which notes the place "{@code name}{@code what}" if the
     * tensor held the first NaN or infinity the monitor has seen (counted against the statistics before it).
     * The pass may run after the step ends, so the tensor is retained until then: a {@link Workspace} (as in
     * {@code Trainer.fit}) must not hand its array to the next step while the pass still reads it.
     */
    private void watch(RunningStats stats, String name, String what, Tensor tensor, Consumer<Runnable> observe) {
        int at = step;
        long[] badBefore = new long[1];
        Runnable release = Workspace.retain(tensor);
        lane.submit(() -> badBefore[0] = badCount(stats));
        observe.accept(() -> {
            release.run();
            noteNonFinite(at, name, what, stats, badBefore[0]);
        });
        runNowIfSingleThreaded();
    }

    /** With one engine thread there is no idle worker to wait for: the queued pieces run here and now. */
    private void runNowIfSingleThreaded() {
        if (Parallel.threads() < 2) {
            lane.drain();
        }
    }

    /**
     * Advances the monitor's own step when the recorder's changes (the recorder counts every forward pass, the
     * monitor only those that record a graph), closing the previous optimizer step if {@link #stepFinished()} was
     * not called, and finishing the previous step's statistics (from here on the optimizer may change the weights
     * they read); then says whether this step is one the interval watches.
     */
    private boolean watched(int recorderStep) {
        if (recorderStep != lastRecorderStep) {
            lastRecorderStep = recorderStep;
            step++;
            stepFinished();
            lane.drain();
        }
        return step % interval == 0;
    }

    /** NaN and infinity counts packed in one long (each count stays far below 2³²). */
    private static long badCount(RunningStats stats) {
        return (stats.nanCount() << 32) + stats.infinityCount();
    }

    /** Notes the place "{@code name}{@code what}" if it shows the first NaN or infinity (named only then). */
    private void noteNonFinite(int step, String name, String what, RunningStats stats, long badBefore) {
        if (firstNaN == null && stats.nanCount() > badBefore >>> 32) {
            firstNaN = new NonFinite(step, name + what, true);
        }
        if (firstInfinity == null && stats.infinityCount() > (badBefore & 0xffffffffL)) {
            firstInfinity = new NonFinite(step, name + what, false);
        }
    }

    /** Records the update-to-weight ratios of the optimizer step that just finished. */
    public void stepFinished() {
        for (ParameterHealth health : parameters.values()) {
            health.finishStep(lane);
        }
        runNowIfSingleThreaded();
    }

    /** Ends an epoch: judges dead units over it and starts counting afresh. */
    public void epochFinished() {
        lane.submit(() -> layers.values().forEach(LayerHealth::endEpoch));
        runNowIfSingleThreaded();
    }

    @Override
    public void batchFinished(int epoch, int batch, float loss) {
        stepFinished();
        losses.add(loss);
    }

    @Override
    public void epochFinished(History.Epoch summary) {
        epochFinished();
    }

    /**
     * Runs the statistics still queued and returns when they are done: what reading any result does first.
     * Useful where the time of a step should include all the work it queued (a benchmark), since otherwise the
     * engine's workers finish it during the next step.
     */
    public void flush() {
        lane.drain();
    }

    /** The health of every layer, in model order. */
    public List<LayerHealth> layers() {
        lane.drain();
        return List.copyOf(layers.values());
    }

    /** The health of every parameter, in model order. */
    public List<ParameterHealth> parameters() {
        lane.drain();
        return List.copyOf(parameters.values());
    }

    /** Statistics of dL/d(input) of the model. */
    public RunningStats inputGradients() {
        lane.drain();
        return inputGradients;
    }

    /** Every how many steps the statistics are taken (1: every step). */
    public int interval() {
        return interval;
    }

    /** The loss of each batch, when the monitor is a listener of {@code Trainer.fit}. */
    public Series losses() {
        return losses;
    }

    /** The first NaN or infinity seen, or null. */
    public NonFinite firstNonFinite() {
        lane.drain();
        if (firstNaN == null || firstInfinity == null) {
            return firstNaN != null ? firstNaN : firstInfinity;
        }
        return firstInfinity.step() < firstNaN.step() ? firstInfinity : firstNaN;
    }

    /** The first NaN seen, or null. */
    public NonFinite firstNaN() {
        lane.drain();
        return firstNaN;
    }

    /** The first ±infinity seen, or null. */
    public NonFinite firstInfinity() {
        lane.drain();
        return firstInfinity;
    }

    /** Turns the statistics into findings (see {@link HealthReport} for the thresholds). */
    public HealthReport report() {
        lane.drain();
        return HealthReport.of(this);
    }

    /** Removes every hook and finishes the statistics still queued; they stay readable. Idempotent. */
    @Override
    public void close() {
        recorder.close();
        lane.drain();
    }
}
