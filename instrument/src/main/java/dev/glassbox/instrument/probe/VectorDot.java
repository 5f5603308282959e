package dev.glassbox.instrument.probe;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The probe's loops along the features with the Vector API: one logit is a dot product of a standardised row with
 * a class's weights (784 of each for pixels), whose scalar loop may not reorder its sum and adds one product at a
 * time; and the gradient adds a scaled row into each class's weights, which the compiler did not vectorise.
 * Lanes are added in lane order, so a result depends only on its inputs. Loaded only when the JVM has the
 * {@code jdk.incubator.vector} module; {@link LinearProbe} keeps a scalar loop otherwise.
 */
final class VectorDot {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = DOUBLES.length();

    private VectorDot() {
    }

    /** Σ a[aFrom + j]·b[bFrom + j] for j < length. */
    static double dot(double[] a, int aFrom, double[] b, int bFrom, int length) {
        DoubleVector s0 = DoubleVector.zero(DOUBLES);
        DoubleVector s1 = s0;
        int j = 0;
        for (; j <= length - 2 * LANES; j += 2 * LANES) {
            s0 = DoubleVector.fromArray(DOUBLES, a, aFrom + j).fma(DoubleVector.fromArray(DOUBLES, b, bFrom + j), s0);
            s1 = DoubleVector.fromArray(DOUBLES, a, aFrom + j + LANES)
                    .fma(DoubleVector.fromArray(DOUBLES, b, bFrom + j + LANES), s1);
        }
        return finish(s0.add(s1), a, aFrom, b, bFrom, j, length);
    }

    /** The lanes of {@code s} in lane order, then the products from {@code j} to {@code length} one by one. */
    private static double finish(DoubleVector s, double[] a, int aFrom, double[] b, int bFrom, int j, int length) {
        double total = 0;
        for (int lane = 0; lane < LANES; lane++) {
            total += s.lane(lane);
        }
        for (; j < length; j++) {
            total += a[aFrom + j] * b[bFrom + j];
        }
        return total;
    }

    /**
     * {@link #dot} of four rows of {@code a} (from {@code aFrom}, {@code aStride} apart) with one row of {@code b},
     * into {@code out[at .. at + 3]}: each the same number, bit for bit, as its own call gives (the same two chains of
     * fused multiply-adds, the same lanes added in the same order), but the four sums' eight chains interleaved, so
     * an addition no longer waits for the one before it in its chain.
     */
    static void dot4(double[] a, int aFrom, int aStride, double[] b, int bFrom, int length, double[] out, int at) {
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        DoubleVector s00 = zero, s01 = zero, s10 = zero, s11 = zero;
        DoubleVector s20 = zero, s21 = zero, s30 = zero, s31 = zero;
        int a0 = aFrom;
        int a1 = a0 + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        int j = 0;
        for (; j <= length - 2 * LANES; j += 2 * LANES) {
            DoubleVector x0 = DoubleVector.fromArray(DOUBLES, b, bFrom + j);
            DoubleVector x1 = DoubleVector.fromArray(DOUBLES, b, bFrom + j + LANES);
            s00 = DoubleVector.fromArray(DOUBLES, a, a0 + j).fma(x0, s00);
            s01 = DoubleVector.fromArray(DOUBLES, a, a0 + j + LANES).fma(x1, s01);
            s10 = DoubleVector.fromArray(DOUBLES, a, a1 + j).fma(x0, s10);
            s11 = DoubleVector.fromArray(DOUBLES, a, a1 + j + LANES).fma(x1, s11);
            s20 = DoubleVector.fromArray(DOUBLES, a, a2 + j).fma(x0, s20);
            s21 = DoubleVector.fromArray(DOUBLES, a, a2 + j + LANES).fma(x1, s21);
            s30 = DoubleVector.fromArray(DOUBLES, a, a3 + j).fma(x0, s30);
            s31 = DoubleVector.fromArray(DOUBLES, a, a3 + j + LANES).fma(x1, s31);
        }
        out[at] = finish(s00.add(s01), a, a0, b, bFrom, j, length);
        out[at + 1] = finish(s10.add(s11), a, a1, b, bFrom, j, length);
        out[at + 2] = finish(s20.add(s21), a, a2, b, bFrom, j, length);
        out[at + 3] = finish(s30.add(s31), a, a3, b, bFrom, j, length);
    }

