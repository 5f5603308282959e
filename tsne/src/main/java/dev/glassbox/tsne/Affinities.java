package dev.glassbox.tsne;

import java.util.Arrays;

/**
 * The input affinities P of t-SNE: Gaussian similarities whose bandwidth is tuned per point to a perplexity.
 *
 * <p>For point i with squared distances d_ij, the conditional p_{j|i} = exp(−β_i d_ij) / Σ_k exp(−β_i d_ik).
 * β_i is found by bisection so that the entropy H_i = −Σ_j p_{j|i} ln p_{j|i} equals ln(perplexity), to within
 * {@link #ENTROPY_TOLERANCE}: the distribution then "sees" about perplexity neighbours, whatever the local
 * density. The joint P is the symmetrised p_ij = (p_{j|i} + p_{i|j}) / 2N, which sums to 1.
 *
 * <p>The sparse form (for Barnes-Hut and FFT) looks only at the K = 3·perplexity nearest neighbours, found exactly by a
 * {@link VpTree} (low-dimensional input) or by a blocked brute force, {@link BlockedKnn} (small N, or many dimensions,
 * where the tree prunes little): beyond them p_{j|i} is negligible. The dense form (for the exact method) uses all N−1
 * others, as scikit-learn does, and floors P at {@link #DENSE_FLOOR} so that log P stays finite.
 */
public final class Affinities {

    /** Bisection stops when |H − ln(perplexity)| is below this (in nats). */
    public static final double ENTROPY_TOLERANCE = 1e-5;
    /** Bisection gives up after this many steps and keeps its best β. */
    public static final int MAX_BISECTION_STEPS = 200;
    /** Smallest dense P entry: scikit-learn's MACHINE_EPSILON (the double machine epsilon). */
    public static final double DENSE_FLOOR = Math.ulp(1.0);
    /** Below this many points the kNN are found by brute force: the tree does not pay for itself. */
    static final int BRUTE_FORCE_LIMIT = 2000;
    /**
     * Above this many input dimensions the kNN are found by {@link BlockedKnn}: distances concentrate and the
     * VP-tree prunes little. Measured on the MNIST-10k reference (50 PCA dimensions, K = 90), one thread, when
     * the brute force was a plain loop with partial distance elimination: the tree took 10 s, it 6 s (the
     * blocked search is several times faster still).
     */
    static final int TREE_MAX_DIMENSIONS = 16;

    private Affinities() {
    }

    /**
     * A sparse square matrix in compressed-row form: row i holds the columns
     * {@code columns[rowStart[i] .. rowStart[i+1])}, ascending, with their {@code values}.
     */
    public record Sparse(int n, int[] rowStart, int[] columns, double[] values) {
        /** The number of stored entries. */
        public int nonZeros() {
            return rowStart[n];
        }

        /**
         * The same matrix with the points renumbered: row and column r of the result are row and column
         * {@code order[r]} of this one ({@code order} a permutation of 0 … n−1); columns ascending again.
         */
        public Sparse relabelled(int[] order) {
            if (order.length != n) {
                throw new IllegalArgumentException("order has " + order.length + " entries for " + n + " points");
            }
            int[] rank = new int[n];
            java.util.Arrays.fill(rank, -1);
            for (int r = 0; r < n; r++) {
                if (order[r] < 0 || order[r] >= n || rank[order[r]] >= 0) {
                    throw new IllegalArgumentException("order is not a permutation of 0.." + (n - 1) + ": entry " + r
                            + " is " + order[r]);
                }
                rank[order[r]] = r;
            }
            int[] newStart = new int[n + 1];
            for (int r = 0; r < n; r++) {
                newStart[r + 1] = newStart[r] + rowStart[order[r] + 1] - rowStart[order[r]];
            }
            int[] newColumns = new int[nonZeros()];
            double[] newValues = new double[nonZeros()];
            for (int r = 0; r < n; r++) {
                int at = newStart[r];
                for (int e = rowStart[order[r]]; e < rowStart[order[r] + 1]; e++, at++) {
                    newColumns[at] = rank[columns[e]];
                    newValues[at] = values[e];
                }
                sortByColumn(newColumns, newValues, newStart[r], newStart[r + 1]);
            }
            return new Sparse(n, newStart, newColumns, newValues);
        }
    }

    /** The number of neighbours used for a perplexity: K = ⌊3·perplexity⌋. */
    public static int neighbourCount(double perplexity) {
        return (int) Math.floor(3 * perplexity);
    }

    /** Throws if there are too few points for the perplexity: K = ⌊3·perplexity⌋ neighbours must exist. */
    public static void requireEnoughPoints(int n, double perplexity) {
        int needed = neighbourCount(perplexity) + 1;
        if (n < needed) {
            throw new IllegalArgumentException("perplexity " + formatNumber(perplexity) + " needs at least " + needed
                    + " points, got " + n + "; lower the perplexity to at most " + formatNumber((n - 1) / 3.0));
        }
    }

