package dev.glassbox.engine.autograd;

import dev.glassbox.engine.tensor.Tensor;

/**
 * A differentiable op of any number of inputs (concatenation, convolution with an optional bias).
 * A null input (an absent optional argument) gets a null gradient.
 */
public abstract class NaryFunction extends Function {

    /** Computes the output; saves in fields whatever backward will need. Must return a new tensor. */
    protected abstract Tensor forward(Tensor... inputs);

    public final Tensor apply(Tensor... inputs) {
        return record(forward(inputs), inputs);
    }
}
