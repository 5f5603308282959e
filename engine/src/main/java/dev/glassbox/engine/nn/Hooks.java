package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;

/** The hook types every layer exposes (see {@link Layer} for when each one fires). */
public final class Hooks {
    private Hooks() {}

    /** Observes a forward pass: the layer's input and its output. Must not modify either (record copies). */
    @FunctionalInterface
    public interface ForwardHook {
        void onForward(Layer layer, Tensor input, Tensor output);
    }

    /**
     * Replaces a layer's output (ablation, clamping, patching): the returned tensor is what the next layer sees.
     * Return the output unchanged to pass it on. A replacement that should stay differentiable must be computed
     * from {@code output} with ops.
     */
    @FunctionalInterface
    public interface ForwardReplaceHook {
        Tensor replaceOutput(Layer layer, Tensor input, Tensor output);
    }

    /**
     * Observes a backward pass through a layer: dL/d(input) and dL/d(output). {@code gradInput} is null when the
     * layer's input needs no gradient and none was asked for. Must not modify either.
     */
    @FunctionalInterface
    public interface BackwardHook {
        void onBackward(Layer layer, Tensor gradInput, Tensor gradOutput);
    }

    /**
     * Observes dL/d(output) of a layer as soon as it is complete, before the layer's own backward runs (PyTorch's
     * backward pre-hook). Unlike a {@link BackwardHook} it costs no work beyond the call: it puts no op into the
     * graph and never makes backward compute a gradient for the layer's input that training would not need (the
     * model's input, and everything between it and the first layer with parameters). Must not modify it.
     */
    @FunctionalInterface
    public interface BackwardPreHook {
        void onGradOutput(Layer layer, Tensor gradOutput);
    }

    /**
     * Replaces the gradient a layer passes to its input (guided backprop, gradient clipping per layer): the
     * returned tensor, of the input's shape, is what flows on to the layers before it.
     */
    @FunctionalInterface
    public interface BackwardReplaceHook {
        Tensor replaceGradInput(Layer layer, Tensor gradInput, Tensor gradOutput);
    }

    /** Observes a parameter's gradient once it is fully accumulated for this backward pass. */
    @FunctionalInterface
    public interface ParameterGradientHook {
        void onGradient(Parameter parameter, Tensor gradient);
    }
}
