package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Log-softmax along one axis: y_j = x_j - m - ln Σ_k e^(x_k - m), with m = max_k x_k.
 * Never computes log(softmax): that would give -inf where a probability underflows, while this form keeps values
 * such as -20000 exact. The sum and the subtraction run in double.
 * dL/dx_j = dL/dy_j - e^(y_j) Σ_k dL/dy_k. Saves y.
 */
public final class LogSoftmaxOp extends UnaryFunction {
    private final int axis;
    private AxisLayout layout;
    private Tensor y;

    public LogSoftmaxOp(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor x) {
        layout = AxisLayout.of("logSoftmax", x.shape(), axis);
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
                double logSum = max + Math.log(sum);
                for (int a = 0; a < n; a++) {
                    out[base + a * inner] = (float) (in[base + a * inner] - logSum);
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
                double sum = 0;
                for (int a = 0; a < n; a++) {
                    sum += g[base + a * inner];
                }
                for (int a = 0; a < n; a++) {
                    int k = base + a * inner;
                    gradInput[k] = (float) (g[k] - Math.exp(yv[k]) * sum);
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
