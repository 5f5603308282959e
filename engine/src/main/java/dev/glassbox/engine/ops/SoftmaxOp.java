package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Softmax along one axis: y_j = e^(x_j - m) / Σ_k e^(x_k - m), with m = max_k x_k.
 * Subtracting the maximum changes nothing mathematically but keeps every exponent ≤ 0, so nothing overflows;
 * a probability that underflows is exactly 0. The sums run in double.
 * dL/dx_j = y_j (dL/dy_j - Σ_k dL/dy_k y_k). Saves y.
 */
public final class SoftmaxOp extends UnaryFunction {
    private final int axis;
    private AxisLayout layout;
    private Tensor y;

    public SoftmaxOp(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor x) {
        layout = AxisLayout.of("softmax", x.shape(), axis);
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        int n = layout.length();
        int inner = layout.inner();
        for (int o = 0; o < layout.outer(); o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int a = 0; a < n; a++) {
                    max = Math.max(max, in[base + a * inner]);
                }
                double sum = 0;
                for (int a = 0; a < n; a++) {
                    sum += Math.exp((double) in[base + a * inner] - max);
                }
                for (int a = 0; a < n; a++) {
                    out[base + a * inner] = (float) (Math.exp((double) in[base + a * inner] - max) / sum);
                }
            }
        }
        return y = new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] yv = y.data();
        float[] gradInput = Workspace.floats(g.length);
        int n = layout.length();
        int inner = layout.inner();
        for (int o = 0; o < layout.outer(); o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double dot = 0;
                for (int a = 0; a < n; a++) {
                    dot += (double) g[base + a * inner] * yv[base + a * inner];
                }
                for (int a = 0; a < n; a++) {
                    int k = base + a * inner;
                    gradInput[k] = (float) (yv[k] * (g[k] - dot));
                }
            }
        }
        return new Tensor[] {new Tensor(gradInput, y.shape())};
    }

    @Override
    protected void releaseSaved() {
        y = null;
    }
}
