package dev.glassbox.engine.ops;

import dev.glassbox.engine.kernels.Window2D;

/**
 * Zero (or, for max-pooling, -∞) padding around the spatial plane of an NCHW tensor, one amount per side.
 * Separate sides are needed because Keras/TensorFlow {@code padding="same"} puts the odd extra row and column at
 * the bottom and right, while PyTorch pads symmetrically.
 */
public record Padding2D(int top, int bottom, int left, int right) {
    public static final Padding2D NONE = new Padding2D(0, 0, 0, 0);

    public Padding2D {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must be >= 0 on every side, got top=" + top + " bottom="
                    + bottom + " left=" + left + " right=" + right);
        }
    }

    /** Keras/TF {@code "valid"}: no padding. */
    public static Padding2D valid() {
        return NONE;
    }

    /** PyTorch's {@code padding=(padH, padW)}: padH rows above and below, padW columns left and right. */
    public static Padding2D symmetric(int padH, int padW) {
        return new Padding2D(padH, padH, padW, padW);
    }

    /**
     * Keras/TF {@code "same"} for an input of {@code height × width}: the output is ceil(in / stride) along each
     * axis, and per axis total = max((out - 1)·stride + kEff - in, 0) with kEff = dilation·(k - 1) + 1, split as
     * before = floor(total / 2), after = the rest (so the odd extra goes bottom/right).
     */
    public static Padding2D same(int height, int width, int kernelH, int kernelW, int strideH, int strideW,
            int dilationH, int dilationW) {
        int totalH = sameTotal(height, kernelH, strideH, dilationH);
        int totalW = sameTotal(width, kernelW, strideW, dilationW);
        return new Padding2D(totalH / 2, totalH - totalH / 2, totalW / 2, totalW - totalW / 2);
    }

    /** {@code "valid"} or {@code "same"} (as Keras spells them) for the given geometry. */
    public static Padding2D of(String mode, int height, int width, int kernelH, int kernelW, int strideH,
            int strideW, int dilationH, int dilationW) {
        return switch (mode) {
            case "valid" -> NONE;
            case "same" -> same(height, width, kernelH, kernelW, strideH, strideW, dilationH, dilationW);
            default -> throw new IllegalArgumentException("padding mode must be \"valid\" or \"same\", got \""
                    + mode + "\"; for PyTorch's numeric padding use Padding2D.symmetric(padH, padW)");
        };
    }

    private static int sameTotal(int in, int kernel, int stride, int dilation) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - in, 0);
    }

    /** The window geometry over a {@code height × width} plane with this padding. */
    Window2D window(int height, int width, int kernelH, int kernelW, int strideH, int strideW, int dilationH,
            int dilationW) {
        return new Window2D(height, width, kernelH, kernelW, strideH, strideW, top, left, dilationH, dilationW,
                Window2D.outputSize(height, kernelH, strideH, top, bottom, dilationH),
                Window2D.outputSize(width, kernelW, strideW, left, right, dilationW));
    }
}
