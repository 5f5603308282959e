package dev.glassbox.tsne;

/**
 * An order of points in which neighbours are near each other: the leaves of a k-d partition, left to right.
 * The points are split at the median of the coordinate with the widest extent, again and again, into halves of
 * whole blocks down to single blocks, and each block the same way into groups; so a block is compact in the
 * coordinates that matter most, and a group more so.
 *
 * <p>Used twice: {@link BlockedKnn} scans its points block by block in this order, and the sparse gradients
 * run in it ({@link Relabelled}), so that a point's neighbours in P sit near it in memory.
 */
final class KdOrder {

    private KdOrder() {
    }

    /**
     * The k-d order of the rows of {@code data} [n, dims]: {@code order[rank]} is the index of the point at
     * position rank. Deterministic: ties go by index.
     *
     * @param block the size of the top-level cells (the last one may be smaller)
     * @param group the size the cells are then split into (block a multiple of it)
     */
    static int[] of(float[] data, int n, int dims, int block, int group) {
        int[] order = new int[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        split(data, dims, order, 0, n, block, group, new long[n]);
        return order;
    }

    /**
     * Puts {@code order[from, to)} in k-d order: halves of whole {@code unit}s split at the median of the
     * coordinate with the widest extent (ties by index), down to single units, each of which is then split the
     * same way into {@code group}s. {@code keys} is scratch.
     */
    private static void split(float[] data, int dims, int[] order, int from, int to, int unit, int group,
                              long[] keys) {
        int count = to - from;
        if (count <= unit) {
            if (unit > group) {
                split(data, dims, order, from, to, group, group, keys);
            }
            return;
        }
        int widest = 0;
        float widestExtent = -1;
        for (int d = 0; d < dims; d++) {
            float low = Float.POSITIVE_INFINITY;
            float high = Float.NEGATIVE_INFINITY;
            for (int r = from; r < to; r++) {
                float v = data[order[r] * dims + d];
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
            if (high - low > widestExtent) {
                widestExtent = high - low;
                widest = d;
            }
        }
        // Sort by (coordinate, index) as one long: the float's bits made to order as signed integers, then the index.
        for (int r = from; r < to; r++) {
            int bits = Float.floatToRawIntBits(data[order[r] * dims + widest]);
            bits ^= (bits >> 31) & 0x7fffffff;
            keys[r] = (long) bits << 32 | order[r];
        }
        java.util.Arrays.sort(keys, from, to);
        for (int r = from; r < to; r++) {
            order[r] = (int) keys[r];
        }
        int units = (count + unit - 1) / unit;
        int middle = from + units / 2 * unit;
        split(data, dims, order, from, middle, unit, group, keys);
        split(data, dims, order, middle, to, unit, group, keys);
    }
}
