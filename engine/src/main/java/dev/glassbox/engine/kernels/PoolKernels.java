package dev.glassbox.engine.kernels;

/**
 * Max- and average-pooling loops over a stack of independent [height, width] planes (batch × channels of an
 * NCHW tensor). Each plane p reads {@code x[p * inputPlane ...]} and writes {@code y[p * outputPlane ...]}.
 *
 * <p>Planes are independent, so each entry point splits them over {@link Parallel}'s fixed ranges: every output
 * is computed by the same arithmetic whatever the thread count (bitwise identical results), and the second
 * core takes half of the pooling that would otherwise run beside idle GEMM threads.
 */
public final class PoolKernels {
    private PoolKernels() {}

    /** Whether {@link VectorPooling} takes the 2×2 windows: the JVM has the Vector API. */
    private static final boolean VECTOR_POOLING = Blas.vectorApiAvailable();

    /** Input elements a thread should get at least: below that, handing out the range costs more than it saves. */
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 15;

    /** Planes per range so that each range reads at least {@link #MIN_ELEMENTS_PER_THREAD} inputs. */
    private static int minPlanes(Window2D g) {
        return Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, g.inputPlane()));
    }

    /**
     * Max over each window. Positions in the padding count as -∞, so they never win. Ties go to the FIRST
     * maximum in row-major window order (scan rows, then columns; replace only on a strictly greater value), as
     * PyTorch's CPU kernel does; a NaN wins and propagates. Every window must hold at least one input position.
     *
     * @param x (not modified) @param y (modified) the maxima
     * @param argmax (modified) for each output, the winner's index h*width + w within its plane
     */
    public static void maxPool(float[] x, int planes, Window2D g, float[] y, int[] argmax) {
        boolean twoByTwo = g.kernelH() == 2 && g.kernelW() == 2 && g.strideH() == 2 && g.strideW() == 2
                && g.padTop() == 0 && g.padLeft() == 0 && g.dilationH() == 1 && g.dilationW() == 1;
        VectorPooling.Map map = twoByTwo && VECTOR_POOLING && g.outputPlane() >= VectorPooling.LANES
                ? VectorPooling.Map.of(g) : null;
        Parallel.forRange(planes, minPlanes(g), (from, to) -> {
            if (map != null) {
                VectorPooling.maxPool2x2(x, from, to, g, map, y, argmax);
            } else if (twoByTwo) {
                maxPool2x2(x, from, to, g, y, argmax);
            } else {
                maxPool(x, from, to, g, y, argmax);
            }
        });
    }

    private static void maxPool(float[] x, int from, int to, Window2D g, float[] y, int[] argmax) {
        // The geometry in locals: the loops below run a million times per batch.
        int width = g.width();
        int height = g.height();
        int kernelH = g.kernelH();
        int kernelW = g.kernelW();
        int strideH = g.strideH();
        int strideW = g.strideW();
        int outH = g.outH();
        int outW = g.outW();
        int inputPlane = g.inputPlane();
        int out = from * g.outputPlane();
        for (int p = from; p < to; p++) {
            int plane = p * inputPlane;
            for (int oh = 0; oh < outH; oh++) {
                int h0 = oh * strideH - g.padTop();
                int hFrom = Math.max(h0, 0);
                int hTo = Math.min(h0 + kernelH, height);
                for (int ow = 0; ow < outW; ow++, out++) {
                    int w0 = ow * strideW - g.padLeft();
                    int wFrom = Math.max(w0, 0);
                    int wTo = Math.min(w0 + kernelW, width);
                    // Start from the window's first element: strictly greater then keeps the first of tied
                    // maxima, and a NaN (v != v) takes over and stays.
                    int bestIndex = hFrom * width + wFrom;
                    float best = x[plane + bestIndex];
                    for (int h = hFrom; h < hTo; h++) {
                        int row = h * width;
                        for (int w = wFrom; w < wTo; w++) {
                            float v = x[plane + row + w];
                            // As in window2x2: max for the value, an integer select for the index.
                            boolean take = v > best | (v != v & best == best);
                            bestIndex = take ? row + w : bestIndex;
                            best = Math.max(best, v);
                        }
                    }
                    y[out] = best;
                    argmax[out] = bestIndex;
                }
            }
        }
    }

    /**
     * The common 2×2 window with stride 2 and no padding, written out: two input rows per output row, four
     * candidates per window compared in row-major order (the first of tied maxima wins; a NaN wins).
     */
    private static void maxPool2x2(float[] x, int from, int to, Window2D g, float[] y, int[] argmax) {
        int width = g.width();
        int outW = g.outW();
        int inputPlane = g.inputPlane();
        int out = from * g.outputPlane();
        for (int p = from; p < to; p++) {
            int plane = p * inputPlane;
            for (int oh = 0; oh < g.outH(); oh++) {
                int top = 2 * oh * width;
                for (int ow = 0; ow < outW; ow++, out++) {
                    window2x2(x, plane, top + 2 * ow, width, y, argmax, out);
                }
            }
        }
    }

    /**
     * One 2×2 window whose top-left input is {@code x[plane + i0]}: its maximum into {@code y[out]}, the winner's
     * index within the plane into {@code argmax[out]}. Also what {@link VectorPooling} does for the windows it
     * leaves to scalar code (a NaN among them, or the outputs after a plane's last whole vector).
     */
    static void window2x2(float[] x, int plane, int i0, int width, float[] y, int[] argmax, int out) {
        int i2 = i0 + width;
        float v0 = x[plane + i0];
        float v1 = x[plane + i0 + 1];
        float v2 = x[plane + i2];
        float v3 = x[plane + i2 + 1];
        // Values by Math.max (maxss, a NaN propagates) and indices by integer selects: a float select compiles to
        // a branch, which the data would mispredict half the time. Strictly greater keeps the earlier of tied
        // maxima; a NaN takes the index.
        float best0 = Math.max(v0, v1);
        float best1 = Math.max(v2, v3);
        int index0 = i0 + (v1 > v0 | (v1 != v1 & v0 == v0) ? 1 : 0);
        int index1 = i2 + (v3 > v2 | (v3 != v3 & v2 == v2) ? 1 : 0);
        boolean bottom = best1 > best0 | (best1 != best1 & best0 == best0);
        y[out] = Math.max(best0, best1);
        argmax[out] = bottom ? index1 : index0;
    }

    /**
     * The gradient of {@link #maxPool}: each output's gradient goes to its window's winner; an input that wins
     * several (overlapping) windows receives the sum.
     *
     * Each input plane takes gradients from its own output plane only, so a thread zeroes the planes it scatters
     * into, just before (in cache, and on both cores), instead of the caller zeroing the whole array beforehand.
     *
     * @param gradOutput (not modified) @param gradInput (modified) overwritten: its previous contents do not matter
     */
    public static void maxPoolBackward(float[] gradOutput, int[] argmax, int planes, Window2D g, float[] gradInput) {
        Parallel.forRange(planes, minPlanes(g), (from, to) -> maxPoolBackward(gradOutput, argmax, from, to, g,
                gradInput));
    }

    private static void maxPoolBackward(float[] gradOutput, int[] argmax, int from, int to, Window2D g,
                                        float[] gradInput) {
        int outPlane = g.outputPlane();
        for (int p = from; p < to; p++) {
            int plane = p * g.inputPlane();
            java.util.Arrays.fill(gradInput, plane, plane + g.inputPlane(), 0f);
            for (int o = p * outPlane; o < (p + 1) * outPlane; o++) {
                gradInput[plane + argmax[o]] += gradOutput[o];
            }
        }
    }

    /**
     * Average over each window. With {@code countPadding} the divisor is the full window (kernelH·kernelW, padding
     * counted as zeros: PyTorch's default); without it, only the input positions inside the window (Keras/TF).
     *
     * @param x (not modified) @param y (modified)
     */
    public static void avgPool(float[] x, int planes, Window2D g, boolean countPadding, float[] y) {
        Parallel.forRange(planes, minPlanes(g), (from, to) -> avgPool(x, from, to, g, countPadding, y));
    }

    private static void avgPool(float[] x, int from, int to, Window2D g, boolean countPadding, float[] y) {
        int out = from * g.outputPlane();
        for (int p = from; p < to; p++) {
            int plane = p * g.inputPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = oh * g.strideH() - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++, out++) {
                    int w0 = ow * g.strideW() - g.padLeft();
                    float sum = 0f;
                    for (int h = Math.max(h0, 0); h < Math.min(h0 + g.kernelH(), g.height()); h++) {
                        for (int w = Math.max(w0, 0); w < Math.min(w0 + g.kernelW(), g.width()); w++) {
                            sum += x[plane + h * g.width() + w];
                        }
                    }
                    y[out] = sum / divisor(g, h0, w0, countPadding);
                }
            }
        }
    }

    /**
     * The gradient of {@link #avgPool}: each output's gradient, divided by the same divisor, goes to every input
     * position of its window.
     *
     * @param gradOutput (not modified) @param gradInput (modified) accumulated into
     */
    public static void avgPoolBackward(float[] gradOutput, int planes, Window2D g, boolean countPadding,
            float[] gradInput) {
        Parallel.forRange(planes, minPlanes(g), (from, to) -> avgPoolBackward(gradOutput, from, to, g, countPadding,
                gradInput));
    }

    private static void avgPoolBackward(float[] gradOutput, int from, int to, Window2D g, boolean countPadding,
                                        float[] gradInput) {
        int out = from * g.outputPlane();
        for (int p = from; p < to; p++) {
            int plane = p * g.inputPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = oh * g.strideH() - g.padTop();
                for (int ow = 0; ow < g.outW(); ow++, out++) {
                    int w0 = ow * g.strideW() - g.padLeft();
                    float share = gradOutput[out] / divisor(g, h0, w0, countPadding);
                    for (int h = Math.max(h0, 0); h < Math.min(h0 + g.kernelH(), g.height()); h++) {
                        for (int w = Math.max(w0, 0); w < Math.min(w0 + g.kernelW(), g.width()); w++) {
                            gradInput[plane + h * g.width() + w] += share;
                        }
                    }
                }
            }
        }
    }

    /** Window size, or only its part inside the input when padding is not counted. */
    private static int divisor(Window2D g, int h0, int w0, boolean countPadding) {
        if (countPadding) {
            return g.kernelArea();
        }
        int rows = Math.min(h0 + g.kernelH(), g.height()) - Math.max(h0, 0);
        int cols = Math.min(w0 + g.kernelW(), g.width()) - Math.max(w0, 0);
        return rows * cols;
    }
}
