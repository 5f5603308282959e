package dev.glassbox.tsne;

import java.util.Arrays;

/**
 * A space-partitioning tree over points in 2 or 3 dimensions: a quadtree in 2-D, an octree in 3-D.
 *
 * <p>Each cell is a square (cube) split at its centre into 2^dims children; a cell holding at most
 * {@link #LEAF_SIZE} points (or at depth {@link #MAX_DEPTH}, so duplicate points cannot recurse forever)
 * is a leaf. Every cell knows its point count and centre of mass, which is all Barnes-Hut needs to stand in
 * for its points when seen from far away.
 *
 * <p>Stored as flat arrays indexed by node; the children of a node are consecutive nodes. Leaves refer to a
 * range of {@link #order}, and {@link #leafY} holds those points' coordinates in that order, so a leaf's
 * points are contiguous in memory.
 */
final class SpaceTree {

    static final int LEAF_SIZE = 8;
    static final int MAX_DEPTH = 48;

    final int dims;
    int nodes;
    double[] centerOfMass;     // [node, dims]
    double[] width;            // [node] full side length of the cell
    int[] count;               // [node] points in the cell
    int[] firstChild;          // [node] first child node, or -1 for a leaf
    int[] childCount;          // [node] number of (non-empty) children
    int[] pointStart;          // [node] start in order[] of the cell's points
    final int[] order;         // point indices grouped by cell
    final double[] leafY;      // [n, dims] coordinates in the order of order[]
    /**
     * What the Barnes-Hut walk reads per node, packed for locality: [node, dims + 2] holding the centre of
     * mass, the squared width, and the count.
     */
    double[] packed;

    private final double[] y;
    private final int[] childOfPoint;           // [n] scratch: each point's child cell while a node is split

    /** Builds the tree over {@code y} [n, dims] (not modified). */
    SpaceTree(double[] y, int n, int dims) {
        this.dims = dims;
        this.y = y;
        this.order = new int[n];
        this.leafY = new double[n * dims];
        this.childOfPoint = new int[n];
        int capacity = Math.max(16, 2 * n / LEAF_SIZE * 2);
        centerOfMass = new double[capacity * dims];
        width = new double[capacity];
        count = new int[capacity];
        firstChild = new int[capacity];
        childCount = new int[capacity];
        pointStart = new int[capacity];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // The root cell: the bounding box made square, grown a hair so no point lies on the far boundary.
        double[] center = new double[dims];
        double half = 0;
        for (int d = 0; d < dims; d++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                min = Math.min(min, y[i * dims + d]);
                max = Math.max(max, y[i * dims + d]);
            }
            center[d] = (min + max) / 2;
            half = Math.max(half, (max - min) / 2);
        }
        half = half * (1 + 1e-6) + 1e-12;
        nodes = 1;
        build(0, 0, n, center, half, 0, new int[n]);
        for (int p = 0; p < n; p++) {
            System.arraycopy(y, order[p] * dims, leafY, p * dims, dims);
        }
        int stride = dims + 2;
        packed = new double[nodes * stride];
        for (int node = 0; node < nodes; node++) {
            System.arraycopy(centerOfMass, node * dims, packed, node * stride, dims);
            packed[node * stride + dims] = width[node] * width[node];
            packed[node * stride + dims + 1] = count[node];
        }
    }

    private void build(int node, int lo, int hi, double[] center, double half, int depth, int[] scratch) {
        width[node] = 2 * half;
        count[node] = hi - lo;
        pointStart[node] = lo;
        if (dims == 2) {                            // both sums in one pass: two chains of additions, not one
            double s0 = 0;
            double s1 = 0;
            for (int p = lo; p < hi; p++) {
                int at = 2 * order[p];
                s0 += y[at];
                s1 += y[at + 1];
            }
            centerOfMass[2 * node] = s0 / (hi - lo);
            centerOfMass[2 * node + 1] = s1 / (hi - lo);
        } else {
            for (int d = 0; d < dims; d++) {
                double s = 0;
                for (int p = lo; p < hi; p++) {
                    s += y[order[p] * dims + d];
                }
                centerOfMass[node * dims + d] = s / (hi - lo);
            }
        }
        if (hi - lo <= LEAF_SIZE || depth >= MAX_DEPTH) {
            firstChild[node] = -1;
            childCount[node] = 0;
            return;
        }
        // Counting sort of the points by child cell (bit d set = above the centre in dimension d), each point's
        // cell found once and kept in childOfPoint.
        int buckets = 1 << dims;
        int[] counts = new int[buckets + 1];
        for (int p = lo; p < hi; p++) {
            int b = childOf(order[p], center);
            childOfPoint[p] = b;
            counts[b + 1]++;
        }
        for (int b = 0; b < buckets; b++) {
            counts[b + 1] += counts[b];
        }
        int[] fill = Arrays.copyOf(counts, buckets);
        for (int p = lo; p < hi; p++) {
            scratch[lo + fill[childOfPoint[p]]++] = order[p];
        }
        System.arraycopy(scratch, lo, order, lo, hi - lo);
        int nonEmpty = 0;
        for (int b = 0; b < buckets; b++) {
            if (counts[b + 1] > counts[b]) {
                nonEmpty++;
            }
        }
        int first = nodes;
        ensureCapacity(nodes + nonEmpty);
        nodes += nonEmpty;
        firstChild[node] = first;
        childCount[node] = nonEmpty;
        double childHalf = half / 2;
        int child = first;
        for (int b = 0; b < buckets; b++) {
            if (counts[b + 1] == counts[b]) {
                continue;
            }
            double[] childCenter = new double[dims];
            for (int d = 0; d < dims; d++) {
                childCenter[d] = center[d] + (((b >> d) & 1) == 1 ? childHalf : -childHalf);
            }
            build(child++, lo + counts[b], lo + counts[b + 1], childCenter, childHalf, depth + 1, scratch);
        }
    }

    /**
     * The child cell of point i. Written without a branch: a point lies above or below a centre at random, and a
     * mispredicted branch per point and dimension took most of the tree's build time.
     */
    private int childOf(int i, double[] center) {
        int b = 0;
        for (int d = 0; d < dims; d++) {
            b |= (y[i * dims + d] >= center[d] ? 1 : 0) << d;
        }
        return b;
    }

    private void ensureCapacity(int needed) {
        if (needed <= width.length) {
            return;
        }
        int capacity = Math.max(needed, width.length * 2);
        centerOfMass = Arrays.copyOf(centerOfMass, capacity * dims);
        width = Arrays.copyOf(width, capacity);
        count = Arrays.copyOf(count, capacity);
        firstChild = Arrays.copyOf(firstChild, capacity);
        childCount = Arrays.copyOf(childCount, capacity);
        pointStart = Arrays.copyOf(pointStart, capacity);
    }
}
