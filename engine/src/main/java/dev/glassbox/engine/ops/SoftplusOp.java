package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Softplus y = ln(1 + eˣ), a smooth relu.   dy/dx = sigmoid(x).
 * Written as max(x, 0) + ln(1 + e^-|x|), which neither overflows for large x nor loses small values. Saves x.
 */
public final class SoftplusOp extends UnaryFunction {
    private Tensor x;

    @Override
    protected Tensor forward(Tensor x) {
        this.x = x;
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs((double) v))));
        }
        return new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] xv = x.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = g[i] * (float) (1.0 / (1.0 + Math.exp(-xv[i])));
        }
        return new Tensor[] {new Tensor(gradInput, x.shape())};
    }

    @Override
    protected void releaseSaved() {
        x = null;
    }
}
