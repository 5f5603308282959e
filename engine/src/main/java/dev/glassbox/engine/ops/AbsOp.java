package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Absolute value y = |x|.   dy/dx = sign(x), and 0 at the kink x = 0 (PyTorch's choice).
 * Saves x.
 */
public final class AbsOp extends UnaryFunction {
    private Tensor x;

    @Override
    protected Tensor forward(Tensor x) {
        this.x = x;
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = Math.abs(v);
        }
        return new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] xv = x.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = xv[i] > 0 ? g[i] : xv[i] < 0 ? -g[i] : 0f;
        }
        return new Tensor[] {new Tensor(gradInput, x.shape())};
    }

    @Override
    protected void releaseSaved() {
        x = null;
    }
}
