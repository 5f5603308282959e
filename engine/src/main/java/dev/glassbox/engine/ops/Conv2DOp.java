package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.NaryFunction;
import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.kernels.Conv2DKernels;
import dev.glassbox.engine.kernels.Window2D;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.Objects;

/**
 * 2-D convolution (cross-correlation, as in PyTorch and Keras: no kernel flip), lowered to im2col + GEMM
 * ({@link Conv2DKernels}, which lowers several images side by side so that the products are wide).
 * x [N, C, H, W], w [O, C/G, kh, kw] (PyTorch layout), optional b [O] → y [N, O, outH, outW], with G groups:
 * output channel o of group g = o / (O/G) sees only input channels [g·C/G, (g+1)·C/G).
 *   y[n, o, p, q] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, g·C/G + c, p·sh - top + i·dh, q·sw - left + j·dw]
 * (positions outside the input are zero padding). Per image n and group g, with cols = im2col(x[n, g]) of shape
 * [C/G·kh·kw, outH·outW] and W_g = w[group g] seen as [O/G, C/G·kh·kw]:
 *   y[n, g] = W_g · cols                    dL/dcols = W_gᵀ · dL/dy[n, g]  → dL/dx[n, g] = col2im(dL/dcols)
 *   dL/dW_g = Σ_n dL/dy[n, g] · colsᵀ       dL/db[o] = Σ_{n,p,q} dL/dy[n, o, p, q]
 * Saves x and w (each is needed for the other's gradient), and, when a weight gradient will be taken, the cols of
 * forward, so backward does not lower the input a second time (kh·kw times the input's memory, held until
 * backward). A shallow window (the first layer of a small CNN: 1 channel, 5×5) is convolved directly instead, with
 * no cols at all (see {@link Conv2DKernels}).
 */
public final class Conv2DOp extends NaryFunction {
    private final Options options;
    private Tensor x;
    private Tensor w;
    private int inputCount;
    private Conv2DKernels.Shape shape;
    private float[][] columns;            // im2col of x per chunk and group, kept for backward (or null)

    /** Stride, padding (per side), dilation and groups; {@link #DEFAULT} is stride 1, no padding, one group. */
    public record Options(int strideH, int strideW, Padding2D padding, int dilationH, int dilationW, int groups) {
        public static final Options DEFAULT = new Options(1, 1, Padding2D.NONE, 1, 1, 1);

        public Options {
            Objects.requireNonNull(padding, "padding (use Padding2D.NONE for none)");
            if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || groups < 1) {
                throw new IllegalArgumentException("Conv2D: stride, dilation and groups must be >= 1, got stride ("
                        + strideH + ", " + strideW + "), dilation (" + dilationH + ", " + dilationW + "), groups "
                        + groups);
            }
        }

        public Options withStride(int sh, int sw) {
            return new Options(sh, sw, padding, dilationH, dilationW, groups);
        }

        public Options withPadding(Padding2D p) {
            return new Options(strideH, strideW, p, dilationH, dilationW, groups);
        }

        public Options withDilation(int dh, int dw) {
            return new Options(strideH, strideW, padding, dh, dw, groups);
        }

        public Options withGroups(int g) {
            return new Options(strideH, strideW, padding, dilationH, dilationW, g);
        }
    }

    public Conv2DOp(Options options) {
        this.options = Objects.requireNonNull(options, "options (use Conv2DOp.Options.DEFAULT)");
    }

    /** y = conv2d(x, w) + b; {@code b} may be null (no bias). */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, Options options) {
        return new Conv2DOp(options).apply(x, w, b);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        w = inputs[1];
        inputCount = inputs.length;
        Tensor b = inputs.length > 2 ? inputs[2] : null;
        Window2D window = WindowShapes.conv(options, x, w, b);
        shape = Conv2DKernels.Shape.of(x.dim(0), x.dim(1), w.dim(0), options.groups(), window);
        float[] y = Workspace.floatsToOverwrite(x.dim(0) * w.dim(0) * window.outputPlane());
        // Keep the im2col columns for the weight gradient when one will be taken (recording, weight trainable):
        // the backward pass then skips lowering the input again, at the cost of holding them until it runs.
        columns = NoGrad.isRecording() && w.requiresGrad() ? new float[Conv2DKernels.columnSlots(shape)][] : null;
        Conv2DKernels.forward(shape, x.data(), w.data(), y, columns);
        if (b != null) {
            Conv2DKernels.addBias(y, b.data(), window.outputPlane());
        }
        return new Tensor(y, x.dim(0), w.dim(0), window.outH(), window.outW());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] gx = needsGrad(0) ? Workspace.floats(x.size()) : null;
        float[] gw = needsGrad(1) ? Workspace.floats(w.size()) : null;
        Conv2DKernels.backward(shape, x.data(), w.data(), gradOutput.data(), gx, gw, columns);
        Tensor[] grads = new Tensor[inputCount];
        grads[0] = gx == null ? null : new Tensor(gx, x.shape());
        grads[1] = gw == null ? null : new Tensor(gw, w.shape());
        if (inputCount > 2 && needsGrad(2)) {                     // dL/db[o]: sum over images and positions
            float[] gb = Workspace.floats(w.dim(0));
            Conv2DKernels.biasGradient(gradOutput.data(), shape.window().outputPlane(), gb);
            grads[2] = new Tensor(gb, w.dim(0));
        }
        return grads;
    }

    @Override
    protected void releaseSaved() {
        x = null;
        w = null;
        if (columns != null) {
            Conv2DKernels.recycleColumns(columns);             // backward is done with them: the next step reuses them
        }
        columns = null;
    }
}
