package dev.glassbox.tsne;

/**
 * The exact t-SNE gradient over all N² pairs, with dense P: O(N²) per iteration, the reference for the
 * approximations and the method scikit-learn calls {@code 'exact'}.
 *
 * <p>Two passes over the pairs: the first sums w_ij per row (the rows are added in a fixed order, so Z is the
 * same for any thread count), the second forms Σ_j (α p_ij − w_ij / Z) w_ij (y_i − y_j) for each i.
 */
final class ExactGradient implements Gradient {

    private final double[] p;        // [n, n] dense P (not modified)
    private final int n;
    private final int dims;
    private final Parallel parallel;

    ExactGradient(double[] p, int n, int dims, Parallel parallel) {
        this.p = p;
        this.n = n;
        this.dims = dims;
        this.parallel = parallel;
    }

    private double[] kernel;         // [n, n] w_ij of the current embedding, 2-D only (memory for speed)

    @Override
    public double compute(double[] y, double exaggeration, double[] gradient) {
        return dims == 2 ? compute2d(y, exaggeration, gradient) : computeAnyDims(y, exaggeration, gradient);
    }

    /** The 2-D case, unrolled: the first pass keeps every w_ij so the second only reads them. */
    private double compute2d(double[] y, double exaggeration, double[] gradient) {
        if (kernel == null) {
            kernel = new double[n * n];
        }
        double[] w = kernel;
        double z = parallel.sum(n, (from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                double yi0 = y[2 * i];
                double yi1 = y[2 * i + 1];
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    double d0 = yi0 - y[2 * j];
                    double d1 = yi1 - y[2 * j + 1];
                    w[row + j] = 1 / (1 + d0 * d0 + d1 * d1);
                }
                w[row + i] = 0;                    // no self-pair
                for (int j = 0; j < n; j++) {
                    s += w[row + j];
                }
            }
            return s;
        });
        double invZ = 1 / z;
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double yi0 = y[2 * i];
                double yi1 = y[2 * i + 1];
                int row = i * n;
                double f0 = 0;
                double f1 = 0;
                for (int j = 0; j < n; j++) {
                    double wij = w[row + j];
                    double mult = (exaggeration * p[row + j] - wij * invZ) * wij;
                    f0 += mult * (yi0 - y[2 * j]);
                    f1 += mult * (yi1 - y[2 * j + 1]);
                }
                gradient[2 * i] = f0;
                gradient[2 * i + 1] = f1;
            }
        });
        return z;
    }

    private double computeAnyDims(double[] y, double exaggeration, double[] gradient) {
        double z = parallel.sum(n, (from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        s += 1 / (1 + squaredDistance(y, i, j));
                    }
                }
            }
            return s;
        });
        double invZ = 1 / z;
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int d = 0; d < dims; d++) {
                    gradient[i * dims + d] = 0;
                }
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    double w = 1 / (1 + squaredDistance(y, i, j));
                    double mult = (exaggeration * p[i * n + j] - w * invZ) * w;
                    for (int d = 0; d < dims; d++) {
                        gradient[i * dims + d] += mult * (y[i * dims + d] - y[j * dims + d]);
                    }
                }
            }
        });
        return z;
    }

    @Override
    public double klDivergence(double[] y, double z) {
        double logZ = Math.log(z);
        return parallel.sum(n, (from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    double pij = p[i * n + j];
                    if (j != i && pij > 0) {
                        // log(p / q) = log p + log Z + log(1 + d²), since q = w / Z and w = 1 / (1 + d²)
                        s += pij * (Math.log(pij) + logZ + Math.log1p(squaredDistance(y, i, j)));
                    }
                }
            }
            return s;
        });
    }

    private double squaredDistance(double[] y, int i, int j) {
        return Attraction.squaredDistance(y, dims, i, j);
    }
}
