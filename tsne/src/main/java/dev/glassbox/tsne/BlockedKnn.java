package dev.glassbox.tsne;

/**
 * Exact k nearest neighbours of every point by brute force, organised like a matrix product: the same neighbours
 * and distances as {@link VpTree#bruteForce}, many times faster for wide rows (PCA-50 input, where a VP-tree prunes
 * little).
 *
 * <p>|x_i − x_j|² = |x_i|² + |x_j|² − 2 x_i·x_j, and the dot products of a block of queries with a block of points
 * are a small matrix product, computed four queries × four points at a time in sixteen independent float
 * multiply-add chains (one chain per pair would wait on each add's latency; the JIT does not vectorise a
 * reduction, so the independence has to be written out). That estimate is only used to skip points: float
 * rounding moves it by at most γ·(|x_i|² + |x_j|²) with γ = (dims + 1)·2⁻²⁴ (each of the dims products and
 * sums rounds once, and 2|x_i||x_j| ≤ |x_i|² + |x_j|²). With twice that bound as margin each point gets an
 * interval [lower, upper] that holds its exact distance, as {@link VpTree#squaredDistance} computes it in
 * double. The k-th smallest upper end is then at least the true k-th best, so a point whose lower end is beyond
 * it cannot be a neighbour ({@link Candidates}); at the end only the points still in the running, about k per
 * query, get an exact distance, and a bounded heap of exact (distance, index) pairs picks the k as the brute force
 * does. So the result is the brute-force result, bit for bit, whatever the blocks and threads.
 *
 * <p><b>Scan order and pruning.</b> The points are kept in the order of a k-d partition: split at the median of
 * the coordinate with the widest extent, again and again, down to blocks of {@value #POINT_BLOCK} points and
 * within them to groups of {@value #QUERY_BLOCK}, so a block, and a group of queries even more, is compact in
 * the coordinates that matter most. Each block keeps its bounding box; the squared distance from a query to the
 * box is a lower bound on its squared distance to every point in the block (see {@link #boxDistance}). A
 * block of queries scans the point blocks in order of that bound, nearest first, skips a block for a query whose
 * k-th best is already nearer than the box, and stops where no query of the block can gain any more. On
 * Fashion-MNIST's 70,000 PCA-50 rows 64 % of the (query group, block) pairs are never computed. The exact heap
 * keeps the k smallest (distance, index) pairs whatever the order they are offered in, and a skipped point could
 * not have entered it, so the order and the pruning change the work, never the result.
 *
 * <p>With the Vector API ({@link VectorKnn}) the sorted points are also kept block by block transposed, so that
 * the dot products and the skip test run a vector of points at a time. The scalar loops below are the reference
 * and the fallback; both give the same neighbours.
 */
final class BlockedKnn {
    /** Queries per block: their rows of dot products share every load of the points' block. */
    static final int QUERY_BLOCK = 8;            // a multiple of 8: the vector dotProducts takes eights
    /** Points per block: 512 rows of 50 floats = 100 KB, which stays in L2 while the queries pass over it. */
    static final int POINT_BLOCK = 512;
    /**
     * Below this many points the scalar loops: compiling the vector kernels costs more than they save (a whole
     * Barnes-Hut run of 1,000 points in a fresh JVM took twice as long with them).
     */
    static final int VECTOR_FROM = 5_000;

    private final int n;
    private final int dims;
    private final double slack;            // 2γ: twice the rounding bound, relative to |x_i|² + |x_j|²
    private final int[] order;             // the points in k-d order: order[rank] = index
    private final float[] sorted;          // the rows in that order: every query and distance reads these
    private final double[] sortedNorms;    // |x|² in that order
    private final float[] boxLow;          // block b's smallest coordinate d at b·dims + d
    private final float[] boxHigh;         // and its largest
    private final float[] transposed;      // vector path: block b's coordinate d of rank jj at
                                           // (b·dims + d)·POINT_BLOCK + jj

    /** @param kdOrder the points' {@link KdOrder} in blocks and groups of this class's sizes, or null */
    BlockedKnn(float[] data, int n, int dims, int[] kdOrder) {
        this(data, n, dims, VectorModule.PRESENT && n >= VECTOR_FROM && VectorKnn.fits(POINT_BLOCK), kdOrder);
    }

    /** With {@code vector} false, the scalar loops even where the Vector API is present (tests compare both). */
    BlockedKnn(float[] data, int n, int dims, boolean vector) {
        this(data, n, dims, vector, null);
    }

