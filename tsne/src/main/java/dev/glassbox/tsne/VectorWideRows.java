package dev.glassbox.tsne;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double-precision loops over wide rows (a conv layer's 11,520 features per digit) with the Vector API: the
 * dot products and squared distances {@link Metrics#trustworthiness} ranks by, and the dot products and
 * projections of {@link Pca}'s Gram path. Each sums a vector of doubles a step, lane by lane, and adds the lanes in
 * lane order at the end, so a result depends only on its inputs (not on threads), but differs in the last bits from
 * the scalar loops, which keep four running sums. Loaded only when the JVM has the {@code jdk.incubator.vector}
 * module; used for rows of at least {@link #MIN_LENGTH} values, where the scalar loops took seconds
 * (trustworthiness of 1,000 rows of 11,520: 10–11 s on two threads) and compiling these costs less than they save.
 *
 * <p>Floats are widened the way the instrument's statistics widen them: one float vector's lower half to a double
 * vector, the next half by reading a float vector {@code DLANES} further on, so only the preferred float shape is
 * ever loaded (a second shape in the JVM makes the Java 17 compiler fall back to slow code in other kernels).
 */
final class VectorWideRows {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int FLANES = FLOATS.length();
    private static final int DLANES = DOUBLES.length();

    /** Rows shorter than this keep the scalar loops. */
    static final int MIN_LENGTH = 512;

    private VectorWideRows() {
    }

    /** Whether the loops fit the preferred shapes (a float vector holds two double vectors). */
    static boolean fits() {
        return FLANES == 2 * DLANES;
    }

    /**
     * Σ_d (x[a·dims + d] − x[b·dims + d])², each difference taken in float and squared and summed in double, as
     * {@link VpTree#squaredDistance} defines it.
     */
    static double squaredDistance(float[] data, int dims, int a, int b) {
        int oa = a * dims;
        int ob = b * dims;
        int end = stepsEnd(data, dims, oa, ob);
        DoubleVector sum0 = DoubleVector.zero(DOUBLES);
        DoubleVector sum1 = DoubleVector.zero(DOUBLES);
        int d = 0;
        for (; d <= end; d += FLANES) {
            DoubleVector e0 = difference(data, oa + d, ob + d);
            DoubleVector e1 = difference(data, oa + d + DLANES, ob + d + DLANES);
            sum0 = e0.fma(e0, sum0);
            sum1 = e1.fma(e1, sum1);
        }
        return tail(laneSum(sum0.add(sum1)), data, oa, ob, d, dims);
    }

    /**
     * The last d at which a step of {@link #squaredDistance} starts: a step reads FLANES floats at o + d and at
     * o + d + DLANES (using the lower half), which must lie in the row and in the array.
     */
    private static int stepsEnd(float[] data, int dims, int oa, int ob) {
        return Math.min(dims - FLANES, data.length - Math.max(oa, ob) - DLANES - FLANES);
    }

    /** {@code s} plus the squared differences from {@code d} to the end of the row, one by one. */
    private static double tail(double s, float[] data, int oa, int ob, int d, int dims) {
        for (; d < dims; d++) {
            double e = data[oa + d] - data[ob + d];
            s += e * e;
        }
        return s;
    }

    /** The lower half of the float differences x[a ...] − x[b ...], as doubles. */
    private static DoubleVector difference(float[] data, int a, int b) {
        FloatVector e = FloatVector.fromArray(FLOATS, data, a).sub(FloatVector.fromArray(FLOATS, data, b));
        return (DoubleVector) e.convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    /**
     * out[4·r + c] = rows[a0 + r] · rows[b0 + c] over {@code length} values, r and c in 0..3: sixteen sums from
     * eight loads a step, so each row streams through the cache a quarter as often as with one row against four.
     * Written out, sixteen named sums: kept in an array, the Java 17 compiler boxes the vectors (2.5× slower).
     */
    static void dotTile(double[][] rows, int a0, int b0, int length, double[] out) {
        dotTile(rows, a0, rows, b0, length, out);
    }

    /** {@link #dotTile(double[][], int, int, int, double[])} of rows of {@code a} against rows of {@code b}. */
    static void dotTile(double[][] a, int a0, double[][] b, int b0, int length, double[] out) {
        double[] x0 = a[a0];
        double[] x1 = a[a0 + 1];
        double[] x2 = a[a0 + 2];
        double[] x3 = a[a0 + 3];
        double[] y0 = b[b0];
        double[] y1 = b[b0 + 1];
        double[] y2 = b[b0 + 2];
        double[] y3 = b[b0 + 3];
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        DoubleVector s00 = zero, s01 = zero, s02 = zero, s03 = zero;
        DoubleVector s10 = zero, s11 = zero, s12 = zero, s13 = zero;
        DoubleVector s20 = zero, s21 = zero, s22 = zero, s23 = zero;
        DoubleVector s30 = zero, s31 = zero, s32 = zero, s33 = zero;
        int i = 0;
        for (; i <= length - DLANES; i += DLANES) {
            DoubleVector v0 = DoubleVector.fromArray(DOUBLES, x0, i);
            DoubleVector v1 = DoubleVector.fromArray(DOUBLES, x1, i);
            DoubleVector v2 = DoubleVector.fromArray(DOUBLES, x2, i);
            DoubleVector v3 = DoubleVector.fromArray(DOUBLES, x3, i);
            DoubleVector w = DoubleVector.fromArray(DOUBLES, y0, i);
            s00 = v0.fma(w, s00);
            s10 = v1.fma(w, s10);
            s20 = v2.fma(w, s20);
            s30 = v3.fma(w, s30);
            w = DoubleVector.fromArray(DOUBLES, y1, i);
            s01 = v0.fma(w, s01);
            s11 = v1.fma(w, s11);
            s21 = v2.fma(w, s21);
            s31 = v3.fma(w, s31);
            w = DoubleVector.fromArray(DOUBLES, y2, i);
            s02 = v0.fma(w, s02);
            s12 = v1.fma(w, s12);
            s22 = v2.fma(w, s22);
            s32 = v3.fma(w, s32);
            w = DoubleVector.fromArray(DOUBLES, y3, i);
            s03 = v0.fma(w, s03);
            s13 = v1.fma(w, s13);
            s23 = v2.fma(w, s23);
            s33 = v3.fma(w, s33);
        }
        out[0] = finish(s00, x0, y0, i, length);
        out[1] = finish(s01, x0, y1, i, length);
        out[2] = finish(s02, x0, y2, i, length);
        out[3] = finish(s03, x0, y3, i, length);
        out[4] = finish(s10, x1, y0, i, length);
        out[5] = finish(s11, x1, y1, i, length);
        out[6] = finish(s12, x1, y2, i, length);
        out[7] = finish(s13, x1, y3, i, length);
        out[8] = finish(s20, x2, y0, i, length);
        out[9] = finish(s21, x2, y1, i, length);
        out[10] = finish(s22, x2, y2, i, length);
        out[11] = finish(s23, x2, y3, i, length);
        out[12] = finish(s30, x3, y0, i, length);
        out[13] = finish(s31, x3, y1, i, length);
        out[14] = finish(s32, x3, y2, i, length);
        out[15] = finish(s33, x3, y3, i, length);
    }

    /** The lanes of {@code sum} in lane order, then x[j]·y[j] for the values from {@code from} on. */
    private static double finish(DoubleVector sum, double[] x, double[] y, int from, int length) {
        double total = laneSum(sum);
        for (int j = from; j < length; j++) {
            total += x[j] * y[j];
        }
        return total;
    }

    /** Values of a row {@link #dotRows} widens and multiplies at a time: 4 rows of them (32 KB) stay in L1. */
    static final int DOT_CHUNK = 1024;

    /**
     * The dot products of rows [i0, i0 + count) of {@code data} with each of its {@code n} rows, in double:
     * {@code out[r · n + j] = Σ_d x[i0 + r][d] · x[j][d]}. Each product of two floats is exact in double; only the
     * sums round. By pieces of {@link #DOT_CHUNK} values of the rows: the block's rows widened to double once
     * ({@code block}: at least {@code count} rounded up to 4 rows, of min(dims, DOT_CHUNK) values, which stay in
     * L2), then each group of four rows of the data in turn ({@code four}, 4 such rows, in L1), and
     * {@link #dotTile} runs four block rows against the four: each row of the data comes from memory once per
     * block, not once per row of it. Rows past the block's and the data's end are zeros.
     */
    static void dotRows(float[] data, int dims, int n, int i0, int count, double[][] block, double[][] four,
                        double[] out) {
        java.util.Arrays.fill(out, 0, count * n, 0.0);
        int blockRows = (count + 3) / 4 * 4;
        double[] tile = new double[16];
        for (int c0 = 0; c0 < dims; c0 += DOT_CHUNK) {
            int length = Math.min(DOT_CHUNK, dims - c0);
            for (int r = 0; r < blockRows; r++) {
                widen(data, dims, r < count ? i0 + r : -1, c0, length, block[r]);
            }
            for (int j0 = 0; j0 < n; j0 += 4) {
                for (int q = 0; q < 4; q++) {
                    widen(data, dims, j0 + q < n ? j0 + q : -1, c0, length, four[q]);
                }
                for (int r0 = 0; r0 < count; r0 += 4) {
                    dotTile(block, r0, four, 0, length, tile);
                    for (int t = 0; t < 16; t++) {
                        int r = r0 + t / 4;
                        int j = j0 + t % 4;
                        if (r < count && j < n) {
                            out[r * n + j] += tile[t];
                        }
                    }
                }
            }
        }
    }

    /** Values [c0, c0 + length) of row {@code row} of {@code data} as doubles into {@code to}; zeros for row −1. */
    private static void widen(float[] data, int dims, int row, int c0, int length, double[] to) {
        if (row < 0) {
            java.util.Arrays.fill(to, 0, length, 0.0);
            return;
        }
        int from = row * dims + c0;
        // each half from the lower half of a float vector read at its start, as in the class comment
        int end = Math.min(length - FLANES, data.length - from - DLANES - FLANES);
        int d = 0;
        for (; d <= end; d += FLANES) {
            ((DoubleVector) FloatVector.fromArray(FLOATS, data, from + d)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0)).intoArray(to, d);
            ((DoubleVector) FloatVector.fromArray(FLOATS, data, from + d + DLANES)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0)).intoArray(to, d + DLANES);
        }
        for (; d < length; d++) {
            to[d] = data[from + d];
        }
    }

    /** a · b over {@code length} values. */
    static double dot(double[] a, double[] b, int length) {
        DoubleVector s = DoubleVector.zero(DOUBLES);
        int i = 0;
        for (; i <= length - DLANES; i += DLANES) {
            s = DoubleVector.fromArray(DOUBLES, a, i).fma(DoubleVector.fromArray(DOUBLES, b, i), s);
        }
        double total = laneSum(s);
        for (; i < length; i++) {
            total += a[i] * b[i];
        }
        return total;
    }

    /** y[j] += alpha · x[j] for j in [from, from + length). @param y (modified) */
    static void addScaled(double alpha, double[] x, double[] y, int from, int length) {
        DoubleVector scale = DoubleVector.broadcast(DOUBLES, alpha);
        int i = from;
        int end = from + length;
        for (; i <= end - DLANES; i += DLANES) {
            scale.fma(DoubleVector.fromArray(DOUBLES, x, i), DoubleVector.fromArray(DOUBLES, y, i)).intoArray(y, i);
        }
        for (; i < end; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** The lanes added in lane order (a fixed order, unlike {@code reduceLanes}). */
    private static double laneSum(DoubleVector v) {
        double[] lanes = new double[DLANES];
        v.intoArray(lanes, 0);
        double total = 0;
        for (int lane = 0; lane < DLANES; lane++) {
            total += lanes[lane];
        }
        return total;
    }
}