    /** Throws unless the dense form can reach {@code perplexity} with {@code n} points (at least 2, more than it). */
    public static void requireEnoughPointsDense(int n, double perplexity) {
        if (n < 2 || perplexity >= n) {
            throw new IllegalArgumentException("perplexity " + formatNumber(perplexity) + " must be below the number"
                    + " of points for the exact method, got " + n + " points");
        }
    }

    private static String formatNumber(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.3g", v);
    }

    /**
     * Sparse symmetric P from the K = 3·perplexity nearest neighbours.
     *
     * @param data [n, dims] row-major points (not modified)
     */
    public static Sparse sparse(float[] data, int n, int dims, double perplexity, long seed, Parallel parallel) {
        return sparse(data, n, dims, perplexity, seed, parallel, null);
    }

    /**
     * {@link #sparse(float[], int, int, double, long, Parallel)} with the points' {@link KdOrder} (blocks of
     * {@link BlockedKnn#POINT_BLOCK}, groups of {@link BlockedKnn#QUERY_BLOCK}) when the caller has it already,
     * or null.
     */
    static Sparse sparse(float[] data, int n, int dims, double perplexity, long seed, Parallel parallel,
                         int[] kdOrder) {
        requireEnoughPoints(n, perplexity);
        int k = neighbourCount(perplexity);
        int[] neighbours = new int[n * k];
        double[] conditional = new double[n * k];       // first the squared distances, then p_{j|i} in place
        VpTree tree = n < BRUTE_FORCE_LIMIT || dims > TREE_MAX_DIMENSIONS ? null : new VpTree(data, n, dims, seed);
        BlockedKnn bruteForce = tree == null ? new BlockedKnn(data, n, dims, kdOrder) : null;
        if (bruteForce != null) {
            // by ranges of its own scan order, where neighbouring queries share their candidate blocks
            parallel.forRange(n, (from, to) -> bruteForce.search(from, to, k, neighbours, conditional));
        }
        parallel.forRange(n, (from, to) -> {
            double[] row = new double[k];
            for (int i = from; i < to; i++) {
                if (tree != null) {
                    tree.search(i, k, neighbours, conditional, i * k);
                }
                System.arraycopy(conditional, i * k, row, 0, k);
                calibrate(row, k, perplexity, conditional, i * k);
            }
        });
        return symmetrise(n, k, neighbours, conditional);
    }

    /**
     * Finds β so that the Gaussian over {@code squaredDistances[0..len)} has the perplexity's entropy.
     *
     * @param squaredDistances distances to the neighbours (not modified)
     * @param out              receives p_{j|i}, summing to 1, at {@code [offset, offset+len)} (modified)
     * @return the precision β found
     */
    static double calibrate(double[] squaredDistances, int len, double perplexity, double[] out, int offset) {
        return calibrate(squaredDistances, len, perplexity, out, offset, Affinities::weigh);
    }

    /**
     * The weights of one row for one β: {@code out[offset + j] = exp(−β (d_j − min))} for j &lt; len, and
     * {@code sums[0] = Σ out}, {@code sums[1] = Σ (d_j − min) · out}.
     */
    @FunctionalInterface
    interface RowWeights {
        void weigh(double[] d, int len, double min, double beta, double[] out, int offset, double[] sums);
    }

    /** {@link RowWeights} one value at a time with {@link Math#exp}. */
    private static void weigh(double[] d, int len, double min, double beta, double[] out, int offset,
                              double[] sums) {
        weigh(d, 0, len, min, beta, out, offset, sums);
    }

    /** {@link RowWeights} for the values [from, to) of the row, one at a time with {@link Math#exp}. */
    static void weigh(double[] d, int from, int to, double min, double beta, double[] out, int offset,
                      double[] sums) {
        double sum = 0;
        double weighted = 0;
        for (int j = from; j < to; j++) {
            double dist = d[j] - min;
            double p = Math.exp(-beta * dist);
            out[offset + j] = p;
            sum += p;
            weighted += dist * p;
        }
        sums[0] = sum;
        sums[1] = weighted;
    }

