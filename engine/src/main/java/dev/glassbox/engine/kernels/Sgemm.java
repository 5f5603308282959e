package dev.glassbox.engine.kernels;

/**
 * Single-precision general matrix multiply, the one BLAS routine the engine needs:
 * {@code C = alpha · op(A) · op(B) + beta · C} with {@code op(X) = X} or {@code Xᵀ}.
 *
 * <p>All matrices are row-major. {@code op(A)} is {@code m × k}, {@code op(B)} is {@code k × n}, {@code C} is
 * {@code m × n}. A stored matrix's element (i, j) lives at {@code x[offset + i * ld + j]}; so a non-transposed A
 * needs {@code lda >= k}, a transposed one (stored {@code k × m}) needs {@code lda >= m}. With {@code beta == 0},
 * C is overwritten without being read (NaNs in C do not propagate), as in reference BLAS.
 */
public interface Sgemm {

    /**
     * @param a (not modified) @param b (not modified) @param c (modified) the output
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOffset, int lda,
               float[] b, int bOffset, int ldb,
               float beta, float[] c, int cOffset, int ldc);

    /** The backend's name as the {@code glassbox.blas} property spells it: java, ejml, jblas. */
    String name();
}
