package dev.glassbox.engine.autograd;

import dev.glassbox.engine.tensor.Tensor;

/** A differentiable op of one input. {@code backward} returns a one-element array. */
public abstract class UnaryFunction extends Function {

    /** Computes the output; saves in fields whatever backward will need. Must return a new tensor. */
    protected abstract Tensor forward(Tensor x);

    public final Tensor apply(Tensor x) {
        return record(forward(x), x);
    }
}
