package dev.glassbox.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = alpha · A · Bᵀ + beta · C} computed directly as dot products, for a narrow C and a long k: the weight
 * gradient of a small convolution ({@code gradOutput [filters, batch·H·W] · columnsᵀ}) or a classifier layer
 * ({@code x [batch, 500] · Wᵀ} with 10 classes), where the packed GEMM would spend most of its time copying long,
 * thin operands into panels that are then used only a few times, and fill only part of each register tile.
 *
 * <p>Row i of A and row j of the stored B both have k contiguous values, so each C[i, j] is a dot product of two
 * contiguous arrays. The work goes in chunks of {@value #CHUNK} values of l, so the rows' chunks (4 KB each,
 * under 300 KB for the shapes this serves) stay in L2 while every pair uses them; within a chunk a 2 × 4 block
 * of pairs loads 6 vectors for 8 FMAs. Each pair keeps a vector of partial sums across chunks, reduced to one
 * number at the end, then the k mod lanes leftover terms are added one by one.
 *
 * <p>Rows of C are split between threads by fixed ranges and each C[i, j] is computed by one thread in the same
 * order whatever the split, so the result does not depend on the thread count.
 */
final class VectorDotProducts {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int CHUNK = 1024;

    private VectorDotProducts() {
    }

    static void multiply(int m, int n, int k, float alpha, float[] a, int aOffset, int lda,
                         float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        Parallel.RangeBody rows = (lo, hi) -> rows(lo, hi, n, k, alpha, a, aOffset, lda, b, bOffset, ldb,
                beta, c, cOffset, ldc);
        if ((long) m * n * k < PackedSgemm.PARALLEL_MIN_WORK) {
            rows.run(0, m);
        } else {
            Parallel.forRange(m, 2, rows);
        }
    }

    private static void rows(int rowLo, int rowHi, int n, int k, float alpha, float[] a, int aOffset, int lda,
                             float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        int m = rowHi - rowLo;
        float[] partial = new float[m * n * LANES];             // pair (i, j) at ((i - rowLo)·n + j)·LANES
        int kVector = k - k % LANES;
        for (int l0 = 0; l0 < kVector; l0 += CHUNK) {
            int l1 = Math.min(kVector, l0 + CHUNK);
            int i = 0;
            for (; i + 2 <= m; i += 2) {
                int j = 0;
                for (; j + 4 <= n; j += 4) {
                    block2x4(a, aOffset + (rowLo + i) * lda, lda, b, bOffset + j * ldb, ldb, l0, l1,
                            partial, (i * n + j) * LANES, n * LANES);
                }
                for (; j < n; j++) {
                    single(a, aOffset + (rowLo + i) * lda, b, bOffset + j * ldb, l0, l1, partial, (i * n + j) * LANES);
                    single(a, aOffset + (rowLo + i + 1) * lda, b, bOffset + j * ldb, l0, l1, partial,
                            ((i + 1) * n + j) * LANES);
                }
            }
            for (; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    single(a, aOffset + (rowLo + i) * lda, b, bOffset + j * ldb, l0, l1, partial, (i * n + j) * LANES);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            int aRow = aOffset + (rowLo + i) * lda;
            for (int j = 0; j < n; j++) {
                float sum = FloatVector.fromArray(SPECIES, partial, (i * n + j) * LANES)
                        .reduceLanes(VectorOperators.ADD);
                int bRow = bOffset + j * ldb;
                for (int l = kVector; l < k; l++) {
                    sum = Math.fma(a[aRow + l], b[bRow + l], sum);
                }
                int at = cOffset + (rowLo + i) * ldc + j;
                float old = beta == 0f ? 0f : beta == 1f ? c[at] : beta * c[at];
                c[at] = Math.fma(alpha, sum, old);
            }
        }
    }

    /** Adds rows a0, a0 + lda times rows b0 .. b0 + 3·ldb over [l0, l1) to 8 partial-sum vectors. */
    private static void block2x4(float[] a, int a0, int lda, float[] b, int b0, int ldb, int l0, int l1,
                                 float[] partial, int p, int pNextRow) {
        int a1 = a0 + lda;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        FloatVector s00 = FloatVector.fromArray(SPECIES, partial, p);
        FloatVector s01 = FloatVector.fromArray(SPECIES, partial, p + LANES);
        FloatVector s02 = FloatVector.fromArray(SPECIES, partial, p + 2 * LANES);
        FloatVector s03 = FloatVector.fromArray(SPECIES, partial, p + 3 * LANES);
        FloatVector s10 = FloatVector.fromArray(SPECIES, partial, p + pNextRow);
        FloatVector s11 = FloatVector.fromArray(SPECIES, partial, p + pNextRow + LANES);
        FloatVector s12 = FloatVector.fromArray(SPECIES, partial, p + pNextRow + 2 * LANES);
        FloatVector s13 = FloatVector.fromArray(SPECIES, partial, p + pNextRow + 3 * LANES);
        for (int l = l0; l < l1; l += LANES) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + l);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + l);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + l);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            y = FloatVector.fromArray(SPECIES, b, b1 + l);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            y = FloatVector.fromArray(SPECIES, b, b2 + l);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            y = FloatVector.fromArray(SPECIES, b, b3 + l);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
        }
        s00.intoArray(partial, p);
        s01.intoArray(partial, p + LANES);
        s02.intoArray(partial, p + 2 * LANES);
        s03.intoArray(partial, p + 3 * LANES);
        s10.intoArray(partial, p + pNextRow);
        s11.intoArray(partial, p + pNextRow + LANES);
        s12.intoArray(partial, p + pNextRow + 2 * LANES);
        s13.intoArray(partial, p + pNextRow + 3 * LANES);
    }

    /** One pair: adds row a0 times row b0 over [l0, l1) to one partial-sum vector. */
    private static void single(float[] a, int a0, float[] b, int b0, int l0, int l1, float[] partial, int p) {
        FloatVector s = FloatVector.fromArray(SPECIES, partial, p);
        for (int l = l0; l < l1; l += LANES) {
            s = FloatVector.fromArray(SPECIES, a, a0 + l).fma(FloatVector.fromArray(SPECIES, b, b0 + l), s);
        }
        s.intoArray(partial, p);
    }
}

// Exercised by: ./mvnw -B -ntp -q -pl engine -am verify   (SgemmBackendsTest, shapes with k >= 1024 and small C)