    private BlockedKnn(float[] data, int n, int dims, boolean vector, int[] kdOrder) {
        this.n = n;
        this.dims = dims;
        double[] norms = new double[n];
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (int d = 0; d < dims; d++) {
                float v = data[j * dims + d];
                norm += (double) v * v;
            }
            norms[j] = norm;
        }
        this.slack = 2 * (dims + 1) * Math.ulp(1f) / 2;   // ulp(1f)/2 = 2⁻²⁴, float's unit roundoff
        this.order = kdOrder != null ? kdOrder : KdOrder.of(data, n, dims, POINT_BLOCK, QUERY_BLOCK);
        this.sorted = new float[data.length];
        this.sortedNorms = new double[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(data, order[r] * dims, sorted, r * dims, dims);
            sortedNorms[r] = norms[order[r]];
        }
        int blocks = blockCount();
        this.boxLow = new float[blocks * dims];
        this.boxHigh = new float[blocks * dims];
        java.util.Arrays.fill(boxLow, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(boxHigh, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < n; r++) {
            int box = r / POINT_BLOCK * dims;
            for (int d = 0; d < dims; d++) {
                boxLow[box + d] = Math.min(boxLow[box + d], sorted[r * dims + d]);
                boxHigh[box + d] = Math.max(boxHigh[box + d], sorted[r * dims + d]);
            }
        }
        this.transposed = vector ? transposeBlocks(sorted, n, dims) : null;
    }

    private int blockCount() {
        return (n + POINT_BLOCK - 1) / POINT_BLOCK;
    }

    /** The point at position {@code rank} of the scan order. */
    int pointAt(int rank) {
        return order[rank];
    }

    /** The points block by block, each block dimension by dimension; zero past the last point. */
    private static float[] transposeBlocks(float[] data, int n, int dims) {
        int blocks = (n + POINT_BLOCK - 1) / POINT_BLOCK;
        float[] t = new float[Math.multiplyExact(blocks * dims, POINT_BLOCK)];
        for (int j = 0; j < n; j++) {
            int block = j / POINT_BLOCK;
            int column = j % POINT_BLOCK;
            for (int d = 0; d < dims; d++) {
                t[(block * dims + d) * POINT_BLOCK + column] = data[j * dims + d];
            }
        }
        return t;
    }

    /**
     * The {@code k} nearest other points of the queries at ranks [{@code from}, {@code to}) of the scan order
     * ({@link #pointAt}), nearest first (ties by index), into {@code indices} and {@code squaredDistances} at
     * {@code query * k}.
     *
     * @return the number of (query block, point block) pairs whose dot products were computed: the work the
     *         pruning left
     */
    long search(int from, int to, int k, int[] indices, double[] squaredDistances) {
        float[] dots = new float[QUERY_BLOCK * POINT_BLOCK];
        int[] queryRows = new int[QUERY_BLOCK];
        Candidates[] heaps = new Candidates[QUERY_BLOCK];
        for (int q = 0; q < QUERY_BLOCK; q++) {
            heaps[q] = new Candidates(k);
        }
        VpTree.Heap exact = new VpTree.Heap(k);
        int blocks = blockCount();
        float[] groupLow = new float[dims];
        float[] groupHigh = new float[dims];
        double[] nearest = new double[blocks];                 // the query group's box to each block's box
        long[] scan = new long[blocks];
        boolean[] wanted = new boolean[QUERY_BLOCK];
        long computed = 0;
        for (int first = from; first < to; first += QUERY_BLOCK) {
            int size = Math.min(QUERY_BLOCK, to - first);
            java.util.Arrays.fill(groupLow, Float.POSITIVE_INFINITY);
            java.util.Arrays.fill(groupHigh, Float.NEGATIVE_INFINITY);
            for (int q = 0; q < QUERY_BLOCK; q++) {
                // rows past size repeat the last query: harmless extra work, never read
                int queryRank = first + Math.min(q, size - 1);
                queryRows[q] = queryRank * dims;
                for (int d = 0; d < dims; d++) {
                    groupLow[d] = Math.min(groupLow[d], sorted[queryRank * dims + d]);
                    groupHigh[d] = Math.max(groupHigh[d], sorted[queryRank * dims + d]);
                }
            }
            // Blocks nearest first: (bound as a float, whose bits order as integers when ≥ 0; block) in one long.
            // Only the amount of work depends on this order.
            for (int b = 0; b < blocks; b++) {
                nearest[b] = boxDistance(groupLow, groupHigh, 0, boxLow, boxHigh, b * dims);
                scan[b] = (long) Float.floatToRawIntBits((float) nearest[b]) << 32 | b;
            }
            java.util.Arrays.sort(scan);
            for (long entry : scan) {
                int block = (int) entry;
                double farthest = 0;
                for (int q = 0; q < size; q++) {
                    farthest = Math.max(farthest, heaps[q].squaredBound());
                }
                if (nearest[block] > farthest) {
                    break;              // this block and every later one is beyond every query's k-th best
                }
                // Which queries can still gain from the block: their own distance to its box decides.
                boolean any = false;
                for (int q = 0; q < QUERY_BLOCK; q++) {
                    wanted[q] = q < size && boxDistance(sorted, sorted, queryRows[q], boxLow, boxHigh, block * dims)
                            <= heaps[q].squaredBound();
                    any |= wanted[q];
                }
                if (!any) {
                    continue;
                }
                computed++;
                int j0 = block * POINT_BLOCK;
                int points = Math.min(POINT_BLOCK, n - j0);
                if (transposed != null) {
                    VectorKnn.dotProducts(sorted, dims, queryRows, wanted, transposed, block * dims * POINT_BLOCK,
                            POINT_BLOCK, dots);
                } else {
                    dotProducts(queryRows, wanted, j0, points, dots);
                }
                for (int q = 0; q < size; q++) {
                    if (wanted[q]) {
                        offerCandidates(first + q, j0, points, dots, q * POINT_BLOCK, heaps[q]);
                    }
                }
            }
            for (int q = 0; q < size; q++) {
                heaps[q].finish(first + q, sorted, dims, order, exact);
                exact.drainSorted(indices, squaredDistances, order[first + q] * k);
            }
        }
        return computed;
    }

