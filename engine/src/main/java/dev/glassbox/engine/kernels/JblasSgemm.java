package dev.glassbox.engine.kernels;

import org.jblas.NativeBlas;

/**
 * sgemm through jblas's bundled native BLAS ({@code NativeBlas.sgemm}, single-threaded).
 *
 * <p><b>Row-major through a column-major BLAS.</b> A row-major {@code m × n} matrix with leading dimension
 * {@code ld} is, byte for byte, the column-major {@code n × m} matrix of its transpose with the same leading
 * dimension. So instead of C = op(A)·op(B) we ask the column-major BLAS for
 * {@code Cᵀ = op(B)ᵀ · op(A)ᵀ}: B goes first, A second, m and n swap, and each operand keeps its own transpose
 * flag, because the row-major B that the BLAS sees as Bᵀ must be transposed back exactly when op(B) = Bᵀ.
 * No data is copied.
 *
 * <p>The native library may fail to load (unsupported platform, missing system libraries); {@link Blas} then
 * falls back to the pure-Java backend and says so in one log line; constructing this class directly
 * throws instead.
 */
public final class JblasSgemm implements Sgemm {

    /** Loads the native library and runs a 1 × 1 self-test; throws a {@link LinkageError} if it cannot load. */
    public JblasSgemm() {
        org.jblas.util.Logger.getLogger().setLevel(org.jblas.util.Logger.WARNING);  // no INFO chatter at exit
        float[] one = {1f};
        float[] result = {0f};
        NativeBlas.sgemm('N', 'N', 1, 1, 1, 1f, one, 0, 1, one, 0, 1, 0f, result, 0, 1);  // loads the library
        if (result[0] != 1f) {
            throw new IllegalStateException("jblas self-test computed 1·1 = " + result[0]);
        }
    }

    @Override
    public String name() {
        return "jblas";
    }

    @Override
    public String toString() {
        return "jblas";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        if (!GemmArgs.prepare(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb,
                beta, c, cOffset, ldc)) {
            return;
        }
        NativeBlas.sgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k, alpha,
                b, bOffset, ldb, a, aOffset, lda, beta, c, cOffset, ldc);
    }
}

// Exercised by: ./mvnw -B -ntp -q -pl engine -am verify   (SgemmBackendsTest)
