package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Clamp y = min(max(x, lo), hi).   dy/dx = 1 where lo ≤ x ≤ hi (bounds included, as PyTorch), else 0.
 * Saves x.
 */
public final class ClampOp extends UnaryFunction {
    private final float min;
    private final float max;
    private Tensor x;

    public ClampOp(float min, float max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        this.min = min;
        this.max = max;
    }

    @Override
    protected Tensor forward(Tensor x) {
        this.x = x;
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.min(Math.max(in[i], min), max);
        }
        return new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] xv = x.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = xv[i] >= min && xv[i] <= max ? g[i] : 0f;
        }
        return new Tensor[] {new Tensor(gradInput, x.shape())};
    }

    @Override
    protected void releaseSaved() {
        x = null;
    }
}
