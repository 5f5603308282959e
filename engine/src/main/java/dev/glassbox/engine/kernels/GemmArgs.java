package dev.glassbox.engine.kernels;

/**
 * Argument checks and the degenerate cases every {@link Sgemm} backend shares, so each backend validates the same
 * way and only ever sees a real product.
 */
final class GemmArgs {

    private GemmArgs() {
    }

    /**
     * Validates the arguments of {@link Sgemm#sgemm} and handles the cases with nothing to multiply: empty C,
     * {@code k == 0} or {@code alpha == 0}, where C just becomes {@code beta · C} (0 when beta is 0, without
     * reading C).
     *
     * @return true if the caller still has to compute the product; false if C is already final
     * @throws IllegalArgumentException naming the argument that is wrong, when shapes, leading dimensions or
     *                                  array lengths do not fit
     */
    static boolean prepare(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                           float beta, float[] c, int cOffset, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm sizes must be non-negative, but got m=" + m + ", n=" + n
                    + ", k=" + k);
        }
        if (m == 0 || n == 0) {
            return false;
        }
        checkMatrix("C", c, cOffset, ldc, m, n, false);
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOffset, ldc);
            return false;
        }
        checkMatrix("A", a, aOffset, lda, m, k, transA);
        checkMatrix("B", b, bOffset, ldb, k, n, transB);
        return true;
    }

    /** C = beta · C over an {@code m × n} block; beta 0 writes zeros without reading C. */
    static void scale(int m, int n, float beta, float[] c, int cOffset, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOffset + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0f ? 0f : beta * c[row + j];
            }
        }
    }

    /**
     * Checks that op(X) of size {@code rows × cols} fits in {@code x}; the stored matrix is {@code cols × rows}
     * when transposed.
     */
    private static void checkMatrix(String name, float[] x, int offset, int ld, int rows, int cols,
                                    boolean transposed) {
        int storedRows = transposed ? cols : rows;
        int storedCols = transposed ? rows : cols;
        String what = name + (transposed ? "ᵀ" : "") + " (stored " + storedRows + " × " + storedCols + ")";
        if (x == null) {
            throw new IllegalArgumentException("sgemm: array for " + what + " is null");
        }
        if (ld < storedCols) {
            throw new IllegalArgumentException("sgemm: leading dimension of " + what + " must be at least "
                    + storedCols + ", but got " + ld);
        }
        long last = (long) offset + (long) (storedRows - 1) * ld + storedCols;
        if (offset < 0 || last > x.length) {
            throw new IllegalArgumentException("sgemm: " + what + " at offset " + offset + " with leading "
                    + "dimension " + ld + " needs " + last + " elements, but the array has " + x.length);
        }
    }
}
