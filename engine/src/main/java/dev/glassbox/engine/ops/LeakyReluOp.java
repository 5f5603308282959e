package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Leaky relu y = x for x &gt; 0, else slope·x.   dy/dx = 1 for x &gt; 0, else slope (also at 0, as PyTorch).
 * Saves x.
 */
public final class LeakyReluOp extends UnaryFunction {
    private final float negativeSlope;
    private Tensor x;

    public LeakyReluOp(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    protected Tensor forward(Tensor x) {
        this.x = x;
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = v > 0 ? v : v * negativeSlope;
        }
        return new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] xv = x.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = xv[i] > 0 ? g[i] : g[i] * negativeSlope;
        }
        return new Tensor[] {new Tensor(gradInput, x.shape())};
    }

    @Override
    protected void releaseSaved() {
        x = null;
    }
}
