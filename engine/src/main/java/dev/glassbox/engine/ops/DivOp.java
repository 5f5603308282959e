package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.BinaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Element-wise quotient y = a / b, with broadcasting.
 * dL/da = dL/dy / b and dL/db = -dL/dy · a / b² (each summed over its broadcast dimensions).
 * A primitive rather than a · b⁻¹ so that the forward rounds once, as PyTorch's division does (means and
 * normalisations then match it bit for bit). dL/db is computed in double: b² leaves the float32 range for
 * |b| &lt; 1e-19 or |b| &gt; 1e19 although the quotient a / b² may not. Saves a and b.
 */
public final class DivOp extends BinaryFunction {
    private Broadcasting plan;
    private Tensor a;
    private Tensor b;

    @Override
    protected Tensor forward(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
        plan = new Broadcasting("div", a, b);
        float[] x = a.data();
        float[] y = b.data();
        float[] out = Workspace.floats(plan.size());
        int periodB = plan.periodOfB();
        if (periodB == 1 && !plan.sameShapes()) {               // x / scalar: one loop the JIT vectorises
            float divisor = y[0];
            for (int i = 0; i < out.length; i++) {
                out[i] = x[i] / divisor;
            }
        } else if (plan.sameShapes() || periodB > 0) {          // x / per-feature: no index maps
            int period = plan.sameShapes() ? out.length : periodB;
            for (int start = 0; start < out.length; start += period) {
                for (int j = 0; j < period; j++) {
                    out[start + j] = x[start + j] / y[j];
                }
            }
        } else {
            int[] ia = plan.mapA();
            int[] ib = plan.mapB();
            for (int i = 0; i < out.length; i++) {
                out[i] = x[ia[i]] / y[ib[i]];
            }
        }
        return new Tensor(out, plan.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = a.data();
        float[] y = b.data();
        Tensor gradA = null;
        Tensor gradB = null;
        int periodB = plan.periodOfB();
        if (needsGrad(0) && (plan.sameShapes() || periodB > 0)) {
            int period = plan.sameShapes() ? g.length : periodB;
            float[] ga = Workspace.floats(g.length);
            for (int start = 0; start < g.length; start += period) {
                for (int j = 0; j < period; j++) {
                    ga[start + j] = g[start + j] / y[j];
                }
            }
            gradA = new Tensor(ga, plan.shape());                // a is full-size: nothing to sum
        } else if (needsGrad(0)) {
            int[] ib = plan.mapB();
            float[] ga = Workspace.floats(g.length);
            for (int i = 0; i < g.length; i++) {
                ga[i] = g[i] / y[ib[i]];
            }
            gradA = plan.reduceToA(new Tensor(ga, plan.shape()));
        }
        if (needsGrad(1)) {
            int[] ia = plan.sameShapes() ? null : plan.mapA();
            int[] ib = plan.sameShapes() ? null : plan.mapB();
            float[] gb = Workspace.floats(g.length);
            for (int i = 0; i < g.length; i++) {
                float bv = y[ib == null ? i : ib[i]];
                gb[i] = (float) (-g[i] * (double) x[ia == null ? i : ia[i]] / ((double) bv * bv));
            }
            gradB = plan.reduceToB(new Tensor(gb, plan.shape()));
        }
        return new Tensor[] {gradA, gradB};
    }

    @Override
    protected void releaseSaved() {
        a = null;
        b = null;
    }
}
