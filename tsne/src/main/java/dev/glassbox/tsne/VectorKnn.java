package dev.glassbox.tsne;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two hot loops of {@link BlockedKnn} with the Vector API: the dot products of a block of queries with a
 * block of points, and the test that skips the points that cannot be neighbours. Loaded only when the JVM has the
 * {@code jdk.incubator.vector} module.
 *
 * <p>The dot products read the points' block transposed (dimension by dimension, {@link BlockedKnn#POINT_BLOCK}
 * points a row), so a vector holds one coordinate of consecutive points: eight queries (four with narrower
 * vectors) × two vectors of points per step, as many independent fused multiply-add chains, the query coordinate
 * broadcast. A fused multiply-add
 * rounds once where the scalar loop rounds twice, so the estimates differ from the scalar ones but stay within the
 * same bound, and the exact distances decide: the neighbours are the same, bit for bit.
 *
 * <p>One float shape only ({@code FloatVector.SPECIES_PREFERRED}, the engine's), whose halves are widened to the
 * preferred double vectors for the test: a second float shape in the JVM makes the Java 17 compiler fall back to
 * slow code in the other kernels.
 */
final class VectorKnn {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();
    /** Eight queries a pass where there are registers for it: 512-bit vectors come with 32 of them. */
    private static final boolean EIGHT_QUERIES = FLOATS.vectorBitSize() >= 512;

    private VectorKnn() {
    }

    /** Points {@link #noneCanPass} tests at once. */
    static int groupSize() {
        return LANES;
    }

    /** True when a point block's width is a whole number of vector pairs, as the kernel assumes. */
    static boolean fits(int pointBlock) {
        return pointBlock % (2 * LANES) == 0 && 2 * DOUBLES.length() == LANES;
    }

    /**
     * dots[q][jj] = (query row q) · (point jj of the block) in float, for the query rows at the offsets
     * {@code queryRows} (a multiple of 8 of them) into {@code data}, skipping the fours none of which is
     * {@code wanted}; {@code pointsT} holds the block transposed at
     * {@code offset}: coordinate d of point jj at offset + d·pointBlock + jj, zero past the last point.
     */
    static void dotProducts(float[] data, int dims, int[] queryRows, boolean[] wanted, float[] pointsT, int offset,
                            int pointBlock, float[] dots) {
        for (int q = 0; q < queryRows.length; q += 8) {
            boolean low = wanted[q] || wanted[q + 1] || wanted[q + 2] || wanted[q + 3];
            boolean high = wanted[q + 4] || wanted[q + 5] || wanted[q + 6] || wanted[q + 7];
            if (low && high && EIGHT_QUERIES) {
                eightQueries(data, dims, queryRows, q, pointsT, offset, pointBlock, dots);
            } else {
                // no query of a four wanted: its rows are not read
                if (low) {
                    fourQueries(data, dims, queryRows, q, pointsT, offset, pointBlock, dots);
                }
                if (high) {
                    fourQueries(data, dims, queryRows, q + 4, pointsT, offset, pointBlock, dots);
                }
            }
        }
    }

    /**
     * Rows q … q + 7 of the dot products: sixteen accumulators, so each pair of point vectors loaded serves eight
     * queries. With four queries a pass the kernel waited on the level-2 cache: 128 bytes of points for every
     * eight multiply-adds, the most that cache delivers; now half that. Needs the 32 vector registers of
     * AVX-512 (sixteen accumulators, two point vectors, one broadcast).
     */
    private static void eightQueries(float[] data, int dims, int[] queryRows, int q, float[] pointsT, int offset,
                                     int pointBlock, float[] dots) {
        int a0 = queryRows[q];
        int a1 = queryRows[q + 1];
        int a2 = queryRows[q + 2];
        int a3 = queryRows[q + 3];
        int a4 = queryRows[q + 4];
        int a5 = queryRows[q + 5];
        int a6 = queryRows[q + 6];
        int a7 = queryRows[q + 7];
        for (int jj = 0; jj < pointBlock; jj += 2 * LANES) {
            FloatVector s00 = FloatVector.zero(FLOATS), s01 = FloatVector.zero(FLOATS);
            FloatVector s10 = FloatVector.zero(FLOATS), s11 = FloatVector.zero(FLOATS);
            FloatVector s20 = FloatVector.zero(FLOATS), s21 = FloatVector.zero(FLOATS);
            FloatVector s30 = FloatVector.zero(FLOATS), s31 = FloatVector.zero(FLOATS);
            FloatVector s40 = FloatVector.zero(FLOATS), s41 = FloatVector.zero(FLOATS);
            FloatVector s50 = FloatVector.zero(FLOATS), s51 = FloatVector.zero(FLOATS);
            FloatVector s60 = FloatVector.zero(FLOATS), s61 = FloatVector.zero(FLOATS);
            FloatVector s70 = FloatVector.zero(FLOATS), s71 = FloatVector.zero(FLOATS);
            for (int d = 0; d < dims; d++) {
                int at = offset + d * pointBlock + jj;
                FloatVector p0 = FloatVector.fromArray(FLOATS, pointsT, at);
                FloatVector p1 = FloatVector.fromArray(FLOATS, pointsT, at + LANES);
                FloatVector x = FloatVector.broadcast(FLOATS, data[a0 + d]);
                s00 = x.fma(p0, s00);
                s01 = x.fma(p1, s01);
                x = FloatVector.broadcast(FLOATS, data[a1 + d]);
                s10 = x.fma(p0, s10);
                s11 = x.fma(p1, s11);
                x = FloatVector.broadcast(FLOATS, data[a2 + d]);
                s20 = x.fma(p0, s20);
                s21 = x.fma(p1, s21);
                x = FloatVector.broadcast(FLOATS, data[a3 + d]);
                s30 = x.fma(p0, s30);
                s31 = x.fma(p1, s31);
                x = FloatVector.broadcast(FLOATS, data[a4 + d]);
                s40 = x.fma(p0, s40);
                s41 = x.fma(p1, s41);
                x = FloatVector.broadcast(FLOATS, data[a5 + d]);
                s50 = x.fma(p0, s50);
                s51 = x.fma(p1, s51);
                x = FloatVector.broadcast(FLOATS, data[a6 + d]);
                s60 = x.fma(p0, s60);
                s61 = x.fma(p1, s61);
                x = FloatVector.broadcast(FLOATS, data[a7 + d]);
                s70 = x.fma(p0, s70);
                s71 = x.fma(p1, s71);
            }
            int r = q * pointBlock + jj;
            s00.intoArray(dots, r);
            s01.intoArray(dots, r + LANES);
            r += pointBlock;
            s10.intoArray(dots, r);
            s11.intoArray(dots, r + LANES);
            r += pointBlock;
            s20.intoArray(dots, r);
            s21.intoArray(dots, r + LANES);
            r += pointBlock;
            s30.intoArray(dots, r);
            s31.intoArray(dots, r + LANES);
            r += pointBlock;
            s40.intoArray(dots, r);
            s41.intoArray(dots, r + LANES);
            r += pointBlock;
            s50.intoArray(dots, r);
            s51.intoArray(dots, r + LANES);
            r += pointBlock;
            s60.intoArray(dots, r);
            s61.intoArray(dots, r + LANES);
            r += pointBlock;
            s70.intoArray(dots, r);
            s71.intoArray(dots, r + LANES);
        }
    }

    /** Rows q … q + 3 of the dot products: eight accumulators, for narrower vectors and half-wanted blocks. */
    private static void fourQueries(float[] data, int dims, int[] queryRows, int q, float[] pointsT, int offset,
                                    int pointBlock, float[] dots) {
        int a0 = queryRows[q];
        int a1 = queryRows[q + 1];
        int a2 = queryRows[q + 2];
        int a3 = queryRows[q + 3];
        for (int jj = 0; jj < pointBlock; jj += 2 * LANES) {
            FloatVector s00 = FloatVector.zero(FLOATS), s01 = FloatVector.zero(FLOATS);
            FloatVector s10 = FloatVector.zero(FLOATS), s11 = FloatVector.zero(FLOATS);
            FloatVector s20 = FloatVector.zero(FLOATS), s21 = FloatVector.zero(FLOATS);
            FloatVector s30 = FloatVector.zero(FLOATS), s31 = FloatVector.zero(FLOATS);
            for (int d = 0; d < dims; d++) {
                int at = offset + d * pointBlock + jj;
                FloatVector p0 = FloatVector.fromArray(FLOATS, pointsT, at);
                FloatVector p1 = FloatVector.fromArray(FLOATS, pointsT, at + LANES);
                FloatVector x = FloatVector.broadcast(FLOATS, data[a0 + d]);
                s00 = x.fma(p0, s00);
                s01 = x.fma(p1, s01);
                x = FloatVector.broadcast(FLOATS, data[a1 + d]);
                s10 = x.fma(p0, s10);
                s11 = x.fma(p1, s11);
                x = FloatVector.broadcast(FLOATS, data[a2 + d]);
                s20 = x.fma(p0, s20);
                s21 = x.fma(p1, s21);
                x = FloatVector.broadcast(FLOATS, data[a3 + d]);
                s30 = x.fma(p0, s30);
                s31 = x.fma(p1, s31);
            }
            int r0 = q * pointBlock + jj;
            s00.intoArray(dots, r0);
            s01.intoArray(dots, r0 + LANES);
            s10.intoArray(dots, r0 + pointBlock);
            s11.intoArray(dots, r0 + pointBlock + LANES);
            s20.intoArray(dots, r0 + 2 * pointBlock);
            s21.intoArray(dots, r0 + 2 * pointBlock + LANES);
            s30.intoArray(dots, r0 + 3 * pointBlock);
            s31.intoArray(dots, r0 + 3 * pointBlock + LANES);
        }
    }

    /**
     * True when every point of {@code [jj, jj + LANES)} of the block fails {@link BlockedKnn}'s test against
     * {@code bound}: (scale − 2·dot) − slack·scale &gt; bound with scale = |x_q|² + |x_j|², in double, the scalar
     * test's arithmetic. Then the whole group is skipped; otherwise the caller tests its points one by one. (Asking
     * which lanes passed would take the mask's bits, and {@code VectorMask.toLong} is a slow library call in Java
     * 17; "all of them fail" is one instruction, and after the first blocks nearly every group does.) A NaN fails
     * no comparison, so it is never skipped here, as in the scalar test. {@code norms} is read from
     * {@code j0 + jj}; the caller stops a vector before the block's last point.
     */
    static boolean noneCanPass(double[] norms, int j0, int jj, float[] dots, int row, double queryNorm,
                               double slack, double bound) {
        FloatVector dot = FloatVector.fromArray(FLOATS, dots, row + jj);
        DoubleVector dot0 = (DoubleVector) dot.convertShape(VectorOperators.F2D, DOUBLES, 0);
        DoubleVector dot1 = (DoubleVector) dot.convertShape(VectorOperators.F2D, DOUBLES, 1);
        DoubleVector scale0 = DoubleVector.fromArray(DOUBLES, norms, j0 + jj).add(queryNorm);
        DoubleVector scale1 = DoubleVector.fromArray(DOUBLES, norms, j0 + jj + DOUBLES.length()).add(queryNorm);
        // estimate − slack·scale, with estimate = scale − 2·dot, computed as the scalar test computes it
        DoubleVector test0 = scale0.sub(dot0.mul(2.0)).sub(scale0.mul(slack));
        DoubleVector test1 = scale1.sub(dot1.mul(2.0)).sub(scale1.mul(slack));
        return test0.compare(VectorOperators.GT, bound).allTrue() && test1.compare(VectorOperators.GT, bound).allTrue();
    }
}
