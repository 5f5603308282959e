package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Scaled exponential linear unit (Klambauer et al. 2017, "Self-Normalizing Neural Networks"):
 * y = λx for x &gt; 0, λα(eˣ - 1) otherwise.   dy/dx = λ for x &gt; 0, y + λα otherwise.
 * λ = {@value #SCALE}, α = {@value #ALPHA}. Saves x and y.
 */
public final class SeluOp extends UnaryFunction {
    static final double SCALE = 1.0507009873554804934193349852946;
    static final double ALPHA = 1.6732632423543772848170429916717;
    private Tensor x;
    private Tensor y;

    @Override
    protected Tensor forward(Tensor x) {
        this.x = x;
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = v > 0 ? (float) (SCALE * v) : (float) (SCALE * ALPHA * Math.expm1(v));
        }
        return y = new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] xv = x.data();
        float[] yv = y.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = xv[i] > 0 ? g[i] * (float) SCALE : g[i] * (yv[i] + (float) (SCALE * ALPHA));
        }
        return new Tensor[] {new Tensor(gradInput, x.shape())};
    }

    @Override
    protected void releaseSaved() {
        x = null;
        y = null;
    }
}