    /** {@link #calibrate(double[], int, double, double[], int)} with the row's weights computed by {@code weights}. */
    static double calibrate(double[] squaredDistances, int len, double perplexity, double[] out, int offset,
                            RowWeights weights) {
        double target = Math.log(perplexity);
        // Shifting by the smallest distance leaves p unchanged but keeps exp() from underflowing to 0 for all j.
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            min = Math.min(min, squaredDistances[j]);
        }
        double beta = 1;
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        double[] sums = new double[2];
        for (int step = 0; step < MAX_BISECTION_STEPS; step++) {
            weights.weigh(squaredDistances, len, min, beta, out, offset, sums);
            double sum = sums[0];
            double weighted = sums[1];
            double entropy = Math.log(sum) + beta * weighted / sum;    // H = ln Σp + β <d>
            double error = entropy - target;
            if (Math.abs(error) < ENTROPY_TOLERANCE) {
                break;
            }
            if (error > 0) {                 // too flat: sharpen
                lo = beta;
                beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
            } else {                         // too peaked: widen
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
        double sum = 0;
        for (int j = 0; j < len; j++) {
            sum += out[offset + j];
        }
        for (int j = 0; j < len; j++) {
            out[offset + j] /= sum;
        }
        return beta;
    }

    /** P = (C + Cᵀ) / 2N for the kNN conditional matrix C given as n rows of k (column, value) pairs. */
    static Sparse symmetrise(int n, int k, int[] neighbours, double[] conditional) {
        // Row i of P gathers C's row i and C's column i; count both, then fill, then sort and merge each row.
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            count[i] += k;
            for (int m = 0; m < k; m++) {
                count[neighbours[i * k + m]]++;
            }
        }
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            start[i + 1] = start[i] + count[i];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[] cols = new int[start[n]];
        double[] vals = new double[start[n]];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < k; m++) {
                int j = neighbours[i * k + m];
                double v = conditional[i * k + m];
                cols[fill[i]] = j;
                vals[fill[i]++] = v;
                cols[fill[j]] = i;
                vals[fill[j]++] = v;
            }
        }
        int[] rowStart = new int[n + 1];
        int nnz = 0;
        double scale = 1.0 / (2.0 * n);
        for (int i = 0; i < n; i++) {
            int from = start[i];
            int to = start[i + 1];
            sortByColumn(cols, vals, from, to);
            rowStart[i] = nnz;
            for (int p = from; p < to; p++) {
                if (nnz > rowStart[i] && cols[nnz - 1] == cols[p]) {
                    vals[nnz - 1] += vals[p];               // j is i's neighbour and i is j's: add both
                } else {
                    cols[nnz] = cols[p];
                    vals[nnz++] = vals[p];
                }
            }
        }
        rowStart[n] = nnz;
        for (int p = 0; p < nnz; p++) {
            vals[p] *= scale;
        }
        return new Sparse(n, rowStart, Arrays.copyOf(cols, nnz), Arrays.copyOf(vals, nnz));
    }

    private static void sortByColumn(int[] cols, double[] vals, int from, int to) {
        for (int i = from + 1; i < to; i++) {       // rows are short (~K to 2K): insertion sort
            int c = cols[i];
            double v = vals[i];
            int j = i - 1;
            while (j >= from && cols[j] > c) {
                cols[j + 1] = cols[j];
                vals[j + 1] = vals[j];
                j--;
            }
            cols[j + 1] = c;
            vals[j + 1] = v;
        }
    }

    /**
     * Dense symmetric P over all pairs, as scikit-learn's exact method builds it; the diagonal is 0.
     *
     * @param data [n, dims] row-major points (not modified)
     * @return [n, n] row-major P
     */
    public static double[] dense(float[] data, int n, int dims, double perplexity, Parallel parallel) {
        requireEnoughPointsDense(n, perplexity);
        double[] p = new double[n * n];
        parallel.forRange(n, (from, to) -> {
            double[] row = new double[n - 1];
            double[] cond = new double[n - 1];
            for (int i = from; i < to; i++) {
                for (int j = 0, m = 0; j < n; j++) {
                    if (j != i) {
                        row[m++] = sequentialSquaredDistance(data, dims, i, j);
                    }
                }
                calibrate(row, n - 1, perplexity, cond, 0);
                for (int j = 0, m = 0; j < n; j++) {
                    if (j != i) {
                        p[i * n + j] = cond[m++];
                    }
                }
            }
        });
        // Symmetrise in place, then normalise by the total (2N up to rounding) and floor.
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = p[i * n + j] + p[j * n + i];
                p[i * n + j] = s;
                p[j * n + i] = s;
                total += 2 * s;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = i == j ? 0 : Math.max(p[i * n + j] / total, DENSE_FLOOR);
            }
        }
        return p;
    }

    /**
     * |x_i − x_j|² summed coordinate by coordinate in one running sum. The exact method's P is built with this
     * rather than {@link VpTree#squaredDistance} (four sums, for the k-NN's speed), so that its results stay
     * those of earlier versions: an exact run at N = 1,000 ends in a visibly different optimum when P changes
     * in the last bit (trustworthiness 0.970 with this sum, 0.963 with the four-sum one on the reference
     * setting; scikit-learn's own run: 0.964).
     */
    static double sequentialSquaredDistance(float[] data, int dims, int i, int j) {
        double sum = 0;
        for (int d = 0; d < dims; d++) {
            double diff = data[i * dims + d] - data[j * dims + d];
            sum += diff * diff;
        }
        return sum;
    }
}