    /**
     * {@link #addScaled} for {@code rows} rows of x in turn ({@code xStride} apart), coefficient
     * {@code coef[coefFrom + r]} for row r: the same numbers, bit for bit, as that many calls (each element takes the
     * rows' fused multiply-adds in row order; the tail, as there, a product and an addition), but each vector of y
     * is loaded and stored once for all the rows instead of once a row.
     */
    static void addScaledRows(double[] coef, int coefFrom, int rows, double[] x, int xFrom, int xStride, double[] y,
                              int yFrom, int length) {
        int j = 0;
        // four vectors of y at a time: each one's chain of fused multiply-adds waits on its own previous result
        for (; j <= length - 4 * LANES; j += 4 * LANES) {
            int at = yFrom + j;
            DoubleVector acc0 = DoubleVector.fromArray(DOUBLES, y, at);
            DoubleVector acc1 = DoubleVector.fromArray(DOUBLES, y, at + LANES);
            DoubleVector acc2 = DoubleVector.fromArray(DOUBLES, y, at + 2 * LANES);
            DoubleVector acc3 = DoubleVector.fromArray(DOUBLES, y, at + 3 * LANES);
            for (int r = 0; r < rows; r++) {
                DoubleVector c = DoubleVector.broadcast(DOUBLES, coef[coefFrom + r]);
                int from = xFrom + r * xStride + j;
                acc0 = c.fma(DoubleVector.fromArray(DOUBLES, x, from), acc0);
                acc1 = c.fma(DoubleVector.fromArray(DOUBLES, x, from + LANES), acc1);
                acc2 = c.fma(DoubleVector.fromArray(DOUBLES, x, from + 2 * LANES), acc2);
                acc3 = c.fma(DoubleVector.fromArray(DOUBLES, x, from + 3 * LANES), acc3);
            }
            acc0.intoArray(y, at);
            acc1.intoArray(y, at + LANES);
            acc2.intoArray(y, at + 2 * LANES);
            acc3.intoArray(y, at + 3 * LANES);
        }
        for (; j <= length - LANES; j += LANES) {
            DoubleVector acc = DoubleVector.fromArray(DOUBLES, y, yFrom + j);
            for (int r = 0; r < rows; r++) {
                acc = DoubleVector.broadcast(DOUBLES, coef[coefFrom + r])
                        .fma(DoubleVector.fromArray(DOUBLES, x, xFrom + r * xStride + j), acc);
            }
            acc.intoArray(y, yFrom + j);
        }
        for (; j < length; j++) {
            double v = y[yFrom + j];
            for (int r = 0; r < rows; r++) {
                v += coef[coefFrom + r] * x[xFrom + r * xStride + j];
            }
            y[yFrom + j] = v;
        }
    }

    /** y[yFrom + j] += alpha·x[xFrom + j] for j < length. @param y (modified) */
    static void addScaled(double alpha, double[] x, int xFrom, double[] y, int yFrom, int length) {
        DoubleVector scale = DoubleVector.broadcast(DOUBLES, alpha);
        int j = 0;
        for (; j <= length - LANES; j += LANES) {
            scale.fma(DoubleVector.fromArray(DOUBLES, x, xFrom + j), DoubleVector.fromArray(DOUBLES, y, yFrom + j))
                    .intoArray(y, yFrom + j);
        }
        for (; j < length; j++) {
            y[yFrom + j] += alpha * x[xFrom + j];
        }
    }
}
