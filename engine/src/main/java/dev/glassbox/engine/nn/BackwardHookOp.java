package dev.glassbox.engine.nn;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;

/**
 * Identity y = x placed in front of a layer that has backward hooks. dL/dx = dL/dy, except that on the way the
 * layer's backward hooks see it (and replacing hooks may change it).
 *
 * <p>Why this works: the backward sweep reaches y only after every op that used y (the layer's own ops) has
 * passed its gradient back, so dL/dy here is exactly the gradient of the layer's input, and the layer's
 * parameters, used by those same ops, have their gradients by then. When the layer's input needs no gradient
 * (the first layer), the input is replaced by a fresh leaf that asks for one, so the hooks fire all the same.
 */
final class BackwardHookOp extends UnaryFunction {
    private final Layer layer;
    private Tensor gradOutput;

    BackwardHookOp(Layer layer) {
        this.layer = layer;
    }

    /** The tensor the layer should compute from. */
    Tensor enter(Tensor input) {
        if (input.requiresGrad()) {
            return apply(input);
        }
        Tensor leaf = input.detach().requiresGrad(true);
        leaf.registerGradHook(gradInput -> layer.fireBackwardHooks(gradInput, gradOutput));
        return leaf;
    }

    /** Remembers dL/d(output) when the sweep reaches the layer's output. */
    void watchOutput(Tensor output) {
        if (output.requiresGrad()) {
            output.registerGradHook(g -> gradOutput = g);
        }
    }

    @Override
    protected Tensor forward(Tensor x) {
        return x.reshapeData(x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradInput) {
        return new Tensor[] {layer.fireBackwardHooks(gradInput, gradOutput)};
    }
}
