package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Exponential y = eˣ.   dy/dx = eˣ = y.
 * Saves y: the derivative is the output itself.
 */
public final class ExpOp extends UnaryFunction {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor x) {
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = (float) Math.exp(v);
        }
        return y = new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] yv = y.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = g[i] * yv[i];
        }
        return new Tensor[] {new Tensor(gradInput, y.shape())};
    }

    @Override
    protected void releaseSaved() {
        y = null;
    }
}
