package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.NaryFunction;
import dev.glassbox.engine.kernels.Conv2DKernels;
import dev.glassbox.engine.kernels.Window2D;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

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
 * With dilation d the kernel taps sit d apart (kEff = d·(kh - 1) + 1). The output size is ambiguous for stride > 1;
 * Keras fixes it by the padding mode and {@code output_padding} (its {@code deconv_output_length}), and the
 * padding is that of the convolution from y back to x (TF's rule for outH):
 *   no output_padding:  "valid" outH = H·s + max(kEff - s, 0), "same" outH = H·s
 *   output_padding op:  outH = (H - 1)·s + kEff - 2·pad + op, pad = 0 ("valid") or floor(kEff / 2) ("same")
 * Rows the scatter never reaches (op > 0, or kEff < s) hold only the bias.
 * Saves x and w.
 */
public final class Conv2DTransposeOp extends NaryFunction {
    private final int strideH;
    private final int strideW;
    private final String padding;
    private final int dilationH;
    private final int dilationW;
    private final int outputPaddingH;
    private final int outputPaddingW;
    private Tensor x;
    private Tensor w;
    private int inputCount;
    private Conv2DKernels.Shape shape;

    /** @param padding "valid" or "same" (Keras' meaning, which fixes the output size) */
    public Conv2DTransposeOp(int strideH, int strideW, String padding) {
        this(strideH, strideW, padding, 1, 1, NO_OUTPUT_PADDING, NO_OUTPUT_PADDING);
    }

    /** Keras' {@code output_padding} left unset (null): the output size follows from the padding mode alone. */
    public static final int NO_OUTPUT_PADDING = -1;

    /**
     * @param padding "valid" or "same" (Keras' meaning)
     * @param outputPaddingH extra rows at the bottom (below the stride), or {@link #NO_OUTPUT_PADDING}
     */
    public Conv2DTransposeOp(int strideH, int strideW, String padding, int dilationH, int dilationW,
            int outputPaddingH, int outputPaddingW) {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("Conv2DTranspose: strides and dilation must be >= 1, got strides "
                    + strideH + "x" + strideW + " and dilation " + dilationH + "x" + dilationW);
        }
        if (!padding.equals("valid") && !padding.equals("same")) {
            throw new IllegalArgumentException("Conv2DTranspose: padding must be valid or same, got " + padding);
        }
        checkOutputPadding(outputPaddingH, strideH, "height");
        checkOutputPadding(outputPaddingW, strideW, "width");
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = padding;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.outputPaddingH = outputPaddingH;
        this.outputPaddingW = outputPaddingW;
    }

    private static void checkOutputPadding(int outputPadding, int stride, String axis) {
        if (outputPadding != NO_OUTPUT_PADDING && (outputPadding < 0 || outputPadding >= stride)) {
            throw new IllegalArgumentException("Conv2DTranspose: output_padding along the " + axis + " must be"
                    + " in [0, stride " + stride + "), got " + outputPadding);
        }
    }

    /** y = conv2dTranspose(x, w) + b; {@code b} may be null. */
    public static Tensor conv2dTranspose(Tensor x, Tensor w, Tensor b, int strideH, int strideW, String padding) {
        return apply(new Conv2DTransposeOp(strideH, strideW, padding), x, w, b);
    }

    /** The same with dilation and Keras' output padding ({@link #NO_OUTPUT_PADDING} where unset). */
    public static Tensor conv2dTranspose(Tensor x, Tensor w, Tensor b, int strideH, int strideW, String padding,
            int dilationH, int dilationW, int outputPaddingH, int outputPaddingW) {
        return apply(new Conv2DTransposeOp(strideH, strideW, padding, dilationH, dilationW, outputPaddingH,
                outputPaddingW), x, w, b);
    }

    private static Tensor apply(Conv2DTransposeOp op, Tensor x, Tensor w, Tensor b) {
        return b == null ? op.apply(x, w) : op.apply(x, w, b);
    }

    /** Keras' {@code deconv_output_length} along one axis. */
    private int outputLength(int in, int kernel, int stride, int dilation, int outputPadding) {
        int effective = dilation * (kernel - 1) + 1;
        if (outputPadding == NO_OUTPUT_PADDING) {
            return padding.equals("same") ? in * stride : in * stride + Math.max(effective - stride, 0);
        }
        int pad = padding.equals("same") ? effective / 2 : 0;
        return (in - 1) * stride + effective - 2 * pad + outputPadding;
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
        int height = outputLength(h, kh, strideH, dilationH, outputPaddingH);
        int width = outputLength(wd, kw, strideW, dilationW, outputPaddingW);
        if (height < 1 || width < 1) {
            throw new ShapeException("Conv2DTranspose: input " + Shapes.toString(x.shape()) + " with kernel "
                    + kh + "x" + kw + " gives an empty output " + height + "x" + width, x.shape());
        }
        Padding2D pad = Padding2D.of(padding, height, width, kh, kw, strideH, strideW, dilationH, dilationW);
        Window2D window = pad.window(height, width, kh, kw, strideH, strideW, dilationH, dilationW);
        if (window.outH() != h || window.outW() != wd) {
            throw new ShapeException("Conv2DTranspose: the " + padding + " convolution of the " + height + "x"
                    + width + " output does not come back to the " + h + "x" + wd + " input (output_padding "
                    + outputPaddingH + "x" + outputPaddingW + ", dilation " + dilationH + "x" + dilationW + ")",
                    x.shape());
        }
        shape = Conv2DKernels.Shape.of(x.dim(0), w.dim(1), w.dim(0), 1, window);   // the convolution y → x
        float[] y = Workspace.floats(x.dim(0) * w.dim(1) * height * width);
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
            float[] gx = Workspace.floats(x.size());
            Conv2DKernels.forward(shape, gradOutput.data(), w.data(), gx);
            grads[0] = new Tensor(gx, x.shape());
        }
        if (needsGrad(1)) {
            float[] gw = Workspace.floats(w.size());
            Conv2DKernels.backward(shape, gradOutput.data(), w.data(), x.data(), null, gw);
            grads[1] = new Tensor(gw, w.shape());
        }
        if (inputCount > 2 && needsGrad(2)) {
            float[] gb = Workspace.floats(w.dim(1));
            Conv2DKernels.biasGradient(gradOutput.data(), shape.window().inputPlane(), gb);
            grads[2] = new Tensor(gb, w.dim(1));
        }
        return grads;
    }

    @Override
    protected void releaseSaved() {
        x = null;
        w = null;
    }
}
