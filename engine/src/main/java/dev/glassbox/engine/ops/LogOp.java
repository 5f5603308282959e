package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Natural logarithm y = ln x.   dy/dx = 1/x (log 0 = -inf, log of a negative = NaN, as in PyTorch).
 * Saves x.
 */
public final class LogOp extends UnaryFunction {
    private Tensor x;

    @Override
    protected Tensor forward(Tensor x) {
        this.x = x;
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = (float) Math.log(v);
        }
        return new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] xv = x.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = g[i] / xv[i];
        }
        return new Tensor[] {new Tensor(gradInput, x.shape())};
    }

    @Override
    protected void releaseSaved() {
        x = null;
    }
}
