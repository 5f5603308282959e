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
 * All are O(N²) in time and O(N) in memory (rows of distances are computed as needed; the KL keeps all N² input
 * distances up to {@link #KEPT_DISTANCES} of them, 32 MB), parallel and deterministic.
 */
public final class Metrics {

    /** Whether rows of {@code length} values take {@link VectorWideRows}' loops. */
    static boolean wideRows(int length) {
        return VectorModule.PRESENT && length >= VectorWideRows.MIN_LENGTH && VectorWideRows.fits();
    }


    private Metrics() {
    }

    /** Most input distances {@link #klDivergence} keeps between its two passes (32 MB: up to 2,048 points). */
    static final long KEPT_DISTANCES = 1L << 22;

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
            // the input distances, kept for step 3 when they fit: computing them is most of this metric's time
            // (the distance is symmetric to the bit: it squares float differences, and b − a is exactly −(a − b);
            // so each pair is computed once, by the row of its smaller index, and written to both places)
            double[] distances = (long) n * n <= KEPT_DISTANCES ? new double[n * n] : null;
            if (distances != null) {
                parallel.forRange(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        for (int j = i + 1; j < n; j++) {
                            double dist = VpTree.squaredDistance(data, d, i, j);
                            distances[i * n + j] = dist;
                            distances[j * n + i] = dist;
                        }
                    }
                });
            }
            parallel.forRange(n, (from, to) -> {
                double[] row = new double[n - 1];
                double[] cond = new double[n - 1];
                for (int i = from; i < to; i++) {
                    double min = Double.POSITIVE_INFINITY;
                    for (int j = 0, m = 0; j < n; j++) {
                        if (j != i) {
                            row[m] = distances != null ? distances[i * n + j] : VpTree.squaredDistance(data, d, i, j);
                            min = Math.min(min, row[m++]);
                        }
                    }
                    beta[i] = VectorModule.PRESENT
                            ? Affinities.calibrate(row, n - 1, perplexity, cond, 0, VectorExp::weigh)
                            : Affinities.calibrate(row, n - 1, perplexity, cond, 0);
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
                        double dist = distances != null ? distances[i * n + j]
                                : VpTree.squaredDistance(data, d, i, j);
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
        double penalty;
        try (Parallel parallel = new Parallel(threads)) {
            penalty = d >= DISTANCES_FROM_DOTS && VectorModule.PRESENT && VectorWideRows.fits()
                    ? penaltyFromDots(data, n, d, emb, dims, k, parallel) : parallel.sum(n, (from, to) -> {
                double s = 0;
                int[] neighbours = new int[k];
                double[] unused = new double[k];
                double[] row = new double[n];
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < n; j++) {
                        row[j] = VpTree.squaredDistance(data, d, i, j);
                    }
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

    /** Rows whose distances to every row {@link #penaltyFromDots} takes from one pass of dot products. */
    static final int DISTANCE_BLOCK = 64;

    /**
     * Rows of at least this many values take {@link #penaltyFromDots} (with the Vector API). Measured on 1,000
     * rows, two threads, against the direct loop: 50 values 0.065 → 0.058 s, 100 values 0.099 → 0.059 s, 500 values
     * (below {@link VectorWideRows#MIN_LENGTH}, the scalar distance) 0.42 → 0.068 s; 16 and 32 values no faster.
     */
    static final int DISTANCES_FROM_DOTS = 48;

    /**
     * Trustworthiness' Σ (r(i, j) − k)⁺, the same sum as the direct loop in {@link #trustworthiness} gives, in a
     * fraction of its time. That loop computes every squared distance Σ (x_i − x_l)² from the rows (each difference
     * taken in float, {@link VectorWideRows#squaredDistance} for wide rows, else {@link VpTree#squaredDistance}): for
     * 1,000 rows of 11,520 values, 1,000² passes over pairs of rows that do not fit the cache, a second or so on two
     * threads. Here each block of {@value #DISTANCE_BLOCK} rows gets its dot products with all rows in one
     * cache-friendly pass ({@link VectorWideRows#dotRows}; a pair in two blocks is multiplied in both, which costs
     * less than keeping N² of them), and a distance is first estimated as |x_i|² + |x_l|² − 2 x_i·x_l.
     *
     * <p>The estimate decides a comparison only when it cannot be wrong. Its error, and the error of the direct
     * loop's own distance, are each below a small multiple of the unit roundoff times |x_i|² + |x_l|² (a sum of d
     * terms in double errs by at most d·2⁻⁵³ of the sum of their magnitudes; the float difference squared errs by
     * at most 2⁻²³ of it, and the squared distance is at most 2(|x_i|² + |x_l|²)): below
     * e_il = (10⁻⁶ + 10⁻¹⁵·d)(|x_i|² + |x_l|²), a bound with room to spare. So when l's interval
     * [est − e, est + e] lies wholly below or above j's, the direct loop orders them the same way; when the two
     * overlap (near ties: a few comparisons in a million on real layers, every one where rows repeat), both
     * distances are computed as the direct loop does, and compared as it compares them. The ranks, and so the
     * result, are the direct loop's to the last bit.
     */
    private static double penaltyFromDots(float[] data, int n, int d, float[] emb, int dims, int k, Parallel parallel) {
        double[] norms = new double[n];
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double s = 0;
                for (int c = i * d; c < (i + 1) * d; c++) {
                    s += (double) data[c] * data[c];
                }
                norms[i] = s;
            }
        });
        double relative = 1e-6 + 1e-15 * d;
        return parallel.sumByBlocks(n, DISTANCE_BLOCK, (from, to) -> {
            int chunk = Math.min(d, VectorWideRows.DOT_CHUNK);
            double[][] block = new double[(DISTANCE_BLOCK + 3) / 4 * 4][chunk];
            double[][] four = new double[4][chunk];
            double[] dots = new double[DISTANCE_BLOCK * n];
            double[] estimate = new double[n];
            double[] margin = new double[n];
            double[] exact = new double[n];
            int[] exactFor = new int[n];                  // i + 1 where exact[l] holds row i's distance to l
            int[] neighbours = new int[k];
            double[] unused = new double[k];
            double s = 0;
            for (int i0 = from; i0 < to; i0 += DISTANCE_BLOCK) {
                int count = Math.min(DISTANCE_BLOCK, to - i0);
                VectorWideRows.dotRows(data, d, n, i0, count, block, four, dots);
                for (int r = 0; r < count; r++) {
                    int i = i0 + r;
                    for (int l = 0; l < n; l++) {
                        estimate[l] = norms[i] + norms[l] - 2 * dots[r * n + l];
                        margin[l] = relative * (norms[i] + norms[l]);
                    }
                    VpTree.bruteForce(emb, n, dims, i, k, neighbours, unused, 0);
                    for (int j : neighbours) {
                        double low = estimate[j] - margin[j];
                        double high = estimate[j] + margin[j];
                        int rank = 1;
                        for (int l = 0; l < n; l++) {
                            if (l == i || l == j || estimate[l] - margin[l] > high) {
                                continue;                               // not ranked before j, or surely farther
                            }
                            if (estimate[l] + margin[l] < low) {
                                rank++;                                 // surely nearer
                            } else {                                    // too close to tell: as the direct loop
                                double dl = exactDistance(data, d, i, l, exact, exactFor);
                                double dj = exactDistance(data, d, i, j, exact, exactFor);
                                if (dl < dj || (dl == dj && l < j)) {
                                    rank++;
                                }
                            }
                        }
                        s += Math.max(0, rank - k);
                    }
                }
            }
            return s;
        });
    }

    /** Row i's squared distance to row l as the direct loop computes it, remembered for row i. */
    private static double exactDistance(float[] data, int d, int i, int l, double[] exact, int[] exactFor) {
        if (exactFor[l] != i + 1) {
            exact[l] = wideRows(d) ? VectorWideRows.squaredDistance(data, d, i, l)
                    : VpTree.squaredDistance(data, d, i, l);
            exactFor[l] = i + 1;
        }
        return exact[l];
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
