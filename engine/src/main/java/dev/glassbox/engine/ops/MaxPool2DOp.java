package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.kernels.PoolKernels;
import dev.glassbox.engine.kernels.Window2D;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.Objects;

/**
 * 2-D max-pooling over each plane of x [N, C, H, W] → y [N, C, outH, outW] (floor mode: a last row or column that
 * starts no full window is dropped).
 *   y[n, c, p, q] = max_{i < kh, j < kw} x[n, c, p·sh - top + i, q·sw - left + j]   (padding counts as -∞)
 *   dL/dx[n, c, h, w] = Σ over the windows whose winner is (h, w) of dL/dy   (overlapping windows accumulate)
 * The derivative at a tie is a choice: the FIRST maximum in row-major window order (scan h, then w; replace only
 * on a strictly greater value) takes the whole gradient, as PyTorch's CPU kernel does. A NaN wins and propagates.
 * Saves only the winners' indices (h·W + w within their plane), the "argmax" of each window, not x.
 */
public final class MaxPool2DOp extends UnaryFunction {
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final Padding2D padding;
    private int[] inputShape;
    private Window2D window;
    private int[] argmax;

    public MaxPool2DOp(int kernelH, int kernelW, int strideH, int strideW, Padding2D padding) {
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = Objects.requireNonNull(padding, "padding (use Padding2D.NONE for none)");
    }

    /** PyTorch's {@code F.max_pool2d(x, kernel, stride)}: square window, no padding. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride) {
        return new MaxPool2DOp(kernel, kernel, stride, stride, Padding2D.NONE).apply(x);
    }

    /**
     * Global max-pooling [N, C, H, W] → [N, C] (Keras' GlobalMaxPooling2D), composed from reshape and max: the
     * plane's first maximum in row-major order gets the gradient, the same tie rule as the windows here.
     */
    public static Tensor globalMaxPool2d(Tensor x) {
        WindowShapes.pool("GlobalMaxPool2D", x.shape(), 1, 1, 1, 1, Padding2D.NONE);
        return x.reshape(x.dim(0), x.dim(1), -1).max(2, false);
    }

    @Override
    protected Tensor forward(Tensor x) {
        inputShape = x.shape();
        window = WindowShapes.pool("MaxPool2D", inputShape, kernelH, kernelW, strideH, strideW,
                padding);
        int planes = inputShape[0] * inputShape[1];
        float[] y = Workspace.floatsToOverwrite(planes * window.outputPlane());
        argmax = Workspace.intsToOverwrite(y.length);
        PoolKernels.maxPool(x.data(), planes, window, y, argmax);
        return new Tensor(y, inputShape[0], inputShape[1], window.outH(), window.outW());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] gradInput = Workspace.floatsToOverwrite(inputShape[0] * inputShape[1] * window.inputPlane());
        PoolKernels.maxPoolBackward(gradOutput.data(), argmax, inputShape[0] * inputShape[1], window, gradInput);
        return new Tensor[] {new Tensor(gradInput, inputShape)};
    }

    /**
     * The winner of each window of the last forward, as h·W + w within its plane, laid out like the output
     * [N, C, outH, outW] (PyTorch's {@code return_indices}). A copy.
     */
    public int[] argmax() {
        if (argmax == null) {
            throw new IllegalStateException("argmax() before forward: apply the op to an input first");
        }
        return argmax.clone();
    }
}
