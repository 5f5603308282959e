package dev.glassbox.tsne;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Principal component analysis by the eigendecomposition of the covariance matrix (EJML).
 *
 * <p>With centred data X [n, d], the covariance C = XᵀX / (n − 1) is d×d; its eigenvectors with the largest
 * eigenvalues are the directions of largest variance. For t-SNE inputs d is at most a few hundred, so forming
 * C (O(n d²)) and decomposing it (O(d³)) is cheaper than an SVD of X. Each component's sign is fixed so its
 * largest-magnitude entry is positive: the same data always gives the same projection.
 */
public final class Pca {

    private final double[] mean;           // [d]
    private final double[][] components;   // [k][d], unit vectors, largest variance first
    private final double[] variances;      // [k], eigenvalues of C

    private Pca(double[] mean, double[][] components, double[] variances) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
    }

    /**
     * Fits the first {@code k} principal components.
     *
     * @param x rows of equal length (not modified)
     */
    public static Pca fit(float[][] x, int k, int threads) {
        TSne.validate(x);
        try (Parallel parallel = new Parallel(threads)) {
            return fit(TSne.flatten(x), x.length, x[0].length, k, parallel);
        }
    }

    static Pca fit(float[] data, int n, int d, int k, Parallel parallel) {
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("PCA components must be in [1, " + d + "] for " + d
                    + "-dimensional rows, got " + k);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        // Centred columns, so each covariance entry is one contiguous dot product.
        double[][] columns = new double[d][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                columns[j][i] = data[i * d + j] - mean[j];
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        double norm = 1.0 / Math.max(1, n - 1);
        parallel.forRange(d, (from, to) -> {
            for (int a = from; a < to; a++) {
                double[] ca = columns[a];
                int b = a;
                // Four columns at a time: four independent sums hide the add latency, and ca is read once.
                for (; b + 3 < d; b += 4) {
                    double[] c0 = columns[b];
                    double[] c1 = columns[b + 1];
                    double[] c2 = columns[b + 2];
                    double[] c3 = columns[b + 3];
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int i = 0; i < n; i++) {
                        double v = ca[i];
                        s0 += v * c0[i];
                        s1 += v * c1[i];
                        s2 += v * c2[i];
                        s3 += v * c3[i];
                    }
                    setSymmetric(cov, a, b, s0 * norm);
                    setSymmetric(cov, a, b + 1, s1 * norm);
                    setSymmetric(cov, a, b + 2, s2 * norm);
                    setSymmetric(cov, a, b + 3, s3 * norm);
                }
                for (; b < d; b++) {
                    double[] cb = columns[b];
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += ca[i] * cb[i];
                    }
                    setSymmetric(cov, a, b, s * norm);
                }
            }
        });
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException("EJML failed to decompose the " + d + "x" + d + " covariance matrix");
        }
        Integer[] byVariance = new Integer[d];
        for (int j = 0; j < d; j++) {
            byVariance[j] = j;
        }
        java.util.Arrays.sort(byVariance, (p, q) -> Double.compare(
                eig.getEigenvalue(q).getReal(), eig.getEigenvalue(p).getReal()));
        double[][] comps = new double[k][d];
        double[] vars = new double[k];
        for (int c = 0; c < k; c++) {
            DMatrixRMaj v = eig.getEigenVector(byVariance[c]);
            vars[c] = eig.getEigenvalue(byVariance[c]).getReal();
            int largest = 0;
            for (int j = 0; j < d; j++) {
                comps[c][j] = v.get(j);
                if (Math.abs(comps[c][j]) > Math.abs(comps[c][largest])) {
                    largest = j;
                }
            }
            double sign = comps[c][largest] < 0 ? -1 : 1;
            double len = 0;
            for (int j = 0; j < d; j++) {
                len += comps[c][j] * comps[c][j];
            }
            double scale = sign / Math.sqrt(len);
            for (int j = 0; j < d; j++) {
                comps[c][j] *= scale;
            }
        }
        return new Pca(mean, comps, vars);
    }

    private static void setSymmetric(DMatrixRMaj m, int a, int b, double v) {
        m.unsafe_set(a, b, v);
        m.unsafe_set(b, a, v);
    }

    /** The number of components kept. */
    public int components() {
        return components.length;
    }

    /** The variance along each kept component, largest first. */
    public double[] variances() {
        return variances.clone();
    }

    /** Projects rows onto the components: (x − mean) · componentsᵀ, [n, d] → [n, k]. */
    public float[][] transform(float[][] x) {
        TSne.validate(x);
        if (x[0].length != mean.length) {
            throw new IllegalArgumentException("PCA was fitted on " + mean.length + "-dimensional rows, got "
                    + x[0].length);
        }
        float[][] out = new float[x.length][components.length];
        for (int i = 0; i < x.length; i++) {
            double[] p = project(x[i]);
            for (int c = 0; c < p.length; c++) {
                out[i][c] = (float) p[c];
            }
        }
        return out;
    }

    /** Projects flat rows [n, d] to [n, k] in double precision. */
    double[] transform(float[] data, int n) {
        int d = mean.length;
        int k = components.length;
        double[] out = new double[n * k];
        float[] row = new float[d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, i * d, row, 0, d);
            System.arraycopy(project(row), 0, out, i * k, k);
        }
        return out;
    }

    private double[] project(float[] row) {
        double[] out = new double[components.length];
        for (int c = 0; c < components.length; c++) {
            double s = 0;
            for (int j = 0; j < mean.length; j++) {
                s += (row[j] - mean[j]) * components[c][j];
            }
            out[c] = s;
        }
        return out;
    }
}
