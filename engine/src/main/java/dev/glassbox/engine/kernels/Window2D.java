package dev.glassbox.engine.kernels;

/**
 * Where a sliding 2-D window goes over one [height, width] plane: the geometry shared by convolution (im2col) and
 * pooling. Output position (oh, ow) reads input rows {@code oh*strideH - padTop + i*dilationH} for i in
 * [0, kernelH) and columns likewise; rows or columns outside [0, height) × [0, width) are padding.
 * Only the top and left padding appear here: the bottom and right padding are already folded into
 * {@code outH}/{@code outW} (see {@link #outputSize}).
 */
public record Window2D(int height, int width, int kernelH, int kernelW, int strideH, int strideW,
        int padTop, int padLeft, int dilationH, int dilationW, int outH, int outW) {

    /** Positions in one input plane. */
    public int inputPlane() {
        return height * width;
    }

    /** Positions in one output plane. */
    public int outputPlane() {
        return outH * outW;
    }

    /** Elements of one window. */
    public int kernelArea() {
        return kernelH * kernelW;
    }

    /**
     * The output length along one axis: floor((in + padBefore + padAfter - dilation·(kernel-1) - 1) / stride) + 1,
     * or 0 or less when the kernel does not fit even once.
     */
    public static int outputSize(int in, int kernel, int stride, int padBefore, int padAfter, int dilation) {
        int span = dilation * (kernel - 1) + 1;
        int room = in + padBefore + padAfter - span;
        return room < 0 ? 0 : room / stride + 1;
    }
}
