package dev.glassbox.engine.autograd;

import dev.glassbox.engine.tensor.Tensor;

/** A differentiable op of two inputs. {@code backward} returns {@code {gradA, gradB}}. */
public abstract class BinaryFunction extends Function {

    /** Computes the output; saves in fields whatever backward will need. Must return a new tensor. */
    protected abstract Tensor forward(Tensor a, Tensor b);

    public final Tensor apply(Tensor a, Tensor b) {
        return record(forward(a, b), a, b);
    }
}
