package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.BinaryFunction;
import dev.glassbox.engine.kernels.Blas;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Matrix product y = x · w.   x [n, k], w [k, m] → y [n, m]
 * dL/dx = dL/dy · wᵀ        dL/dw = xᵀ · dL/dy
 * Batched: x [b, n, k] · w [b, k, m] → [b, n, m], one product per batch entry; and x [b, n, k] · w [k, m], which
 * is the 2-D product of x seen as [b·n, k] (so its dL/dw sums over the batch by itself).
 * Saves x and w: each one is needed for the other's gradient.
 */
public final class MatMulOp extends BinaryFunction {
    private Tensor x;
    private Tensor w;
    private int batch;
    private int n;
    private int k;
    private int m;

    @Override
    protected Tensor forward(Tensor x, Tensor w) {
        this.x = x;
        this.w = w;
        int[] xs = x.shape();
        int[] ws = w.shape();
        boolean batchedW = ws.length == 3;
        if (xs.length < 2 || xs.length > 3 || ws.length < 2 || ws.length > 3 || (batchedW && xs.length != 3)) {
            throw new ShapeException("matmul takes [n,k]·[k,m], [b,n,k]·[k,m] or [b,n,k]·[b,k,m], got "
                    + Shapes.toString(xs) + " · " + Shapes.toString(ws), xs);
        }
        k = xs[xs.length - 1];
        m = ws[ws.length - 1];
        if (ws[ws.length - 2] != k || (batchedW && ws[0] != xs[0])) {
            throw new ShapeException("matmul: inner dimensions differ: " + Shapes.toString(xs) + " · "
                    + Shapes.toString(ws) + " (x's last dimension must equal w's second to last"
                    + (batchedW ? ", and the batch sizes must agree)" : ")"), xs, ws);
        }
        // [b, n, k]·[k, m] is one big 2-D product; only a batched w needs a loop.
        batch = batchedW ? xs[0] : 1;
        n = batchedW || xs.length == 2 ? xs[xs.length - 2] : xs[0] * xs[1];
        int[] outShape = xs.clone();
        outShape[outShape.length - 1] = m;
        float[] out = Workspace.floatsToOverwrite(Shapes.size(outShape));
        for (int b = 0; b < batch; b++) {
            Blas.get().sgemm(false, false, n, m, k, 1f, x.data(), b * n * k, k, w.data(), b * k * m, m,
                    0f, out, b * n * m, m);
        }
        return new Tensor(out, outShape);
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        Tensor gradX = null;
        Tensor gradW = null;
        if (needsGrad(0)) {
            float[] gx = Workspace.floatsToOverwrite(x.size());
            for (int b = 0; b < batch; b++) {           // [n, m]·[m, k] → [n, k]
                Blas.get().sgemm(false, true, n, k, m, 1f, g, b * n * m, m, w.data(), b * k * m, m,
                        0f, gx, b * n * k, k);
            }
            gradX = new Tensor(gx, x.shape());
        }
        if (needsGrad(1)) {
            float[] gw = Workspace.floatsToOverwrite(w.size());
            for (int b = 0; b < batch; b++) {           // [k, n]·[n, m] → [k, m]
                Blas.get().sgemm(true, false, k, m, n, 1f, x.data(), b * n * k, k, g, b * n * m, m,
                        0f, gw, b * k * m, m);
            }
            gradW = new Tensor(gw, w.shape());
        }
        return new Tensor[] {gradX, gradW};
    }

    @Override
    protected void releaseSaved() {
        x = null;
        w = null;
    }
}
