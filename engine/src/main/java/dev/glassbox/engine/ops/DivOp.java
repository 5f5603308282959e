package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.BinaryFunction;
import dev.glassbox.engine.tensor.Tensor;

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
        float[] out = new float[plan.size()];
        int[] ia = plan.sameShapes() ? null : plan.mapA();
        int[] ib = plan.sameShapes() ? null : plan.mapB();
        for (int i = 0; i < out.length; i++) {
            out[i] = x[ia == null ? i : ia[i]] / y[ib == null ? i : ib[i]];
        }
        return new Tensor(out, plan.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] x = a.data();
        float[] y = b.data();
        int[] ia = plan.sameShapes() ? null : plan.mapA();
        int[] ib = plan.sameShapes() ? null : plan.mapB();
        Tensor gradA = null;
        Tensor gradB = null;
        if (needsGrad(0)) {
            float[] ga = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                ga[i] = g[i] / y[ib == null ? i : ib[i]];
            }
            gradA = plan.reduceToA(new Tensor(ga, plan.shape()));
        }
        if (needsGrad(1)) {
            float[] gb = new float[g.length];
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
