package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.BinaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Element-wise sum y = a + b, with NumPy broadcasting (shapes aligned on the right; size-1 dimensions stretch).
 * dL/da = dL/dy and dL/db = dL/dy, each summed over the dimensions along which that operand was broadcast.
 * Saves only the broadcast plan: the derivative does not depend on the values.
 */
public final class AddOp extends BinaryFunction {
    private Broadcasting plan;

    @Override
    protected Tensor forward(Tensor a, Tensor b) {
        plan = new Broadcasting("add", a, b);
        float[] x = a.data();
        float[] y = b.data();
        float[] out = Workspace.floatsToOverwrite(plan.size());
        int periodB = plan.periodOfB();
        int periodA = plan.periodOfA();
        if (plan.sameShapes()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = x[i] + y[i];
            }
        } else if (periodB == 1) {                              // x + scalar: one loop the JIT vectorises
            float addend = y[0];
            for (int i = 0; i < out.length; i++) {
                out[i] = x[i] + addend;
            }
        } else if (periodB > 0) {                               // x + bias: no index maps
            for (int start = 0; start < out.length; start += periodB) {
                for (int j = 0; j < periodB; j++) {
                    out[start + j] = x[start + j] + y[j];
                }
            }
        } else if (periodA > 0) {
            for (int start = 0; start < out.length; start += periodA) {
                for (int j = 0; j < periodA; j++) {
                    out[start + j] = x[j] + y[start + j];
                }
            }
        } else {
            int[] ia = plan.mapA();
            int[] ib = plan.mapB();
            for (int i = 0; i < out.length; i++) {
                out[i] = x[ia[i]] + y[ib[i]];
            }
        }
        return new Tensor(out, plan.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {
            needsGrad(0) ? plan.reduceToA(gradOutput) : null,
            needsGrad(1) ? plan.reduceToB(gradOutput) : null
        };
    }
}
