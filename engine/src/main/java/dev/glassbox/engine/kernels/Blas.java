package dev.glassbox.engine.kernels;

/** The selected sgemm backend. */
public final class Blas {
    private static final Sgemm NAIVE = new Sgemm() {
        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                        float bv = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                        sum += av * bv;
                    }
                    int ci = cOffset + i * ldc + j;
                    c[ci] = (float) (alpha * sum + (beta == 0 ? 0 : beta * c[ci]));
                }
            }
        }

        @Override
        public String name() {
            return "naive";
        }
    };

    private Blas() {}

    public static Sgemm get() {
        return NAIVE;
    }
}
