package dev.glassbox.tsne;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The k largest eigenvalues of a symmetric matrix and their eigenvectors, by the Lanczos method with full
 * reorthogonalisation: what PCA needs of a covariance or Gram matrix (50 of 1,000 eigenpairs, say), in a fraction
 * of the time of a full decomposition, which spends most of its time on the eigenvectors nobody asked for.
 *
 * <p><b>The method.</b> From a unit start vector q₀, Lanczos builds an orthonormal basis q₀, q₁, ... of the
 * Krylov space span{q₀, Aq₀, A²q₀, ...}, in which A is tridiagonal:
 * <pre>
 *   A qⱼ = βⱼ₋₁ qⱼ₋₁ + αⱼ qⱼ + βⱼ qⱼ₊₁,     αⱼ = qⱼ · A qⱼ,   βⱼ = ‖A qⱼ − αⱼ qⱼ − βⱼ₋₁ qⱼ₋₁‖
 * </pre>
 * After m steps, an eigenpair (θ, s) of the small m×m tridiagonal T (α on the diagonal, β beside it) gives the
 * Ritz pair (θ, Qs) of A, and its residual is known without touching A again: ‖A Qs − θ Qs‖ = βₘ₋₁·|sₘ₋₁|, the
 * last β times the last entry of s. The largest eigenvalues converge first, after far fewer steps than n when the
 * spectrum falls off, as a covariance's does. So: step, and every so often decompose T and stop when the k
 * largest Ritz pairs have residuals below {@value #TOLERANCE} of the largest eigenvalue (then each eigenvalue is
 * right to about the square of that, and each vector to that over its distance from the next eigenvalue).
 *
 * <p><b>Orthogonality.</b> In floating point the qⱼ lose their orthogonality just as Ritz pairs converge, and
 * copies of converged eigenvectors creep back into the basis. Each new vector is therefore orthogonalised against
 * every earlier one, twice ("twice is enough": one pass leaves errors of the size the first one removed times
 * the rounding, the second removes those), at O(n·m) a step against the O(n²) of the product A qⱼ.
 *
 * <p><b>Exhaustion.</b> When βⱼ vanishes, the Krylov space is an invariant subspace of A (the start vector lay in
 * a span of few eigenvectors; A has rank below m): Lanczos goes on from a fresh random vector orthogonal to the
 * basis, and T gets a zero beside the diagonal. With m = n steps T is A in another basis and the answer is exact.
 *
 * <p>Deterministic: the start vectors come from a fixed seed, and every product and sum is taken in a fixed order,
 * whatever the number of threads.
 */
final class TopEigen {
    /** Residual of every returned eigenpair, relative to the largest eigenvalue's magnitude. */
    static final double TOLERANCE = 1e-10;
    /** Below this size a full decomposition costs next to nothing: it is used instead. */
    static final int SMALL = 64;
    private static final long SEED = 0x5eed_1a2c_05L;

    private TopEigen() {}

    /**
     * The eigenvectors of the k largest eigenvalues of the symmetric matrix {@code a} (n × n, not modified) into
     * {@code vectors} (k unit vectors of length n); returns the eigenvalues, largest first.
     */
    static double[] of(double[][] a, int k, double[][] vectors, Parallel parallel) {
        int n = a.length;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("asked for " + k + " eigenpairs of a " + n + "x" + n + " matrix");
        }
        if (n <= SMALL || 2 * k + 20 >= n) {
            return full(a, k, vectors);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[][] q = new double[n][];                 // the basis; q[j] exists for j < steps
        double[] alpha = new double[n];
        double[] beta = new double[n];                  // beta[j] couples q[j] and q[j + 1]
        q[0] = startVector(random, q, 0, n);
        double[] w = new double[n];
        int check = Math.min(n, 2 * k + 20);
        for (int j = 0; j < n; j++) {
            double[] qj = q[j];
            multiply(a, qj, w, parallel);
            alpha[j] = dot(qj, w, n);
            for (int pass = 0; pass < 2; pass++) {      // w ⟂ q[0..j]: the three-term step and full reorthogonalisation
                for (int i = 0; i <= j; i++) {
                    addScaled(-dot(q[i], w, n), q[i], w, n);
                }
            }
            beta[j] = Math.sqrt(dot(w, w, n));
            int steps = j + 1;
            if (steps == check || steps == n) {
                Ritz ritz = Ritz.of(alpha, beta, steps, k);
                if (steps == n || ritz.converged(beta[j], TOLERANCE)) {
                    return ritz.vectors(q, n, vectors);
                }
                check = Math.min(n, steps + Math.max(10, steps / 4));
            }
            if (beta[j] <= 1e-13 * scale(alpha, beta, steps)) {
                beta[j] = 0;                           // an invariant subspace: go on from a fresh direction
                q[j + 1] = startVector(random, q, j + 1, n);
            } else {
                double[] next = new double[n];
                double inverse = 1 / beta[j];
                for (int i = 0; i < n; i++) {
                    next[i] = w[i] * inverse;
                }
                q[j + 1] = next;
            }
        }
        throw new AssertionError("Lanczos ends at n steps");
    }

