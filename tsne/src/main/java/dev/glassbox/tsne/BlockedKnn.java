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
 * sums rounds once, and 2|x_i||x_j| ≤ |x_i|² + |x_j|²). A point whose estimate minus twice that bound is still
 * beyond the query's current k-th best cannot be a neighbour; every other point gets its distance computed exactly
 * as {@link VpTree#squaredDistance} does, in double, and is offered to the same bounded heap, in the same index
 * order. So the result is the brute-force result, bit for bit, whatever the blocks and threads.
 *
 * <p><b>Scan order.</b> How many points get an exact distance depends on how fast the query's k-th best
 * shrinks, so the points are scanned nearest-first by a cheap guess: they are kept sorted by their first
 * coordinate (with PCA input, the direction of largest spread), queries are taken in that order too, and each
 * block of queries scans the point blocks outward from its own. The heap keeps the k smallest (distance, index)
 * pairs whatever the order they are offered in, so the order changes the work, never the result.
 *
 * <p>With the Vector API ({@link VectorKnn}) the sorted points are also kept block by block transposed, so that
 * the dot products and the skip test run a vector of points at a time. The scalar loops below are the reference
 * and the fallback; both give the same neighbours.
 */
final class BlockedKnn {
    /** Queries per block: their rows of dot products share every load of the points' block. */
    private static final int QUERY_BLOCK = 8;            // a multiple of 4: dotProducts takes queries in fours
    /** Points per block: 512 rows of 50 floats = 100 KB, which stays in L2 while the queries pass over it. */
    static final int POINT_BLOCK = 512;
    private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final float[] data;
    private final int n;
    private final int dims;
    private final double[] norms;          // |x_j|², in double, by index
    private final double slack;            // 2γ: twice the rounding bound, relative to |x_i|² + |x_j|²
    private final int[] order;             // the points by first coordinate (ties by index): order[rank] = index
    private final int[] rank;              // rank[index]
    private final float[] sorted;          // the rows in that order
    private final double[] sortedNorms;    // |x|² in that order
    private final float[] transposed;      // vector path: block b's coordinate d of rank jj at (b·dims + d)·POINT_BLOCK + jj

    BlockedKnn(float[] data, int n, int dims) {
        this(data, n, dims, VECTOR_API && VectorKnn.fits(POINT_BLOCK));
    }

    /** With {@code vector} false, the scalar loops even where the Vector API is present (tests compare both). */
    BlockedKnn(float[] data, int n, int dims, boolean vector) {
        this.data = data;
        this.n = n;
        this.dims = dims;
        this.norms = new double[n];
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (int d = 0; d < dims; d++) {
                float v = data[j * dims + d];
                norm += (double) v * v;
            }
            norms[j] = norm;
        }
        this.slack = 2 * (dims + 1) * Math.ulp(1f) / 2;   // ulp(1f)/2 = 2⁻²⁴, float's unit roundoff
        Integer[] boxed = new Integer[n];
        for (int j = 0; j < n; j++) {
            boxed[j] = j;
        }
        java.util.Arrays.sort(boxed, (a, b) -> {
            int byValue = Float.compare(data[a * dims], data[b * dims]);
            return byValue != 0 ? byValue : Integer.compare(a, b);
        });
        this.order = new int[n];
        this.rank = new int[n];
        this.sorted = new float[data.length];
        this.sortedNorms = new double[n];
        for (int r = 0; r < n; r++) {
            order[r] = boxed[r];
            rank[order[r]] = r;
            System.arraycopy(data, order[r] * dims, sorted, r * dims, dims);
            sortedNorms[r] = norms[order[r]];
        }
        this.transposed = vector ? transposeBlocks(sorted, n, dims) : null;
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
     * The {@code k} nearest other points of each query in [{@code from}, {@code to}), nearest first (ties by
     * index), into {@code indices} and {@code squaredDistances} at {@code query * k}.
     */
    void search(int from, int to, int k, int[] indices, double[] squaredDistances) {
        float[] dots = new float[QUERY_BLOCK * POINT_BLOCK];
        int[] queryRows = new int[QUERY_BLOCK];
        VpTree.Heap[] heaps = new VpTree.Heap[QUERY_BLOCK];
        for (int q = 0; q < QUERY_BLOCK; q++) {
            heaps[q] = new VpTree.Heap(k);
        }
        // The queries in scan order, so that the queries of a block are near each other along the first coordinate.
        int[] queries = new int[to - from];
        int count = 0;
        for (int r = 0; r < n; r++) {
            if (order[r] >= from && order[r] < to) {
                queries[count++] = order[r];
            }
        }
        int blocks = (n + POINT_BLOCK - 1) / POINT_BLOCK;
        for (int first = 0; first < count; first += QUERY_BLOCK) {
            int size = Math.min(QUERY_BLOCK, count - first);
            for (int q = 0; q < QUERY_BLOCK; q++) {
                // rows past size repeat the last query: harmless extra work, never read
                queryRows[q] = queries[first + Math.min(q, size - 1)] * dims;
            }
            int home = rank[queries[first + size / 2]] / POINT_BLOCK;
            for (int step = 0; step < blocks; step++) {
                // home, home + 1, home − 1, home + 2, ... as far as the blocks go on either side
                int block = outward(home, step, blocks);
                int j0 = block * POINT_BLOCK;
                int points = Math.min(POINT_BLOCK, n - j0);
                if (transposed != null) {
                    VectorKnn.dotProducts(data, dims, queryRows, transposed, block * dims * POINT_BLOCK, POINT_BLOCK,
                            dots);
                } else {
                    dotProducts(queryRows, j0, points, dots);
                }
                for (int q = 0; q < size; q++) {
                    offerCandidates(queries[first + q], j0, points, dots, q * POINT_BLOCK, heaps[q]);
                }
            }
            for (int q = 0; q < size; q++) {
                heaps[q].drainSorted(indices, squaredDistances, queries[first + q] * k);
            }
        }
    }

    /** The step-th block outward from {@code home}: home, home + 1, home − 1, ..., then the rest of one side. */
    static int outward(int home, int step, int blocks) {
        int near = Math.min(home, blocks - 1 - home);       // blocks on the shorter side
        if (step <= 2 * near) {
            return step % 2 == 1 ? home + (step + 1) / 2 : home - step / 2;
        }
        int beyond = step - near;                           // past the shorter side: one side only
        return home < blocks - 1 - home ? home + beyond : home - beyond;
    }

    /**
     * dots[q][jj] = (query row q) · (point of rank j0 + jj) in float, for the {@value #QUERY_BLOCK} query rows
     * (row offsets into {@code data}).
     */
    private void dotProducts(int[] queryRows, int j0, int points, float[] dots) {
        for (int q = 0; q < QUERY_BLOCK; q += 4) {
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
                    float x0 = data[a0 + d], x1 = data[a1 + d], x2 = data[a2 + d], x3 = data[a3 + d];
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

    /** Offers the points of the block (ranks j0 …) that may beat the query's k-th best, with their exact distances. */
    private void offerCandidates(int query, int j0, int points, float[] dots, int row, VpTree.Heap heap) {
        double bound = heap.squaredBound();
        double queryNorm = norms[query];
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
                int j = order[j0 + jj];
                double scale = queryNorm + sortedNorms[j0 + jj];
                double estimate = scale - 2.0 * dots[row + jj];
                if (estimate - slack * scale > bound || j == query) {
                    continue;
                }
                double exact = VpTree.squaredDistance(data, dims, query, j);
                if (exact <= bound) {
                    heap.offer(exact, j);
                    bound = heap.squaredBound();
                }
            }
        }
    }
}
