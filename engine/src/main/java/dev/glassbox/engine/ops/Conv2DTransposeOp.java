package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.NaryFunction;
import dev.glassbox.engine.kernels.Conv2DKernels;
import dev.glassbox.engine.kernels.Window2D;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;

/**
 * Transposed 2-D convolution ("deconvolution", Keras' Conv2DTranspose, PyTorch's ConvTranspose2d): the adjoint of
 * the convolution that maps y back onto x. x [N, C, H, W], w [C, O, kh, kw] (PyTorch's ConvTranspose2d layout),
 * optional b [O] → y [N, O, outH, outW]. Every input value scatters a kernel-sized patch:
 *   y[n, o, p·s - top + i, q·s - left + j] += x[n, c, p, q] · w[c, o, i, j]
 * It is exactly the input gradient of conv2d(·, w) for a [N, O, outH, outW] input, so it runs on the same kernels:
 *   y = conv2dᵀ(x, w) = col2im(wᵀ · x)                 (Conv2DKernels.backward with only dL/dx wanted)
 *   dL/dx = conv2d(dL/dy, w)                          (the forward convolution)
 *   dL/dw = Σ_n x · im2col(dL/dy)ᵀ                    (the convolution's weight gradient, roles swapped)
 *   dL/db[o] = Σ_{n,p,q} dL/dy[n, o, p, q]
 * The output size is ambiguous for stride > 1; Keras fixes it by the padding mode, with the padding that of the convolution from y back
 * to x: Keras "valid" is outH = (H - 1)·s + kh with none, "same" is outH = H·s with TF's same padding of outH.
 * Saves x and w.
 */
public final class Conv2DTransposeOp extends NaryFunction {
    private final int strideH;
    private final int strideW;
    private final String padding;
    private Tensor x;
    private Tensor w;
    private int inputCount;
    private Conv2DKernels.Shape shape;

    /** @param padding "valid" or "same" (Keras' meaning, which fixes the output size) */
    public Conv2DTransposeOp(int strideH, int strideW, String padding) {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("Conv2DTranspose: strides must be >= 1");
        }
        if (!padding.equals("valid") && !padding.equals("same")) {
            throw new IllegalArgumentException("Conv2DTranspose: padding must be valid or same, got " + padding);
        }
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = padding;
    }

    /** y = conv2dTranspose(x, w) + b; {@code b} may be null. */
    public static Tensor conv2dTranspose(Tensor x, Tensor w, Tensor b, int strideH, int strideW, String padding) {
        return b == null ? new Conv2DTransposeOp(strideH, strideW, padding).apply(x, w)
                : new Conv2DTransposeOp(strideH, strideW, padding).apply(x, w, b);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        w = inputs[1];
        inputCount = inputs.length;
        if (x.rank() != 4 || w.rank() != 4 || w.dim(0) != x.dim(1)) {
            throw new ShapeException("Conv2DTranspose expects input [batch, channels, height, width] and weight"
                    + " [channels, out, kh, kw], but got " + Shapes.toString(x.shape()) + " and "
                    + Shapes.toString(w.shape()), x.shape());
        }
        int kh = w.dim(2), kw = w.dim(3), h = x.dim(2), wd = x.dim(3);
        int height = padding.equals("same") ? h * strideH : (h - 1) * strideH + kh;
        int width = padding.equals("same") ? wd * strideW : (wd - 1) * strideW + kw;
        Padding2D pad = Padding2D.of(padding, height, width, kh, kw, strideH, strideW, 1, 1);
        Window2D window = pad.window(height, width, kh, kw, strideH, strideW, 1, 1);
        shape = Conv2DKernels.Shape.of(x.dim(0), w.dim(1), w.dim(0), 1, window);   // the convolution y → x
        float[] y = new float[x.dim(0) * w.dim(1) * height * width];
        Conv2DKernels.backward(shape, null, w.data(), x.data(), y, null);
        if (inputCount > 2) {
            Conv2DKernels.addBias(y, inputs[2].data(), height * width);
        }
        return new Tensor(y, x.dim(0), w.dim(1), height, width);
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        Tensor[] grads = new Tensor[inputCount];
        if (needsGrad(0)) {
            float[] gx = new float[x.size()];
            Conv2DKernels.forward(shape, gradOutput.data(), w.data(), gx);
            grads[0] = new Tensor(gx, x.shape());
        }
        if (needsGrad(1)) {
            float[] gw = new float[w.size()];
            Conv2DKernels.backward(shape, gradOutput.data(), w.data(), x.data(), null, gw);
            grads[1] = new Tensor(gw, w.shape());
        }
        if (inputCount > 2 && needsGrad(2)) {
            grads[2] = new Tensor(Conv2DKernels.biasGradient(gradOutput.data(), w.dim(1),
                    shape.window().inputPlane()), w.dim(1));
        }
        return grads;
    }

    @Override
    protected void releaseSaved() {
        x = null;
        w = null;
    }
}
