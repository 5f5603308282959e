package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.kernels.Elementwise;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Rectified linear unit y = max(x, 0).   dy/dx = 1 for x &gt; 0, else 0: relu'(0) = 0 at the kink.
 * relu(NaN) = NaN (as PyTorch), so a diverged value shows up downstream instead of becoming 0; its gradient is 0.
 * Saves y (y &gt; 0 exactly where x &gt; 0), so x can be freed.
 */
public final class ReluOp extends UnaryFunction {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor x) {
        float[] out = Workspace.floatsToOverwrite(x.size());
        Elementwise.relu(x.data(), out);                  // max(x, 0): a NaN propagates, -0 becomes 0
        return y = new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] gradInput = Workspace.floatsToOverwrite(gradOutput.size());
        Elementwise.reluBackward(gradOutput.data(), y.data(), gradInput);     // g where y > 0, else +0
        return new Tensor[] {new Tensor(gradInput, y.shape())};
    }

    @Override
    protected void releaseSaved() {
        y = null;
    }
}
