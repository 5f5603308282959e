package dev.glassbox.engine.kernels;

import dev.glassbox.engine.tensor.Shapes;

/**
 * Index maps for broadcasting and reductions. One idea serves both: walk every element of a "full" shape and
 * record where it lands in a smaller tensor whose strides are 0 along the dimensions it does not have.
 * Broadcasting reads {@code small[map[i]]}; reducing adds {@code full[i]} into {@code small[map[i]]}; and each
 * one's backward is the other, with the same map.
 */
public final class IndexMaps {
    private IndexMaps() {}

    /**
     * For every linear index i of {@code fullShape}, the offset {@code sum_d coord_d(i) * strides[d]}.
     *
     * @param strides one per dimension of fullShape; 0 where the smaller tensor does not vary
     */
    public static int[] project(int[] fullShape, int[] strides) {
        int size = Shapes.size(fullShape);
        int[] map = new int[size];
        int rank = fullShape.length;
        int[] coord = new int[rank];
        int offset = 0;
        for (int i = 0; i < size; i++) {
            map[i] = offset;
            // Odometer: bump the last coordinate, carry into the earlier ones.
            for (int d = rank - 1; d >= 0; d--) {
                coord[d]++;
                offset += strides[d];
                if (coord[d] < fullShape[d]) {
                    break;
                }
                offset -= strides[d] * coord[d];
                coord[d] = 0;
            }
        }
        return map;
    }

    /** Where each element of a tensor of {@code shape} lands when broadcast to {@code target}: read map. */
    public static int[] broadcast(int[] shape, int[] target) {
        return project(target, Shapes.broadcastStrides(shape, target));
    }

    /**
     * Where each element of a tensor of {@code shape} goes when the {@code reduced} axes are summed away.
     * The result indexes the reduced tensor (whose size is the product of the kept dimensions).
     */
    public static int[] reduction(int[] shape, boolean[] reduced) {
        int[] kept = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            kept[d] = reduced[d] ? 1 : shape[d];
        }
        int[] strides = Shapes.strides(kept);
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                strides[d] = 0;
            }
        }
        return project(shape, strides);
    }
}
