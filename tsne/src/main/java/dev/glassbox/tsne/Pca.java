package dev.glassbox.tsne;

/**
 * Principal component analysis by the eigendecomposition of the covariance matrix.
 *
 * <p>With centred data X [n, d], the covariance C = XᵀX / (n − 1) is d×d; its eigenvectors with the largest
 * eigenvalues are the directions of largest variance. When d ≤ n (PCA-reduced t-SNE inputs), forming C (O(n d²))
 * and finding its k leading eigenvectors is cheaper than an SVD of X. When d > n (a conv layer's 11,520 features
 * for 1,000 digits) the n×n Gram matrix G = XXᵀ / (n − 1) has the same non-zero eigenvalues, and an eigenvector u
 * of G gives the component Xᵀu: O(n² d) and an n×n eigenproblem instead of a d×d one. Only the k leading
 * eigenpairs are computed ({@link TopEigen}, Lanczos), not all of them. Each component's sign is fixed so its
 * largest-magnitude entry is positive: the same data always gives the same projection.
 */
public final class Pca {

    /** Columns per block when the components are summed from wide rows: k blocks of 8 KB stay in L2. */
    private static final int COMPONENT_BLOCK = 1024;

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
        if (d > n) {
            return fitByGram(data, n, d, k, mean, parallel);
        }
        // Centred columns, so each covariance entry is one contiguous dot product.
        double[][] columns = new double[d][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                columns[j][i] = data[i * d + j] - mean[j];
            }
        }
        double[][] cov = gram(columns, n, n, parallel);
        double[][] eigen = new double[k][];
        double[] vars = TopEigen.of(cov, k, eigen, parallel);
        for (double[] component : eigen) {
            normaliseWithSign(component);
        }
        return new Pca(mean, eigen, vars);
    }

    /** The components from the n×n Gram matrix of the centred rows (for d > n). */
    private static Pca fitByGram(float[] data, int n, int d, int k, double[] mean, Parallel parallel) {
        if (k > n) {
            throw new IllegalArgumentException("PCA of " + n + " rows has at most " + n + " components, asked for "
                    + k);
        }
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                rows[i][j] = data[i * d + j] - mean[j];
            }
        }
        double[][] g = gram(rows, d, n, parallel);
        double[][] u = new double[k][];
        double[] vars = TopEigen.of(g, k, u, parallel);
        double[][] comps = new double[k][d];
        if (Metrics.wideRows(d)) {
            // Column by column block: a block of every component stays in cache while the rows stream past once
            // (component by component, the 46 MB of rows would pass k times). Each entry still adds i in order.
            int blocks = (d + COMPONENT_BLOCK - 1) / COMPONENT_BLOCK;
            parallel.forRange(blocks, (from, to) -> {
                for (int block = from; block < to; block++) {
                    int j0 = block * COMPONENT_BLOCK;
                    int length = Math.min(COMPONENT_BLOCK, d - j0);
                    for (int i = 0; i < n; i++) {
                        for (int c = 0; c < k; c++) {
                            VectorWideRows.addScaled(u[c][i], rows[i], comps[c], j0, length);
                        }
                    }
                }
            });
        } else {
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < n; i++) {
                    double w = u[c][i];
                    double[] r = rows[i];
                    for (int j = 0; j < d; j++) {
                        comps[c][j] += w * r[j];
                    }
                }
            }
        }
        for (double[] component : comps) {
            normaliseWithSign(component);
        }
        return new Pca(mean, comps, vars);
    }

    /**
     * The symmetric matrix of dot products of the vectors (each of length {@code length}) divided by
     * samples − 1: the covariance when the vectors are centred columns, the Gram matrix when they are rows.
     */
    private static double[][] gram(double[][] vectors, int length, int samples, Parallel parallel) {
        int m = vectors.length;
        int n = length;
        double[][] out = new double[m][m];
        double norm = 1.0 / Math.max(1, samples - 1);
        if (Metrics.wideRows(n)) {
            gramByTiles(vectors, n, norm, out, parallel);
            return out;
        }
        parallel.forRange(m, (from, to) -> {
            for (int a = from; a < to; a++) {
                double[] ca = vectors[a];
                int b = a;
                // Four vectors at a time: four independent sums hide the add latency, and ca is read once.
                for (; b + 3 < m; b += 4) {
                    double[] c0 = vectors[b];
                    double[] c1 = vectors[b + 1];
                    double[] c2 = vectors[b + 2];
                    double[] c3 = vectors[b + 3];
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int i = 0; i < n; i++) {
                        double v = ca[i];
                        s0 += v * c0[i];
                        s1 += v * c1[i];
                        s2 += v * c2[i];
                        s3 += v * c3[i];
                    }
                    setSymmetric(out, a, b, s0 * norm);
                    setSymmetric(out, a, b + 1, s1 * norm);
                    setSymmetric(out, a, b + 2, s2 * norm);
                    setSymmetric(out, a, b + 3, s3 * norm);
                }
                for (; b < m; b++) {
                    double[] cb = vectors[b];
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += ca[i] * cb[i];
                    }
                    setSymmetric(out, a, b, s * norm);
                }
            }
        });
        return out;
    }

    /**
     * {@link #gram} for long vectors, with {@link VectorWideRows}: four rows against four at a time (the upper
     * triangle, and the diagonal tiles whole), the few rows and columns left over one by one. Threads take blocks
     * of four rows; every entry is computed by one call whatever the thread count.
     */
    private static void gramByTiles(double[][] vectors, int n, double norm, double[][] out, Parallel parallel) {
        int m = vectors.length;
        int blocks = (m + 3) / 4;
        parallel.forRange(blocks, (from, to) -> {
            double[] tile = new double[16];
            for (int block = from; block < to; block++) {
                int a0 = 4 * block;
                int b = a0;
                if (a0 + 4 <= m) {
                    for (; b + 4 <= m; b += 4) {
                        VectorWideRows.dotTile(vectors, a0, b, n, tile);
                        for (int q = 0; q < 16; q++) {
                            setSymmetric(out, a0 + q / 4, b + q % 4, tile[q] * norm);
                        }
                    }
                }
                for (int a = a0; a < Math.min(m, a0 + 4); a++) {
                    for (int c = Math.max(a, b); c < m; c++) {
                        setSymmetric(out, a, c, VectorWideRows.dot(vectors[a], vectors[c], n) * norm);
                    }
                }
            }
        });
    }

    /** Scales to unit length with the largest-magnitude entry positive (a deterministic sign). */
    private static void normaliseWithSign(double[] component) {
        int largest = 0;
        double len = 0;
        for (int j = 0; j < component.length; j++) {
            len += component[j] * component[j];
            if (Math.abs(component[j]) > Math.abs(component[largest])) {
                largest = j;
            }
        }
        double scale = (component[largest] < 0 ? -1 : 1) / Math.sqrt(len);
        for (int j = 0; j < component.length; j++) {
            component[j] *= scale;
        }
    }

    private static void setSymmetric(double[][] m, int a, int b, double v) {
        m[a][b] = v;
        m[b][a] = v;
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
        if (Metrics.wideRows(mean.length)) {
            double[] centred = new double[mean.length];
            for (int j = 0; j < centred.length; j++) {
                centred[j] = row[j] - mean[j];
            }
            for (int c = 0; c < components.length; c++) {
                out[c] = VectorWideRows.dot(centred, components[c], centred.length);
            }
            return out;
        }
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
