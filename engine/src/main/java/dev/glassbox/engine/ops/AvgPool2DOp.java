package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.kernels.PoolKernels;
import dev.glassbox.engine.kernels.Window2D;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.Objects;

/**
 * 2-D average pooling over each plane of x [N, C, H, W] → y [N, C, outH, outW] (floor mode).
 *   y[n, c, p, q] = (1 / d) Σ_{(h, w) in window (p, q)} x[n, c, h, w]
 *   dL/dx[n, c, h, w] = Σ over the windows containing (h, w) of dL/dy[n, c, p, q] / d
 * The divisor d is the full window kh·kw with {@code countPadding} (padding counts as zeros: PyTorch's default
 * {@code count_include_pad=True}), or the number of input positions inside the window without it (Keras/TF
 * {@code padding="same"}, PyTorch's {@code count_include_pad=False}). The op is linear in x, so it saves
 * nothing but the geometry.
 */
public final class AvgPool2DOp extends UnaryFunction {
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final Padding2D padding;
    private final boolean countPadding;
    private int[] inputShape;
    private Window2D window;

    public AvgPool2DOp(int kernelH, int kernelW, int strideH, int strideW, Padding2D padding, boolean countPadding) {
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = Objects.requireNonNull(padding, "padding (use Padding2D.NONE for none)");
        this.countPadding = countPadding;
    }

    /** PyTorch's {@code F.avg_pool2d(x, kernel, stride)}: square window, no padding. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride) {
        return new AvgPool2DOp(kernel, kernel, stride, stride, Padding2D.NONE, true).apply(x);
    }

    /** Global average pooling [N, C, H, W] → [N, C] (Keras' GlobalAveragePooling2D), composed from mean. */
    public static Tensor globalAvgPool2d(Tensor x) {
        WindowShapes.pool("GlobalAvgPool2D", x.shape(), 1, 1, 1, 1, Padding2D.NONE);
        return x.mean(false, 2, 3);
    }

    @Override
    protected Tensor forward(Tensor x) {
        inputShape = x.shape();
        window = WindowShapes.pool("AvgPool2D", inputShape, kernelH, kernelW, strideH, strideW,
                padding);
        int planes = inputShape[0] * inputShape[1];
        float[] y = Workspace.floats(planes * window.outputPlane());
        PoolKernels.avgPool(x.data(), planes, window, countPadding, y);
        return new Tensor(y, inputShape[0], inputShape[1], window.outH(), window.outW());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        int planes = inputShape[0] * inputShape[1];
        float[] gradInput = Workspace.floats(planes * window.inputPlane());
        PoolKernels.avgPoolBackward(gradOutput.data(), planes, window, countPadding, gradInput);
        return new Tensor[] {new Tensor(gradInput, inputShape)};
    }
}
