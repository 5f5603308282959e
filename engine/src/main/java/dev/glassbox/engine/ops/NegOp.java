package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Negation y = -x.   dy/dx = -1.
 * Saves nothing.
 */
public final class NegOp extends UnaryFunction {

    @Override
    protected Tensor forward(Tensor x) {
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = -v;
        }
        return new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = -g[i];
        }
        return new Tensor[] {new Tensor(gradInput, gradOutput.shape())};
    }
}
