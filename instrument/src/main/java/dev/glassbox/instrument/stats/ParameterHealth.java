package dev.glassbox.instrument.stats;

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

    void observeGradient(Tensor gradient) {
        gradients.add(gradient.data());
        gradientNorms.add(Math.sqrt(gradients.lastBatchSumSquares()));
        float[] w = parameter.value().data();
        if (weightsBeforeStep == null || weightsBeforeStep.length != w.length) {
            weightsBeforeStep = new float[w.length];
        }
        System.arraycopy(w, 0, weightsBeforeStep, 0, w.length);
        snapshotPending = true;
    }

    /** Called once the optimizer has stepped: records ‖w_after − w_before‖ / ‖w_before‖. */
    void finishStep() {
        if (!snapshotPending) {
            return;
        }
        snapshotPending = false;
        float[] w = parameter.value().data();
        double change = 0;
        double size = 0;
        for (int i = 0; i < w.length; i++) {
            double d = (double) w[i] - weightsBeforeStep[i];
            change += d * d;
            size += (double) weightsBeforeStep[i] * weightsBeforeStep[i];
        }
        // A zero weight (a bias at initialisation) has no scale to compare with: record NaN, not infinity.
        updateRatios.add(size == 0 ? Double.NaN : Math.sqrt(change / size));
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
