package dev.glassbox.tsne;

import java.util.Arrays;

/**
 * Quality measures for any embedding, whatever produced it.
 *
 * <ul>
 *   <li>{@link #klDivergence}: the t-SNE objective KL(P‖Q) against the exact, dense P — comparable across
 *       methods, since the approximate methods only ever see a sparse P.</li>
 *   <li>{@link #trustworthiness}: are the embedding's k nearest neighbours true neighbours in the input?
 *       (Venna and Kaski 2001; scikit-learn's definition.)</li>
 *   <li>{@link #knnAccuracy}: how often the majority label of a point's k embedding neighbours is its own.</li>
 * </ul>
 * All are O(N²) in time and O(N) in memory (rows of distances are computed as needed), parallel and
 * deterministic.
 */
public final class Metrics {

    /** Whether rows of {@code length} values take {@link VectorWideRows}' loops. */
    static boolean wideRows(int length) {
        return VectorModule.PRESENT && length >= VectorWideRows.MIN_LENGTH && VectorWideRows.fits();
    }


    private Metrics() {
    }

    /**
     * KL(P‖Q) with P the dense joint affinities of scikit-learn's exact method, both P and Q floored at
     * {@link Affinities#DENSE_FLOOR} as there.
     *
     * @param x input rows [n, d] (not modified)
     * @param y embedding rows [n, dims] (not modified)
     */
    public static double klDivergence(float[][] x, float[][] y, double perplexity, int threads) {
        TSne.validate(x);
        TSne.validate(y);
        requireSameRows(x, y);
        int n = x.length;
        int d = x[0].length;
        int dims = y[0].length;
        float[] data = TSne.flatten(x);
        float[] emb = TSne.flatten(y);
        if (perplexity >= n) {
            throw new IllegalArgumentException("perplexity " + perplexity + " must be below the number of points "
                    + n);
        }
        try (Parallel parallel = new Parallel(threads)) {
            // 1. Each row's bandwidth: keep β_i, the shift and the normaliser so p_{j|i} can be recomputed.
            double[] beta = new double[n];
            double[] shift = new double[n];
            double[] norm = new double[n];
            parallel.forRange(n, (from, to) -> {
                double[] row = new double[n - 1];
                double[] cond = new double[n - 1];
                for (int i = from; i < to; i++) {
                    double min = Double.POSITIVE_INFINITY;
                    for (int j = 0, m = 0; j < n; j++) {
                        if (j != i) {
                            row[m] = VpTree.squaredDistance(data, d, i, j);
                            min = Math.min(min, row[m++]);
                        }
                    }
                    beta[i] = Affinities.calibrate(row, n - 1, perplexity, cond, 0);
                    shift[i] = min;
                    double s = 0;
                    for (int m = 0; m < n - 1; m++) {
                        s += Math.exp(-beta[i] * (row[m] - min));
                    }
                    norm[i] = s;
                }
            });
            // 2. Z = Σ_{i≠j} 1 / (1 + |y_i − y_j|²).
            double z = parallel.sum(n, (from, to) -> {
                double s = 0;
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < n; j++) {
                        if (j != i) {
                            s += 1 / (1 + VpTree.squaredDistance(emb, dims, i, j));
                        }
                    }
                }
                return s;
            });
            // 3. Σ p_ij ln(p_ij / q_ij), p_ij = (p_{j|i} + p_{i|j}) / 2N.
            double floor = Affinities.DENSE_FLOOR;
            return parallel.sum(n, (from, to) -> {
                double s = 0;
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < n; j++) {
                        if (j == i) {
                            continue;
                        }
                        double dist = VpTree.squaredDistance(data, d, i, j);
                        double pji = Math.exp(-beta[i] * (dist - shift[i])) / norm[i];
                        double pij = Math.exp(-beta[j] * (dist - shift[j])) / norm[j];
                        double p = Math.max((pji + pij) / (2.0 * n), floor);
                        double q = Math.max(1 / (1 + VpTree.squaredDistance(emb, dims, i, j)) / z, floor);
                        s += p * Math.log(p / q);
                    }
                }
                return s;
            });
        }
    }

    /**
     * Trustworthiness T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ U_i} (r(i, j) − k), where U_i are the
     * embedding's k nearest neighbours of i that are not among its k nearest in the input and r(i, j) is j's
     * rank among i's input neighbours (1 = nearest). 1 means every embedding neighbour is a true neighbour.
     * Ties in distance are ranked by point index.
     *
     * @param x input rows [n, d] (not modified)
     * @param y embedding rows [n, dims] (not modified)
     */
    public static double trustworthiness(float[][] x, float[][] y, int k, int threads) {
        TSne.validate(x);
        TSne.validate(y);
        requireSameRows(x, y);
        int n = x.length;
        if (k < 1 || k >= n / 2.0) {
            throw new IllegalArgumentException("trustworthiness needs 1 <= k < n/2, got k=" + k + " for n=" + n);
        }
        int d = x[0].length;
        int dims = y[0].length;
        float[] data = TSne.flatten(x);
        float[] emb = TSne.flatten(y);
        boolean wide = wideRows(d);
        double penalty;
        try (Parallel parallel = new Parallel(threads)) {
            penalty = parallel.sum(n, (from, to) -> {
                double s = 0;
                int[] neighbours = new int[k];
                double[] unused = new double[k];
                double[][] rows = new double[4][n];
                for (int i = from; i < to; i++) {
                    int q = (i - from) % 4;                // rows of four points, each read once for the four
                    if (q == 0) {
                        if (wide && i + 4 <= to) {
                            for (int j = 0; j < n; j++) {
                                VectorWideRows.squaredDistancesFour(data, d, i, j, rows, j);
                            }
                        } else {
                            for (int p = 0; p < Math.min(4, to - i); p++) {
                                for (int j = 0; j < n; j++) {
                                    rows[p][j] = wide ? VectorWideRows.squaredDistance(data, d, i + p, j)
                                            : VpTree.squaredDistance(data, d, i + p, j);
                                }
                            }
                        }
                    }
                    double[] row = rows[q];
                    VpTree.bruteForce(emb, n, dims, i, k, neighbours, unused, 0);
                    for (int j : neighbours) {
                        int rank = 1;
                        double dj = row[j];
                        for (int l = 0; l < n; l++) {
                            if (l != i && (row[l] < dj || (row[l] == dj && l < j))) {
                                rank++;
                            }
                        }
                        s += Math.max(0, rank - k);
                    }
                }
                return s;
            });
        }
        return 1 - 2.0 / ((double) n * k * (2.0 * n - 3.0 * k - 1)) * penalty;
    }

    /**
     * Leave-one-out k-nearest-neighbour accuracy in the embedding: the fraction of points whose label is the
     * most common among their k nearest other points. A tie goes to the label whose nearest member is closest.
     *
     * @param y      embedding rows [n, dims] (not modified)
     * @param labels class of each row, non-negative (not modified)
     */
    public static double knnAccuracy(float[][] y, int[] labels, int k, int threads) {
        TSne.validate(y);
        int n = y.length;
        if (labels == null || labels.length != n) {
            throw new IllegalArgumentException("need one label per row: " + n + " rows, got "
                    + (labels == null ? "null" : labels.length + " labels"));
        }
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k must be in [1, n-1] = [1, " + (n - 1) + "], got " + k);
        }
        for (int r = 0; r < n; r++) {
            if (labels[r] < 0) {
                throw new IllegalArgumentException("labels must be non-negative, got " + labels[r] + " at row " + r);
            }
        }
        int[] classOf = classIndices(labels);
        int numClasses = Arrays.stream(classOf).max().getAsInt() + 1;
        int dims = y[0].length;
        float[] emb = TSne.flatten(y);
        double correct;
        try (Parallel parallel = new Parallel(threads)) {
            correct = parallel.sum(n, (from, to) -> {
                int[] neighbours = new int[k];
                double[] unused = new double[k];
                int[] votes = new int[numClasses];
                double s = 0;
                for (int i = from; i < to; i++) {
                    VpTree.bruteForce(emb, n, dims, i, k, neighbours, unused, 0);
                    int best = classOf[neighbours[0]];
                    for (int j : neighbours) {
                        votes[classOf[j]]++;
                    }
                    for (int j : neighbours) {           // nearest first: the first label to reach the max wins
                        if (votes[classOf[j]] > votes[best]) {
                            best = classOf[j];
                        }
                    }
                    if (best == classOf[i]) {
                        s++;
                    }
                    for (int j : neighbours) {           // clear only what this point counted
                        votes[classOf[j]] = 0;
                    }
                }
                return s;
            });
        }
        return correct / n;
    }

    /**
     * The labels renumbered 0, 1, ... in increasing order of value: the same classes, but at most n of them
     * whatever the values, so the vote counters stay small (labels such as 7 and 1,000,000,000 need two, not a
     * billion).
     */
    private static int[] classIndices(int[] labels) {
        int[] distinct = Arrays.stream(labels).sorted().distinct().toArray();
        int[] classOf = new int[labels.length];
        for (int r = 0; r < labels.length; r++) {
            classOf[r] = Arrays.binarySearch(distinct, labels[r]);
        }
        return classOf;
    }

    private static void requireSameRows(float[][] x, float[][] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("input has " + x.length + " rows but the embedding has " + y.length);
        }
    }
}
