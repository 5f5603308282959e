package dev.glassbox.instrument.stats;

import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.tensor.Tensor;

/**
 * What a {@link HealthMonitor} knows about one layer: statistics of its outputs and of the gradients arriving at
 * them since the monitor was attached, saturation counts, which units were ever active, and mean |output| and
 * mean |gradient| per step.
 */
public final class LayerHealth {
    private final Layer layer;
    private final Saturation saturation;
    private final boolean relu;
    private final RunningStats activations;
    private final RunningStats outputGradients = new RunningStats();
    private final UnitActivity activity = new UnitActivity();
    private final Series meanAbsActivation = new Series();
    private final Series meanAbsGradient = new Series();
    private long saturatedUnits;
    private long saturationUnits;
    private double lastEpochDeadFraction = Double.NaN;
    private long lastEpochExamples;

    LayerHealth(Layer layer) {
        this.layer = layer;
        this.saturation = Saturation.of(layer);
        this.relu = Saturation.activationOf(layer).equals("relu");
        // Bounded activations get their natural histogram range; the rest take it from the first batch.
        this.activations = switch (saturation) {
            case TANH -> new RunningStats(-1, 1 + 1e-6, RunningStats.DEFAULT_BINS);
            case SIGMOID, SOFTMAX -> new RunningStats(0, 1 + 1e-6, RunningStats.DEFAULT_BINS);
            case NONE -> new RunningStats();
        };
        // tanh and sigmoid saturate value by value: counted in the statistics' own pass over the output
        switch (saturation) {
            case TANH -> activations.countOutside(-Saturation.TANH_THRESHOLD, Saturation.TANH_THRESHOLD);
            case SIGMOID -> activations.countOutside(Saturation.SIGMOID_LOW, Saturation.SIGMOID_HIGH);
            default -> { }
        }
    }

    /** Queues the statistics of one batch of outputs on {@code lane}, then {@code then}. */
    void observeActivation(Parallel.Lane lane, Tensor output, Runnable then) {
        activations.addOn(lane, output.data(), 0, output.size(), () -> {
            meanAbsActivation.add(activations.lastBatchMeanAbs());
            if (saturation != Saturation.NONE) {
                saturatedUnits += saturation == Saturation.SOFTMAX ? saturation.count(output)
                        : activations.lastBatchOutside();
                saturationUnits += saturation.units(output);
            }
            if (relu) {
                activity.observe(output);
            }
            then.run();
        });
    }

    /** Queues the statistics of one batch of dL/d(output) on {@code lane}, then {@code then}. */
    void observeOutputGradient(Parallel.Lane lane, Tensor gradOutput, Runnable then) {
        outputGradients.addOn(lane, gradOutput.data(), 0, gradOutput.size(), () -> {
            meanAbsGradient.add(outputGradients.lastBatchMeanAbs());
            then.run();
        });
    }

    void endEpoch() {
        if (relu && activity.units() > 0) {
            lastEpochDeadFraction = activity.deadFraction();
            lastEpochExamples = activity.examples();
            activity.reset();
        }
    }

    public Layer layer() {
        return layer;
    }

    public String name() {
        return layer.name();
    }

    /** Statistics of every output value seen. */
    public RunningStats activations() {
        return activations;
    }

    /** Statistics of every dL/d(output) value seen. */
    public RunningStats outputGradients() {
        return outputGradients;
    }

    public Saturation saturationRule() {
        return saturation;
    }

    /** Fraction of saturated units (see {@link Saturation}); NaN when the activation does not saturate. */
    public double saturatedFraction() {
        return saturationUnits == 0 ? Double.NaN : (double) saturatedUnits / saturationUnits;
    }

    /** True when the layer ends in a ReLU, whose dead units are tracked. */
    public boolean tracksDeadUnits() {
        return relu;
    }

    /**
     * Fraction of units that were zero for every example of the last finished epoch, or, before an epoch has
     * finished, since the monitor was attached. NaN for layers that do not end in a ReLU.
     */
    public double deadFraction() {
        if (!relu) {
            return Double.NaN;
        }
        return Double.isNaN(lastEpochDeadFraction) ? activity.deadFraction() : lastEpochDeadFraction;
    }

    /**
     * The examples behind {@link #deadFraction}: those of the last finished epoch, or, before an epoch has
     * finished, all seen since the monitor was attached (0 for layers that do not end in a ReLU).
     */
    public long deadFractionExamples() {
        if (!relu) {
            return 0;
        }
        return Double.isNaN(lastEpochDeadFraction) ? activity.examples() : lastEpochExamples;
    }

    /** True when {@link #deadFraction} describes a finished epoch, not only the examples seen so far. */
    public boolean deadFractionOfAnEpoch() {
        return relu && !Double.isNaN(lastEpochDeadFraction);
    }

    /** Mean |output| of each step. */
    public Series meanAbsActivationPerStep() {
        return meanAbsActivation;
    }

    /** Mean |dL/d(output)| of each backward pass. */
    public Series meanAbsGradientPerStep() {
        return meanAbsGradient;
    }
}