    /** The eigenpairs of T (m × m) sorted by eigenvalue, largest first; the first k are the candidates. */
    private record Ritz(double[] values, double[][] s, int m, int k) {
        static Ritz of(double[] alpha, double[] beta, int m, int k) {
            DMatrixRMaj t = new DMatrixRMaj(m, m);
            for (int j = 0; j < m; j++) {
                t.set(j, j, alpha[j]);
                if (j + 1 < m) {
                    t.set(j, j + 1, beta[j]);
                    t.set(j + 1, j, beta[j]);
                }
            }
            double[][] vectors = new double[Math.min(k, m)][];
            double[] values = full(t, Math.min(k, m), vectors);
            return new Ritz(values, vectors, m, k);
        }

        /** True when each of the k Ritz pairs has residual βₘ₋₁·|s[m−1]| ≤ tolerance · |largest eigenvalue|. */
        boolean converged(double lastBeta, double tolerance) {
            if (s.length < k) {
                return false;
            }
            double bound = tolerance * Math.max(Math.abs(values[0]), Double.MIN_NORMAL);
            for (int c = 0; c < k; c++) {
                if (Math.abs(lastBeta * s[c][m - 1]) > bound) {
                    return false;
                }
            }
            return true;
        }

        /** The Ritz vectors Q s into {@code out}, each normalised; returns the k eigenvalues. */
        double[] vectors(double[][] q, int n, double[][] out) {
            for (int c = 0; c < k; c++) {
                double[] v = new double[n];
                for (int j = 0; j < m; j++) {
                    addScaled(s[c][j], q[j], v, n);
                }
                double scale = 1 / Math.sqrt(dot(v, v, n));
                for (int i = 0; i < n; i++) {
                    v[i] *= scale;
                }
                out[c] = v;
            }
            return Arrays.copyOf(values, k);
        }
    }

    /** A random unit vector orthogonal to q[0..count) (twice, as every Lanczos vector). */
    private static double[] startVector(SplittableRandom random, double[][] q, int count, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() - 0.5;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < count; i++) {
                addScaled(-dot(q[i], v, n), q[i], v, n);
            }
        }
        double scale = 1 / Math.sqrt(dot(v, v, n));
        for (int i = 0; i < n; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /** The size of T's entries so far: what "β vanished" is measured against. */
    private static double scale(double[] alpha, double[] beta, int steps) {
        double largest = 0;
        for (int j = 0; j < steps; j++) {
            largest = Math.max(largest, Math.abs(alpha[j]) + beta[j]);
        }
        return largest;
    }

    /** out = a x, a row per index, each row's dot product in one fixed order. */
    private static void multiply(double[][] a, double[] x, double[] out, Parallel parallel) {
        int n = x.length;
        parallel.forRange(a.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = dot(a[i], x, n);
            }
        });
    }

    private static double dot(double[] x, double[] y, int n) {
        if (Metrics.wideRows(n)) {
            return VectorWideRows.dot(x, y, n);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += x[i] * y[i];
        }
        return total;
    }

    /** y += c·x. */
    private static void addScaled(double c, double[] x, double[] y, int n) {
        if (Metrics.wideRows(n)) {
            VectorWideRows.addScaled(c, x, y, 0, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[i] += c * x[i];
        }
    }

    /** By a full decomposition (EJML): small matrices, and the reference the tests compare with. */
    static double[] full(double[][] a, int k, double[][] vectors) {
        int n = a.length;
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m.set(i, j, a[i][j]);
            }
        }
        return full(m, k, vectors);
    }

    /**
     * Eigenvectors of the k largest eigenvalues of a symmetric matrix (overwritten), into {@code vectors}; returns
     * the values.
     */
    private static double[] full(DMatrixRMaj symmetric, int k, double[][] vectors) {
        int size = symmetric.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(size, true, true);
        if (!eig.decompose(symmetric)) {
            throw new IllegalStateException("EJML failed to decompose the " + size + "x" + size + " matrix");
        }
        Integer[] byValue = new Integer[size];
        for (int j = 0; j < size; j++) {
            byValue[j] = j;
        }
        Arrays.sort(byValue, (p, r) -> Double.compare(
                eig.getEigenvalue(r).getReal(), eig.getEigenvalue(p).getReal()));
        double[] values = new double[k];
        for (int c = 0; c < k; c++) {
            DMatrixRMaj v = eig.getEigenVector(byValue[c]);
            values[c] = eig.getEigenvalue(byValue[c]).getReal();
            vectors[c] = new double[size];
            for (int j = 0; j < size; j++) {
                vectors[c][j] = v.get(j);
            }
        }
        return values;
    }
}
