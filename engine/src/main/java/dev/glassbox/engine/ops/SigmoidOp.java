package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Logistic sigmoid y = 1 / (1 + e⁻ˣ).   dy/dx = y (1 - y).
 * Computed in double and rounded once, so y is exact to float32; the derivative is taken from the float32 output,
 * as PyTorch does, so it is exactly 0 once y rounds to 0 or 1. Saves y.
 */
public final class SigmoidOp extends UnaryFunction {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor x) {
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = (float) (1.0 / (1.0 + Math.exp(-v)));
        }
        return y = new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] yv = y.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = g[i] * yv[i] * (1f - yv[i]);
        }
        return new Tensor[] {new Tensor(gradInput, y.shape())};
    }

    @Override
    protected void releaseSaved() {
        y = null;
    }
}
