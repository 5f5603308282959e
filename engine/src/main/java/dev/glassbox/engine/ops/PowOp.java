package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Power with a constant exponent y = xᵖ.   dy/dx = p·xᵖ⁻¹.
 * Computed in double and rounded once. For p = 0 the derivative is 0 everywhere (as in PyTorch), also at x = 0,
 * where the formula would give 0 · 0⁻¹ = NaN. Saves x.
 */
public final class PowOp extends UnaryFunction {
    private final float exponent;
    private Tensor x;

    public PowOp(float exponent) {
        this.exponent = exponent;
    }

    @Override
    protected Tensor forward(Tensor x) {
        this.x = x;
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = (float) Math.pow(v, exponent);
        }
        return new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] xv = x.data();
        float[] gradInput = Workspace.floats(g.length);
        if (exponent == 0) {
            return new Tensor[] {new Tensor(gradInput, x.shape())};
        }
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = g[i] * (float) (exponent * Math.pow(xv[i], exponent - 1));
        }
        return new Tensor[] {new Tensor(gradInput, x.shape())};
    }

    @Override
    protected void releaseSaved() {
        x = null;
    }
}
