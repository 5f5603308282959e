package dev.glassbox.tsne;

/**
 * The sparse half of the gradient, shared by Barnes-Hut and FFT: attraction along the non-zeros of P, and the
 * KL divergence, which only needs P's non-zeros and Z.
 */
final class Attraction {

    private Attraction() {
    }

    /**
     * Adds α Σ_j p_ij w_ij (y_i − y_j) to {@code gradient} for the rows {@code [from, to)}.
     *
     * @param gradient [n, dims] (modified: added to)
     */
    static void add(Affinities.Sparse p, double[] y, int dims, double exaggeration, double[] gradient,
                    int from, int to) {
        int[] start = p.rowStart();
        int[] cols = p.columns();
        double[] vals = p.values();
        if (dims == 2) {                  // the common case, unrolled
            for (int i = from; i < to; i++) {
                double yi0 = y[2 * i];
                double yi1 = y[2 * i + 1];
                // Two sums per coordinate, of the even and the odd non-zeros, added at the end: each edge's
                // division and products do not wait for the previous edge's addition (1.7 times as fast on
                // 6.3 million edges).
                double f0 = 0;
                double f1 = 0;
                double g0 = 0;
                double g1 = 0;
                int e = start[i];
                for (; e + 1 < start[i + 1]; e += 2) {
                    int j = cols[e];
                    int k = cols[e + 1];
                    double d0 = yi0 - y[2 * j];
                    double d1 = yi1 - y[2 * j + 1];
                    double c0 = yi0 - y[2 * k];
                    double c1 = yi1 - y[2 * k + 1];
                    double multJ = vals[e] / (1 + d0 * d0 + d1 * d1);
                    double multK = vals[e + 1] / (1 + c0 * c0 + c1 * c1);
                    f0 += multJ * d0;
                    f1 += multJ * d1;
                    g0 += multK * c0;
                    g1 += multK * c1;
                }
                if (e < start[i + 1]) {
                    int j = cols[e];
                    double d0 = yi0 - y[2 * j];
                    double d1 = yi1 - y[2 * j + 1];
                    double mult = vals[e] / (1 + d0 * d0 + d1 * d1);
                    f0 += mult * d0;
                    f1 += mult * d1;
                }
                gradient[2 * i] += exaggeration * (f0 + g0);
                gradient[2 * i + 1] += exaggeration * (f1 + g1);
            }
            return;
        }
        double[] f = new double[dims];
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(f, 0);
            for (int e = start[i]; e < start[i + 1]; e++) {
                int j = cols[e];
                double mult = vals[e] / (1 + squaredDistance(y, dims, i, j));
                for (int d = 0; d < dims; d++) {
                    f[d] += mult * (y[i * dims + d] - y[j * dims + d]);
                }
            }
            for (int d = 0; d < dims; d++) {
                gradient[i * dims + d] += exaggeration * f[d];
            }
        }
    }

    /** KL(P‖Q) = Σ p_ij ln(p_ij Z (1 + d_ij²)) over P's non-zeros (P sums to 1, so the pairs outside add 0). */
    static double klDivergence(Affinities.Sparse p, double[] y, int dims, double z, Parallel parallel) {
        int[] start = p.rowStart();
        int[] cols = p.columns();
        double[] vals = p.values();
        double logZ = Math.log(z);
        return parallel.sum(p.n(), (from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                for (int e = start[i]; e < start[i + 1]; e++) {
                    double d2 = squaredDistance(y, dims, i, cols[e]);
                    s += vals[e] * (Math.log(vals[e]) + logZ + Math.log1p(d2));
                }
            }
            return s;
        });
    }

    /** |y_i − y_j|² for rows of {@code dims} values in {@code y}. */
    static double squaredDistance(double[] y, int dims, int i, int j) {
        double s = 0;
        for (int d = 0; d < dims; d++) {
            double diff = y[i * dims + d] - y[j * dims + d];
            s += diff * diff;
        }
        return s;
    }
}
