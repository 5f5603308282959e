package dev.glassbox.engine.kernels;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * sgemm through EJML's single-threaded {@code CommonOps_FDRM}: one of its four {@code mult}/{@code multAdd}
 * variants per transpose combination.
 *
 * <p>EJML matrices are dense row-major arrays starting at index 0, so an operand that already has that form is
 * wrapped without copying; an offset or a leading dimension wider than the row is copied into a compact matrix
 * first (and C copied back). EJML's loops are plain Java and run at scalar speed; the backend is here as an
 * independent check and a baseline.
 */
public final class EjmlSgemm implements Sgemm {

    @Override
    public String name() {
        return "ejml";
    }

    @Override
    public String toString() {
        return "ejml";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        if (!GemmArgs.prepare(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb,
                beta, c, cOffset, ldc)) {
            return;
        }
        FMatrixRMaj matA = view(a, aOffset, lda, transA ? k : m, transA ? m : k);
        FMatrixRMaj matB = view(b, bOffset, ldb, transB ? n : k, transB ? k : n);
        boolean compactC = isCompact(c, cOffset, ldc, m, n);
        FMatrixRMaj matC = compactC ? FMatrixRMaj.wrap(m, n, c) : new FMatrixRMaj(m, n);
        if (beta != 0f) {
            if (!compactC) {
                copy(c, cOffset, ldc, matC.data, 0, n, m, n);
            }
            if (beta != 1f) {
                CommonOps_FDRM.scale(beta, matC);
            }
            multAdd(transA, transB, alpha, matA, matB, matC);
        } else {
            mult(transA, transB, alpha, matA, matB, matC);  // overwrites C without reading it
        }
        if (!compactC) {
            copy(matC.data, 0, n, c, cOffset, ldc, m, n);
        }
    }

    private static void mult(boolean transA, boolean transB, float alpha,
                             FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (transA && transB) {
            CommonOps_FDRM.multTransAB(alpha, a, b, c);
        } else if (transA) {
            CommonOps_FDRM.multTransA(alpha, a, b, c);
        } else if (transB) {
            CommonOps_FDRM.multTransB(alpha, a, b, c);
        } else {
            CommonOps_FDRM.mult(alpha, a, b, c);
        }
    }

    private static void multAdd(boolean transA, boolean transB, float alpha,
                                FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (transA && transB) {
            CommonOps_FDRM.multAddTransAB(alpha, a, b, c);
        } else if (transA) {
            CommonOps_FDRM.multAddTransA(alpha, a, b, c);
        } else if (transB) {
            CommonOps_FDRM.multAddTransB(alpha, a, b, c);
        } else {
            CommonOps_FDRM.multAdd(alpha, a, b, c);
        }
    }

    /** The stored {@code rows × cols} matrix as an EJML matrix: wrapped if compact, else a compact copy. */
    private static FMatrixRMaj view(float[] x, int offset, int ld, int rows, int cols) {
        if (isCompact(x, offset, ld, rows, cols)) {
            return FMatrixRMaj.wrap(rows, cols, x);
        }
        FMatrixRMaj copy = new FMatrixRMaj(rows, cols);
        copy(x, offset, ld, copy.data, 0, cols, rows, cols);
        return copy;
    }

    private static boolean isCompact(float[] x, int offset, int ld, int rows, int cols) {
        return offset == 0 && ld == cols && x.length == rows * cols;
    }

    private static void copy(float[] src, int srcOffset, int srcLd, float[] dst, int dstOffset, int dstLd,
                             int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(src, srcOffset + i * srcLd, dst, dstOffset + i * dstLd, cols);
        }
    }
}

// Exercised by: ./mvnw -B -ntp -q -pl engine -am verify   (SgemmBackendsTest)
