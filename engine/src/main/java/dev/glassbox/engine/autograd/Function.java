package dev.glassbox.engine.autograd;

import dev.glassbox.engine.tensor.Tensor;

/**
 * One differentiable operation: its forward computes an output from inputs, its backward turns the gradient of the
 * loss with respect to that output ({@code gradOutput}) into the gradients with respect to each input.
 *
 * <p>Subclasses ({@link UnaryFunction}, {@link BinaryFunction}, {@link NaryFunction}) give {@code forward} its
 * arity. When recording is on ({@link NoGrad} not active) and some input requires a gradient, {@link #record}
 * links the output to this function and keeps the inputs, so {@link Graph} can walk back from the output.
 *
 * <p>Contract of {@link #backward}: return one gradient per input, in input order, each of its input's shape
 * (null where an input needs no gradient). Never write {@code .grad} yourself and never modify
 * {@code gradOutput}: {@link Graph} adds the results with {@code +=}, which is what makes {@code x * x} right.
 */
public abstract class Function {
    private Tensor[] inputs;
    private boolean released;

    /** dL/d(input i) for each input, given dL/d(output). */
    public abstract Tensor[] backward(Tensor gradOutput);

    /** The op's name in messages and recordings. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** The inputs this function was applied to, or an empty array once released (or if nothing was recorded). */
    public Tensor[] inputs() {
        return inputs == null ? new Tensor[0] : inputs.clone();
    }

    /**
     * Whether input {@code i} wants a gradient (false for an absent optional input, such as a missing bias):
     * lets backward skip work nobody will read.
     */
    protected final boolean needsGrad(int i) {
        return inputs != null && inputs[i] != null && inputs[i].requiresGrad();
    }

    /**
     * Links {@code output} into the graph if recording is on and any input requires a gradient.
     * Returns {@code output} for chaining.
     */
    protected final Tensor record(Tensor output, Tensor... inputs) {
        if (!NoGrad.isRecording()) {
            return output;
        }
        for (Tensor input : inputs) {
            if (input != null && input.requiresGrad()) {
                if (output == input) {
                    throw new IllegalStateException(name() + ".forward returned its own input; ops must return a new"
                            + " tensor (use reshapeData for a view)");
                }
                this.inputs = inputs.clone();
                output.setCreator(this);
                return output;
            }
        }
        return output;
    }

    /** Called by {@link Graph} once before backward; fails if this graph was already swept. */
    final void checkNotReleased() {
        if (released) {
            throw new IllegalStateException("backward() was already called on the graph through " + name()
                    + "; run forward again");
        }
    }

    /** Called by {@link Graph} after backward: frees what forward saved and forbids a second sweep. */
    final void release() {
        released = true;
        releaseSaved();
    }

    /** Drops the tensors saved for backward; ops that save large buffers override it to null them. */
    protected void releaseSaved() {}

    /** Graph edges, read by {@link Graph} without copying. */
    final Tensor[] edges() {
        return inputs;
    }
}
