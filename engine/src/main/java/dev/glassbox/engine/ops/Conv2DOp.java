package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.NaryFunction;
import dev.glassbox.engine.kernels.Blas;
import dev.glassbox.engine.kernels.Im2Col;
import dev.glassbox.engine.kernels.Window2D;
import dev.glassbox.engine.tensor.Tensor;
import java.util.Objects;

/**
 * 2-D convolution (cross-correlation, as in PyTorch and Keras: no kernel flip), lowered to im2col + GEMM.
 * x [N, C, H, W], w [O, C/G, kh, kw] (PyTorch layout), optional b [O] → y [N, O, outH, outW], with G groups:
 * output channel o of group g = o / (O/G) sees only input channels [g·C/G, (g+1)·C/G).
 *   y[n, o, p, q] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, g·C/G + c, p·sh - top + i·dh, q·sw - left + j·dw]
 * (positions outside the input are zero padding). Per image n and group g, with cols = im2col(x[n, g]) of shape
 * [C/G·kh·kw, outH·outW] and W_g = w[group g] seen as [O/G, C/G·kh·kw]:
 *   y[n, g] = W_g · cols                    dL/dcols = W_gᵀ · dL/dy[n, g]  → dL/dx[n, g] = col2im(dL/dcols)
 *   dL/dW_g = Σ_n dL/dy[n, g] · colsᵀ       dL/db[o] = Σ_{n,p,q} dL/dy[n, o, p, q]
 * Saves x and w (each is needed for the other's gradient), not cols: backward rebuilds them, trading one more
 * im2col per image for kh·kw times less memory held between forward and backward.
 */
public final class Conv2DOp extends NaryFunction {
    private final Options options;
    private Tensor x;
    private Tensor w;
    private int inputCount;
    private Window2D window;

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
        window = WindowShapes.conv(options, x, w, b);
        int n = x.dim(0), outChannels = w.dim(0), groups = options.groups(), outG = outChannels / groups;
        int k = w.dim(1) * window.kernelArea(), plane = window.outputPlane();
        float[] y = new float[n * outChannels * plane];
        float[] cols = new float[k * plane];
        for (int image = 0; image < n; image++) {
            for (int g = 0; g < groups; g++) {
                Im2Col.im2col(x.data(), (image * x.dim(1) + g * w.dim(1)) * window.inputPlane(), w.dim(1), window,
                        cols);
                Blas.get().sgemm(false, false, outG, plane, k, 1f, w.data(), g * outG * k, k, cols, 0, plane,
                        0f, y, (image * outChannels + g * outG) * plane, plane);      // [O/G, K]·[K, P]
            }
        }
        for (int i = 0; b != null && i < y.length; i++) {
            y[i] += b.data()[i / plane % outChannels];
        }
        return new Tensor(y, n, outChannels, window.outH(), window.outW());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] gy = gradOutput.data();
        int n = x.dim(0), outChannels = w.dim(0), groups = options.groups(), outG = outChannels / groups;
        int k = w.dim(1) * window.kernelArea(), plane = window.outputPlane();
        float[] gx = needsGrad(0) ? new float[x.size()] : null;
        float[] gw = needsGrad(1) ? new float[w.size()] : null;
        float[] cols = new float[k * plane];
        for (int image = 0; image < n; image++) {
            for (int g = 0; g < groups; g++) {
                int xOffset = (image * x.dim(1) + g * w.dim(1)) * window.inputPlane();
                int yOffset = (image * outChannels + g * outG) * plane;
                if (gw != null) {                         // dL/dW_g += dL/dy · colsᵀ: [O/G, P]·[P, K], beta 1
                    Im2Col.im2col(x.data(), xOffset, w.dim(1), window, cols);
                    Blas.get().sgemm(false, true, outG, k, plane, 1f, gy, yOffset, plane, cols, 0, plane,
                            1f, gw, g * outG * k, k);
                }
                if (gx != null) {                         // dL/dcols = W_gᵀ · dL/dy: [K, O/G]·[O/G, P]
                    Blas.get().sgemm(true, false, k, plane, outG, 1f, w.data(), g * outG * k, k, gy, yOffset, plane,
                            0f, cols, 0, plane);
                    Im2Col.col2im(cols, w.dim(1), window, gx, xOffset);
                }
            }
        }
        Tensor[] grads = new Tensor[inputCount];
        grads[0] = gx == null ? null : new Tensor(gx, x.shape());
        grads[1] = gw == null ? null : new Tensor(gw, w.shape());
        if (inputCount > 2 && needsGrad(2)) {
            float[] gb = new float[outChannels];
            for (int i = 0; i < gy.length; i++) {
                gb[i / plane % outChannels] += gy[i];
            }
            grads[2] = new Tensor(gb, outChannels);
        }
        return grads;
    }

    @Override
    protected void releaseSaved() {
        x = null;
        w = null;
    }
}
