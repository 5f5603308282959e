package dev.glassbox.tsne;

import java.util.Random;

/**
 * Exact k-nearest-neighbour search by a vantage-point tree (Yianilos 1993), plus the brute-force search it
 * must agree with.
 *
 * <p>Each node picks a vantage point v and the median distance r from v to the other points of the node;
 * points closer than r go left ("inside"), the rest right. A query q at distance d from v with current k-th
 * best distance τ can only find better points inside if d − τ ≤ r, and outside if d + τ ≥ r (triangle
 * inequality), so most of the tree is never visited when the data has low intrinsic dimension.
 *
 * <p>The tree is implicit: a node is a range {@code [lo, hi)} of the permutation {@code order}; the vantage
 * point sits at {@code lo}, the inside half at {@code [lo+1, mid)}, the outside half at {@code [mid, hi)}.
 * Ties in distance are broken by the smaller point index, so tree and brute force return the same lists.
 */
public final class VpTree {

    private final float[] data;        // [n, dims] row-major (not modified)
    private final int n;
    private final int dims;
    private final int[] order;         // permutation of point indices, arranged as the implicit tree
    private final double[] radius;     // radius[lo] of the node starting at lo

    /**
     * Builds the tree.
     *
     * @param data [n, dims] row-major points (not modified, kept by reference)
     * @param seed seed for choosing vantage points
     */
    public VpTree(float[] data, int n, int dims, long seed) {
        this.data = data;
        this.n = n;
        this.dims = dims;
        this.order = new int[n];
        this.radius = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        build(0, n, new Random(seed), new double[n]);
    }

    private void build(int lo, int hi, Random random, double[] scratch) {
        // Iterative on the outside half, recursive on the inside half: depth stays O(log n).
        while (hi - lo > 1) {
            swap(lo, lo + random.nextInt(hi - lo));
            int v = order[lo];
            for (int p = lo + 1; p < hi; p++) {
                scratch[order[p]] = distance(v, order[p]);
            }
            int mid = (lo + 1 + hi) >>> 1;
            select(lo + 1, hi - 1, mid, scratch);
            radius[lo] = scratch[order[mid]];
            build(lo + 1, mid, random, scratch);
            lo = mid;
        }
    }

    /** Quickselect: afterwards order[k] holds the k-th smallest key in [lo, hi], smaller keys before it. */
    private void select(int lo, int hi, int k, double[] key) {
        while (lo < hi) {
            double pivot = key[order[(lo + hi) >>> 1]];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (key[order[i]] < pivot) i++;
                while (key[order[j]] > pivot) j--;
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private void swap(int a, int b) {
        int t = order[a];
        order[a] = order[b];
        order[b] = t;
    }

    double distance(int a, int b) {
        return Math.sqrt(squaredDistance(data, dims, a, b));
    }

    /**
     * |x_a − x_b|², each difference taken in float and squared in double. The squares go into four sums by
     * coordinate modulo 4, added pairwise at the end: one running sum would make each addition wait for the
     * previous one (50 dimensions: 3 times as fast). Every exact distance of the module is this number.
     */
    static double squaredDistance(float[] data, int dims, int a, int b) {
        int oa = a * dims;
        int ob = b * dims;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int d = 0;
        for (; d + 3 < dims; d += 4) {
            double e0 = data[oa + d] - data[ob + d];
            double e1 = data[oa + d + 1] - data[ob + d + 1];
            double e2 = data[oa + d + 2] - data[ob + d + 2];
            double e3 = data[oa + d + 3] - data[ob + d + 3];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }
        for (; d < dims; d++) {
            double e = data[oa + d] - data[ob + d];
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The k nearest other points of point {@code query}.
     *
     * @param indices          receives the neighbour indices, nearest first, at {@code [offset, offset+k)} (modified)
     * @param squaredDistances receives their squared distances (modified)
     */
    public void search(int query, int k, int[] indices, double[] squaredDistances, int offset) {
        Heap heap = new Heap(k);
        search(0, n, query, heap);
        heap.drainSorted(indices, squaredDistances, offset);
    }

    private void search(int lo, int hi, int query, Heap heap) {
        while (lo < hi) {
            int v = order[lo];
            double d2 = squaredDistance(data, dims, query, v);
            double d = Math.sqrt(d2);
            if (v != query) {
                heap.offer(d2, v);
            }
            if (hi - lo == 1) {
                return;
            }
            int mid = (lo + 1 + hi) >>> 1;
            double r = radius[lo];
            // Visit the side the query falls in first: it tightens tau before the other side is tested.
            if (d < r) {
                if (d - heap.bound() <= r) search(lo + 1, mid, query, heap);
                if (d + heap.bound() >= r) { lo = mid; continue; }
            } else {
                if (d + heap.bound() >= r) search(mid, hi, query, heap);
                if (d - heap.bound() <= r) { hi = mid; lo = lo + 1; continue; }
            }
            return;
        }
    }

    /** Brute-force k nearest other points of {@code query}: the reference the tree must match. */
    public static void bruteForce(float[] data, int n, int dims, int query, int k,
                                  int[] indices, double[] squaredDistances, int offset) {
        Heap heap = new Heap(k);
        for (int j = 0; j < n; j++) {
            if (j != query) {
                double d2 = squaredDistance(data, dims, query, j);
                if (d2 <= heap.squaredBound()) {
                    heap.offer(d2, j);
                }
            }
        }
        heap.drainSorted(indices, squaredDistances, offset);
    }

    /** A bounded max-heap of (squared distance, index): keeps the k best, ordered by distance then index. */
    static final class Heap {
        private final double[] dist;
        private final int[] index;
        private int size;

        Heap(int k) {
            dist = new double[k];
            index = new int[k];
        }

        /** The current k-th best distance, or infinity while fewer than k are held. */
        double bound() {
            return Math.sqrt(squaredBound());
        }

        /** The current k-th best squared distance, or infinity while fewer than k are held. */
        double squaredBound() {
            return size < dist.length ? Double.POSITIVE_INFINITY : dist[0];
        }

        private boolean worse(int a, int b) {       // is slot a worse than slot b?
            return dist[a] > dist[b] || (dist[a] == dist[b] && index[a] > index[b]);
        }

        void offer(double d, int i) {
            if (size < dist.length) {
                dist[size] = d;
                index[size] = i;
                siftUp(size++);
            } else if (d < dist[0] || (d == dist[0] && i < index[0])) {
                dist[0] = d;
                index[0] = i;
                siftDown(0, size);
            }
        }

        private void siftUp(int c) {
            while (c > 0) {
                int p = (c - 1) >>> 1;
                if (!worse(c, p)) return;
                swap(c, p);
                c = p;
            }
        }

        private void siftDown(int p, int end) {
            while (true) {
                int c = 2 * p + 1;
                if (c >= end) return;
                if (c + 1 < end && worse(c + 1, c)) c++;
                if (!worse(c, p)) return;
                swap(c, p);
                p = c;
            }
        }

        private void swap(int a, int b) {
            double td = dist[a]; dist[a] = dist[b]; dist[b] = td;
            int ti = index[a]; index[a] = index[b]; index[b] = ti;
        }

        /** Empties the heap. */
        void clear() {
            size = 0;
        }

        /** Writes the held entries nearest first; empties the heap. */
        void drainSorted(int[] indices, double[] squaredDistances, int offset) {
            for (int end = size; end > 0; end--) {
                indices[offset + end - 1] = index[0];
                squaredDistances[offset + end - 1] = dist[0];
                swap(0, end - 1);
                siftDown(0, end - 1);
            }
            size = 0;
        }
    }
}
