package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Exponential linear unit y = x for x &gt; 0, else α(eˣ - 1).   dy/dx = 1 for x &gt; 0, else y + α.
 * Saves x and y.
 */
public final class EluOp extends UnaryFunction {
    private final float alpha;
    private Tensor x;
    private Tensor y;

    public EluOp(float alpha) {
        this.alpha = alpha;
    }

    @Override
    protected Tensor forward(Tensor x) {
        this.x = x;
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = v > 0 ? v : (float) (alpha * Math.expm1(v));
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
            gradInput[i] = xv[i] > 0 ? g[i] : g[i] * (yv[i] + alpha);
        }
        return new Tensor[] {new Tensor(gradInput, x.shape())};
    }

    @Override
    protected void releaseSaved() {
        x = null;
        y = null;
    }
}
