package dev.glassbox.engine.optim;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. {@link #step()} runs outside the graph (NoGrad) and changes the
 * parameter values in place; {@link #zeroGrad()} clears the gradients before the next backward pass.
 * Parameters that are frozen or received no gradient are left alone.
 */
public abstract class Optimizer {
    private final List<Parameter> parameters;
    private final Map<Parameter, float[][]> state = new IdentityHashMap<>();
    protected float learningRate;

    protected Optimizer(List<Parameter> parameters, float learningRate) {
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be >= 0, got "
                    + learningRate);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
    }

    public float learningRate() {
        return learningRate;
    }

    /** Changes the learning rate (learning-rate schedules call this between epochs). */
    public void setLearningRate(float learningRate) {
        this.learningRate = learningRate;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.value().zeroGrad();
        }
    }

    /** Applies one update to every trainable parameter that has a gradient. */
    public void step() {
        try (NoGrad ignored = NoGrad.enter()) {
            beginStep();
            for (Parameter p : parameters) {
                if (p.trainable() && p.grad() != null) {
                    update(p.value().data(), p.grad().data(), state.computeIfAbsent(p, k -> newState(k.size())));
                }
            }
        }
    }

    /** Called once per step before the updates (Adam counts its steps here). */
    protected void beginStep() {}

    /** Per-parameter buffers (momentum, moments), allocated on the first update. */
    protected abstract float[][] newState(int size);

    /**
     * @param value (modified) the parameter values
     * @param grad (not modified) the gradient
     * @param state (modified) this parameter's buffers from {@link #newState}
     */
    protected abstract void update(float[] value, float[] grad, float[][] state);
}
