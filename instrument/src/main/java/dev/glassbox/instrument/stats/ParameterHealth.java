package dev.glassbox.instrument.stats;

import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.tensor.Tensor;

/**
 * What a {@link HealthMonitor} knows about one parameter: statistics of its gradients, the gradient norm ‖g‖ of
 * each step, and the update-to-weight ratio ‖Δw‖ / ‖w‖ of each optimizer step. A healthy ratio is around 1e-3
 * (Karpathy's rule of thumb); far above, training is unstable; far below, the parameter barely learns.
 *
 * <p>Why a snapshot: the update is only known after the optimizer stepped, but the weights before the step are
 * gone by then. So the weights are copied when the gradient arrives (after backward, before the step), and the
 * ratio is taken when the step is over. The copy costs one parameter-sized buffer, reused every step.
 */
public final class ParameterHealth {
    private final Parameter parameter;
    private final RunningStats gradients = new RunningStats();
    private final Series gradientNorms = new Series();
    private final Series updateRatios = new Series();
    private float[] weightsBeforeStep;
    private boolean snapshotPending;

    ParameterHealth(Parameter parameter) {
        this.parameter = parameter;
    }

    /**
     * Copies the weights as they are before the optimizer's step. On the training thread, in the gradient hook:
     * the optimizer changes them as soon as backward returns.
     */
    void snapshotWeights() {
        float[] w = parameter.value().data();
        if (weightsBeforeStep == null || weightsBeforeStep.length != w.length) {
            weightsBeforeStep = new float[w.length];
        }
        System.arraycopy(w, 0, weightsBeforeStep, 0, w.length);
        snapshotPending = true;
    }

    /** Queues the statistics of one gradient and its norm on {@code lane}, then {@code then}. */
    void observeGradient(Parallel.Lane lane, Tensor gradient, Runnable then) {
        gradients.addOn(lane, gradient.data(), 0, gradient.size(), () -> {
            gradientNorms.add(Math.sqrt(gradients.lastBatchSumSquares()));
            then.run();
        });
    }

    /**
     * After the optimizer stepped: queues ‖w_after − w_before‖ / ‖w_before‖ on {@code lane}, if a snapshot awaits
     * it, as independent pieces of {@value RunningStats#CHUNK} weights (each sums its own part) and one that adds
     * the parts in order. The weights must not change until the lane has run.
     */
    void finishStep(Parallel.Lane lane) {
        if (!snapshotPending) {
            return;
        }
        snapshotPending = false;
        float[] w = parameter.value().data();
        float[] before = weightsBeforeStep;
        int parts = (w.length + RunningStats.CHUNK - 1) / RunningStats.CHUNK;
        double[] sums = new double[2 * parts];          // per part: Σ(Δw)², Σw²
        for (int part = 0; part < parts; part++) {
            int index = part;
            int from = part * RunningStats.CHUNK;
            int to = Math.min(w.length, from + RunningStats.CHUNK);
            lane.submitIndependent(() -> SummaryKernel.best().changeAndSize(w, before, from, to, sums, 2 * index));
        }
        lane.submit(() -> {
            double change = 0;
            double size = 0;
            for (int part = 0; part < parts; part++) {
                change += sums[2 * part];
                size += sums[2 * part + 1];
            }
            // A zero weight (a bias at initialisation) has no scale to compare with: record NaN, not infinity.
            updateRatios.add(size == 0 ? Double.NaN : Math.sqrt(change / size));
        });
    }

    public Parameter parameter() {
        return parameter;
    }

    /** The layer-qualified name, e.g. {@code fc1.kernel}. */
    public String name() {
        return parameter.fullName();
    }

    /** Statistics of every gradient value seen. */
    public RunningStats gradients() {
        return gradients;
    }

    /** ‖g‖₂ of each backward pass. */
    public Series gradientNormPerStep() {
        return gradientNorms;
    }

    /** ‖Δw‖ / ‖w‖ of each optimizer step. */
    public Series updateRatioPerStep() {
        return updateRatios;
    }
}
