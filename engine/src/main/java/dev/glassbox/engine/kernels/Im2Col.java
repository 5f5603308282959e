package dev.glassbox.engine.kernels;

import java.util.Arrays;

/**
 * Lowers a convolution to one matrix product (im2col), and scatters back (col2im) for its gradient.
 *
 * <p>For an image of {@code channels} planes, the column matrix has one row per (channel, kernel row, kernel
 * column) and one column per output position: {@code cols[((c*kh + i)*kw + j) * outPlane + oh*outW + ow]} =
 * {@code x[c, oh*sh - padTop + i*dh, ow*sw - padLeft + j*dw]}, or 0 where that lands in the padding. A weight
 * stored PyTorch-style as [out, channels, kh, kw] is then, row by row, the matrix [out, channels·kh·kw], and
 * {@code y = weight · cols} is the convolution (cross-correlation, no kernel flip) of the image.
 *
 * <p>Several images can share one column matrix, side by side: image i then fills the column block starting at
 * {@code colOffset = i * outPlane}, with rows {@code ldCols} apart (the total width), so a single GEMM convolves
 * them all.
 */
public final class Im2Col {
    private Im2Col() {}

    /**
     * @param x (not modified) the input, the image's planes starting at {@code xOffset}
     * @param cols (modified) its {@code channels * kernelArea} rows × {@code outputPlane} columns block at
     *     {@code colOffset} (row r starts at {@code colOffset + r * ldCols}) is overwritten
     */
    public static void im2col(float[] x, int xOffset, int channels, Window2D g, float[] cols, int colOffset,
            int ldCols) {
        boolean vector = vectorRows(g);
        int[] gather = vector ? gatherMap(g) : null;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = xOffset + c * g.inputPlane();
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, row++) {
                    int to = colOffset + row * ldCols;
                    int base = j * g.dilationW() - g.padLeft();         // input column of output column 0
                    int lo = firstInside(base, g.strideW());
                    int hi = lastInside(base, g.strideW(), g.width(), g.outW());
                    if (vector && inside(g, i, lo, hi)) {
                        int from = plane + (i * g.dilationH() - g.padTop()) * g.width() + base;
                        if (gather != null) {
                            VectorRows.gatherRow(x, from, gather, cols, to);
                        } else {
                            VectorRows.copyRow(x, from, g.width(), g.outH(), g.outW(), cols, to);
                        }
                        continue;
                    }
                    for (int oh = 0; oh < g.outH(); oh++, to += g.outW()) {
                        int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                        if (ih < 0 || ih >= g.height() || lo > hi) {
                            Arrays.fill(cols, to, to + g.outW(), 0f);  // a padding row
                            continue;
                        }
                        // Columns [lo, hi] read the input; those before and after read the padding.
                        for (int ow = 0; ow < lo; ow++) {
                            cols[to + ow] = 0f;
                        }
                        int from = plane + ih * g.width() + base;
                        if (g.strideW() == 1) {
                            // A plain loop, not System.arraycopy: rows are short (8 to 28 values) and the call
                            // would cost more than the copy.
                            for (int ow = lo; ow <= hi; ow++) {
                                cols[to + ow] = x[from + ow];
                            }
                        } else {
                            for (int ow = lo; ow <= hi; ow++) {
                                cols[to + ow] = x[from + ow * g.strideW()];
                            }
                        }
                        for (int ow = hi + 1; ow < g.outW(); ow++) {
                            cols[to + ow] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: adds every column entry back to the input position it was read from
     * (positions read by several windows receive the sum; padding entries are dropped).
     *
     * @param cols (not modified) read from the block at {@code colOffset}, rows {@code ldCols} apart
     * @param gradX (modified) accumulated into, the image's planes at {@code xOffset}
     */
    public static void col2im(float[] cols, int colOffset, int ldCols, int channels, Window2D g, float[] gradX,
            int xOffset) {
        boolean vector = vectorRows(g);
        int[] gather = vector ? gatherMap(g) : null;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = xOffset + c * g.inputPlane();
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, row++) {
                    int from = colOffset + row * ldCols;
                    int base = j * g.dilationW() - g.padLeft();
                    int lo = firstInside(base, g.strideW());
                    int hi = lastInside(base, g.strideW(), g.width(), g.outW());
                    if (vector && inside(g, i, lo, hi)) {
                        int to = plane + (i * g.dilationH() - g.padTop()) * g.width() + base;
                        if (gather != null) {
                            VectorRows.scatterAddRow(cols, from, gather, gradX, to);
                        } else {
                            VectorRows.addRow(cols, from, g.width(), g.outH(), g.outW(), gradX, to);
                        }
                        continue;
                    }
                    for (int oh = 0; oh < g.outH(); oh++, from += g.outW()) {
                        int ih = oh * g.strideH() - g.padTop() + i * g.dilationH();
                        if (ih < 0 || ih >= g.height()) {
                            continue;
                        }
                        int to = plane + ih * g.width() + base;
                        if (g.strideW() == 1) {                  // contiguous: the JIT vectorises it
                            for (int ow = lo; ow <= hi; ow++) {
                                gradX[to + ow] += cols[from + ow];
                            }
                        } else {
                            for (int ow = lo; ow <= hi; ow++) {
                                gradX[to + ow * g.strideW()] += cols[from + ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Whether {@link VectorRows} moves the rows: the Vector API is there (see {@link Blas#vectorApiAvailable}). */
    private static final boolean VECTOR_ROWS = Blas.vectorApiAvailable();

    /** Whether {@link VectorRows} moves whole column-matrix rows of this window: stride 1, the Vector API there. */
    private static boolean vectorRows(Window2D g) {
        return VECTOR_ROWS && g.strideH() == 1 && g.strideW() == 1;
    }

    /** The gather map of an output plane narrower than a vector; null for wider planes, copied run by run. */
    private static int[] gatherMap(Window2D g) {
        return VectorRows.gathers(g.outW()) ? VectorRows.positionMap(g.outH(), g.outW(), g.width()) : null;
    }

    /**
     * Whether kernel row i at the column offset whose inside output columns are [lo, hi] reads only inside the
     * input for every output position (stride 1): no padding in this row of the column matrix.
     */
    private static boolean inside(Window2D g, int i, int lo, int hi) {
        int top = i * g.dilationH() - g.padTop();
        return lo == 0 && hi == g.outW() - 1 && top >= 0 && top + g.outH() <= g.height();
    }

    /** The first output column whose input column {@code base + ow * stride} is not left of the input. */
    private static int firstInside(int base, int stride) {
        return base >= 0 ? 0 : (-base + stride - 1) / stride;
    }

    /** The last output column whose input column is inside a row of {@code width}; below the first if none. */
    private static int lastInside(int base, int stride, int width, int outW) {
        int room = width - 1 - base;
        return room < 0 ? -1 : Math.min(outW - 1, room / stride);
    }
}
