package dev.glassbox.tsne;

/**
 * The sparse half of the gradient, shared by Barnes-Hut and FFT: attraction along the non-zeros of P, and the
 * KL divergence, which only needs P's non-zeros and Z.
 */
final class Attraction {
    /** Fewer non-zeros than this take the scalar loop: compiling the vector one would cost more than it saves. */
    static final int VECTOR_FROM = 500_000;

    private final Affinities.Sparse p;
    private final int dims;
    private final int[] twiceColumns;      // 2j for every column j: the vector path's gather offsets (2-D), or null

    Attraction(Affinities.Sparse p, int dims) {
        this(p, dims, VectorModule.PRESENT && p.nonZeros() >= VECTOR_FROM);
    }

    /** With {@code vector} false, the scalar loop even where the Vector API is present (tests compare both). */
    Attraction(Affinities.Sparse p, int dims, boolean vector) {
        this.p = p;
        this.dims = dims;
        if (vector && dims == 2) {
            twiceColumns = new int[p.nonZeros()];
            for (int e = 0; e < twiceColumns.length; e++) {
                twiceColumns[e] = 2 * p.columns()[e];
            }
        } else {
            twiceColumns = null;
        }
    }

    /**
     * Adds α Σ_j p_ij w_ij (y_i − y_j) to {@code gradient} for the rows {@code [from, to)}.
     *
     * <p>In 2-D with the Vector API, {@link VectorAttraction}: a vector of edges at a time, y_j gathered by index
     * (on Fashion-MNIST's 70,000 points, 9 million edges, 1.5 times as fast as the scalar loop). It adds in
     * another order than the scalar loop, so the two differ by rounding; each is deterministic.
     *
     * @param gradient [n, dims] (modified: added to)
     */
    void add(double[] y, double exaggeration, double[] gradient, int from, int to) {
        if (twiceColumns != null) {
            VectorAttraction.add(p.rowStart(), twiceColumns, p.values(), y, exaggeration, gradient, from, to);
            return;
        }
        int[] start = p.rowStart();
        int[] cols = p.columns();
        double[] vals = p.values();
        if (dims == 2) {                  // the common case, unrolled
            for (int i = from; i < to; i++) {
                double yi0 = y[2 * i];
                double yi1 = y[2 * i + 1];
                // Four sums per coordinate, of the non-zeros m with m mod 4 = 0, 1, 2, 3, added pairwise at the
                // end: each edge's division and products do not wait for the previous edge's addition (two sums
                // were 1.7 times as fast as one on 6.3 million edges; four, with the points in k-d order, about
                // 1.15 times two on 9 million). A vector version that first gathered the differences into a
                // buffer and then did eight divisions at once was slower than this loop: the gather pass cost
                // more than the divisions saved. (VectorAttraction gathers y_j straight into vectors instead.)
                double f0 = 0;
                double f1 = 0;
                double g0 = 0;
                double g1 = 0;
                double h0 = 0;
                double h1 = 0;
                double k0 = 0;
                double k1 = 0;
                int e = start[i];
                int end = start[i + 1];
                for (; e + 3 < end; e += 4) {
                    int j = cols[e];
                    int k = cols[e + 1];
                    int l = cols[e + 2];
                    int m = cols[e + 3];
                    double a0 = yi0 - y[2 * j];
                    double a1 = yi1 - y[2 * j + 1];
                    double b0 = yi0 - y[2 * k];
                    double b1 = yi1 - y[2 * k + 1];
                    double c0 = yi0 - y[2 * l];
                    double c1 = yi1 - y[2 * l + 1];
                    double d0 = yi0 - y[2 * m];
                    double d1 = yi1 - y[2 * m + 1];
                    double multJ = vals[e] / (1 + a0 * a0 + a1 * a1);
                    double multK = vals[e + 1] / (1 + b0 * b0 + b1 * b1);
                    double multL = vals[e + 2] / (1 + c0 * c0 + c1 * c1);
                    double multM = vals[e + 3] / (1 + d0 * d0 + d1 * d1);
                    f0 += multJ * a0;
                    f1 += multJ * a1;
                    g0 += multK * b0;
                    g1 += multK * b1;
                    h0 += multL * c0;
                    h1 += multL * c1;
                    k0 += multM * d0;
                    k1 += multM * d1;
                }
                for (; e < end; e++) {
                    int j = cols[e];
                    double a0 = yi0 - y[2 * j];
                    double a1 = yi1 - y[2 * j + 1];
                    double mult = vals[e] / (1 + a0 * a0 + a1 * a1);
                    f0 += mult * a0;
                    f1 += mult * a1;
                }
                gradient[2 * i] += exaggeration * ((f0 + g0) + (h0 + k0));
                gradient[2 * i + 1] += exaggeration * ((f1 + g1) + (h1 + k1));
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
    double klDivergence(double[] y, double z, Parallel parallel) {
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
