package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Hyperbolic tangent y = tanh x.   dy/dx = 1 - y².
 * The derivative comes from the float32 output, as in PyTorch: exactly 0 once y rounds to ±1 (the saturation
 * that makes deep tanh nets stop learning). Saves y.
 */
public final class TanhOp extends UnaryFunction {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor x) {
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = (float) Math.tanh(v);
        }
        return y = new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] yv = y.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = g[i] * (1f - yv[i] * yv[i]);
        }
        return new Tensor[] {new Tensor(gradInput, y.shape())};
    }

    @Override
    protected void releaseSaved() {
        y = null;
    }
}