    /**
     * The squared distance between two boxes, A's coordinate d in [lowA[a + d], highA[a + d]] and B's likewise
     * (a point is a box with low = high), computed so that it never exceeds {@link VpTree#squaredDistance}
     * between any point of A and any point of B: per coordinate the gap between the intervals (0 where they
     * overlap) in float, squared and summed in double in squaredDistance's order. The gap is no wider than the two
     * points' difference and has its sign, so, rounding being monotone, neither is any rounded difference,
     * square or sum.
     */
    private double boxDistance(float[] lowA, float[] highA, int a, float[] lowB, float[] highB, int b) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int d = 0;
        for (; d + 3 < dims; d += 4) {
            double e0 = gap(lowA[a + d], highA[a + d], lowB[b + d], highB[b + d]);
            double e1 = gap(lowA[a + d + 1], highA[a + d + 1], lowB[b + d + 1], highB[b + d + 1]);
            double e2 = gap(lowA[a + d + 2], highA[a + d + 2], lowB[b + d + 2], highB[b + d + 2]);
            double e3 = gap(lowA[a + d + 3], highA[a + d + 3], lowB[b + d + 3], highB[b + d + 3]);
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }
        for (; d < dims; d++) {
            double e = gap(lowA[a + d], highA[a + d], lowB[b + d], highB[b + d]);
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The signed gap between the intervals [lowA, highA] and [lowB, highB], in float; 0 where they overlap. */
    private static float gap(float lowA, float highA, float lowB, float highB) {
        return lowA > highB ? lowA - highB : highA < lowB ? highA - lowB : 0;
    }

    /**
     * dots[q][jj] = (query row q) · (point of rank j0 + jj) in float, for the {@value #QUERY_BLOCK} query rows
     * (row offsets into {@code data}), skipping the fours none of which is {@code wanted}.
     */
    private void dotProducts(int[] queryRows, boolean[] wanted, int j0, int points, float[] dots) {
        for (int q = 0; q < QUERY_BLOCK; q += 4) {
            if (!(wanted[q] || wanted[q + 1] || wanted[q + 2] || wanted[q + 3])) {
                continue;
            }
            int a0 = queryRows[q];
            int a1 = queryRows[q + 1];
            int a2 = queryRows[q + 2];
            int a3 = queryRows[q + 3];
            for (int jj = 0; jj < points; jj += 4) {
                int b0 = Math.min(j0 + jj, j0 + points - 1) * dims;
                int b1 = Math.min(j0 + jj + 1, j0 + points - 1) * dims;
                int b2 = Math.min(j0 + jj + 2, j0 + points - 1) * dims;
                int b3 = Math.min(j0 + jj + 3, j0 + points - 1) * dims;
                float s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                float s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                for (int d = 0; d < dims; d++) {
                    float x0 = sorted[a0 + d], x1 = sorted[a1 + d], x2 = sorted[a2 + d], x3 = sorted[a3 + d];
                    float y0 = sorted[b0 + d], y1 = sorted[b1 + d], y2 = sorted[b2 + d], y3 = sorted[b3 + d];
                    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
                    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
                    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
                    s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
                }
                // Columns past points (a partial last tile) land inside the row's POINT_BLOCK slots and are never read.
                int r0 = q * POINT_BLOCK + jj;
                int r1 = r0 + POINT_BLOCK, r2 = r1 + POINT_BLOCK, r3 = r2 + POINT_BLOCK;
                dots[r0] = s00; dots[r0 + 1] = s01; dots[r0 + 2] = s02; dots[r0 + 3] = s03;
                dots[r1] = s10; dots[r1 + 1] = s11; dots[r1 + 2] = s12; dots[r1 + 3] = s13;
                dots[r2] = s20; dots[r2 + 1] = s21; dots[r2 + 2] = s22; dots[r2 + 3] = s23;
                dots[r3] = s30; dots[r3 + 1] = s31; dots[r3 + 2] = s32; dots[r3 + 3] = s33;
            }
        }
    }

    /**
     * Offers the points of the block (ranks j0 …) whose float estimate may beat the query's k-th best: the
     * estimate's rounding bound gives each an interval [lower, upper] that holds its exact distance.
     */
    private void offerCandidates(int queryRank, int j0, int points, float[] dots, int row, Candidates heap) {
        double bound = heap.squaredBound();
        double queryNorm = sortedNorms[queryRank];
        // With the Vector API, sixteen points (512-bit vectors) are tested at once first: a group in which no
        // point can pass is skipped whole, any other is tested point by point, so the offers are the scalar loop's.
        int group = transposed != null ? VectorKnn.groupSize() : 1;
        for (int first = 0; first < points; first += group) {
            int end = Math.min(points, first + group);
            if (group > 1 && end - first == group
                    && VectorKnn.noneCanPass(sortedNorms, j0, first, dots, row, queryNorm, slack, bound)) {
                continue;
            }
            for (int jj = first; jj < end; jj++) {
                double scale = queryNorm + sortedNorms[j0 + jj];
                double estimate = scale - 2.0 * dots[row + jj];
                double lower = estimate - slack * scale;
                if (lower > bound || j0 + jj == queryRank) {
                    continue;
                }
                heap.offer(lower, estimate + slack * scale, j0 + jj);
                bound = heap.squaredBound();
            }
        }
    }

    /**
     * One query's candidates while its blocks are scanned, with no exact distance yet: each offered point comes
     * with an interval [lower, upper] that holds its exact squared distance. T, the k-th smallest upper end so
     * far, is at least the k-th smallest exact distance, so a point whose lower end is above T cannot be a
     * neighbour (nor tie with one); T serves as the k-th best wherever the scan prunes. At the end only the
     * points with lower ≤ T get an exact distance, about k of them instead of every point that once looked
     * close enough, and a heap of exact (distance, index) pairs picks the neighbours as the brute force does.
     */
    static final class Candidates {
        private final VpTree.Heap uppers;       // the k smallest upper ends (with their ranks)
        private double[] lowers = new double[64];
        private int[] ranks = new int[64];
        private int count;

        Candidates(int k) {
            uppers = new VpTree.Heap(k);
        }

        /** T: the k-th smallest upper end offered, or infinity while fewer than k are held. */
        double squaredBound() {
            return uppers.squaredBound();
        }

        void offer(double lower, double upper, int rank) {
            if (count == lowers.length) {
                compact();
            }
            lowers[count] = lower;
            ranks[count++] = rank;
            uppers.offer(upper, rank);
        }

        /** Drops the candidates T has since excluded; grows the buffer if that frees less than half. */
        private void compact() {
            double bound = squaredBound();
            int kept = 0;
            for (int c = 0; c < count; c++) {
                if (lowers[c] <= bound) {
                    lowers[kept] = lowers[c];
                    ranks[kept++] = ranks[c];
                }
            }
            count = kept;
            if (count > lowers.length / 2) {
                lowers = java.util.Arrays.copyOf(lowers, 2 * lowers.length);
                ranks = java.util.Arrays.copyOf(ranks, 2 * ranks.length);
            }
        }

        /**
         * Puts the exact k nearest into {@code exact} (empty before) and starts afresh. The candidates are kept
         * by rank, and their exact distances taken between the rows in scan order: the same numbers as between
         * the input rows, from memory the scan has just passed over instead of rows all over the input.
         */
        void finish(int queryRank, float[] sorted, int dims, int[] order, VpTree.Heap exact) {
            double bound = squaredBound();
            for (int c = 0; c < count; c++) {
                if (lowers[c] <= bound) {
                    int rank = ranks[c];
                    exact.offer(VpTree.squaredDistance(sorted, dims, queryRank, rank), order[rank]);
                }
            }
            uppers.clear();
            count = 0;
        }
    }
}
