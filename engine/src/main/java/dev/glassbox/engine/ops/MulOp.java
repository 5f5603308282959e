package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.BinaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Element-wise product y = a · b, with broadcasting.
 * dL/da = dL/dy · b and dL/db = dL/dy · a (each summed over its broadcast dimensions).
 * Saves a and b: each is the other's derivative.
 */
public final class MulOp extends BinaryFunction {
    private Broadcasting plan;
    private Tensor a;
    private Tensor b;

    @Override
    protected Tensor forward(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
        plan = new Broadcasting("mul", a, b);
        float[] x = a.data();
        float[] y = b.data();
        float[] out = Workspace.floats(plan.size());
        int periodB = plan.periodOfB();
        if (plan.sameShapes()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = x[i] * y[i];
            }
        } else if (periodB > 0) {                               // x · scale, x · per-feature gain
            for (int start = 0; start < out.length; start += periodB) {
                for (int j = 0; j < periodB; j++) {
                    out[start + j] = x[start + j] * y[j];
                }
            }
        } else {
            int[] ia = plan.mapA();
            int[] ib = plan.mapB();
            for (int i = 0; i < out.length; i++) {
                out[i] = x[ia[i]] * y[ib[i]];
            }
        }
        return new Tensor(out, plan.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        Tensor gradA = null;
        Tensor gradB = null;
        if (needsGrad(0)) {
            gradA = plan.reduceToA(new Tensor(times(g, b.data(), plan.sameShapes() ? null : plan.mapB()),
                    plan.shape()));
        }
        if (needsGrad(1)) {
            gradB = plan.reduceToB(new Tensor(times(g, a.data(), plan.sameShapes() ? null : plan.mapA()),
                    plan.shape()));
        }
        return new Tensor[] {gradA, gradB};
    }

    /** g[i] · other[map[i]] (map null: same shape). */
    private static float[] times(float[] g, float[] other, int[] map) {
        float[] out = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            out[i] = g[i] * other[map == null ? i : map[i]];
        }
        return out;
    }

    @Override
    protected void releaseSaved() {
        a = null;
        b = null;
    }
}
