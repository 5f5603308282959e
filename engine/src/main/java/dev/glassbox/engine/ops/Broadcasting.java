package dev.glassbox.engine.ops;

import dev.glassbox.engine.kernels.IndexMaps;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * The broadcast of two operands of an element-wise op, and the way back for their gradients.
 *
 * <p>Forward reads {@code a[mapA[i]]} and {@code b[mapB[i]]} for each output element i. Backward is the
 * transpose of that read: an operand that was read several times (broadcast) receives the sum of the gradients
 * of every output element that read it.
 */
final class Broadcasting {
    private final int[] shapeA;
    private final int[] shapeB;
    private final int[] shape;
    private int[] mapA;
    private int[] mapB;

    Broadcasting(String op, Tensor a, Tensor b) {
        this.shapeA = a.shape();
        this.shapeB = b.shape();
        this.shape = Shapes.broadcast(op, shapeA, shapeB);
    }

    int[] shape() {
        return shape.clone();
    }

    int size() {
        return Shapes.size(shape);
    }

    /** True when no operand is broadcast, so element i of each is read at i. */
    boolean sameShapes() {
        return Arrays.equals(shapeA, shapeB);
    }

    int[] mapA() {
        if (mapA == null) {
            mapA = IndexMaps.broadcast(shapeA, shape);
        }
        return mapA;
    }

    int[] mapB() {
        if (mapB == null) {
            mapB = IndexMaps.broadcast(shapeB, shape);
        }
        return mapB;
    }

    /** Sums an output-shaped gradient back to operand a's shape. */
    Tensor reduceToA(Tensor gradOutput) {
        return reduce(gradOutput, shapeA, Arrays.equals(shapeA, shape) ? null : mapA());
    }

    /** Sums an output-shaped gradient back to operand b's shape. */
    Tensor reduceToB(Tensor gradOutput) {
        return reduce(gradOutput, shapeB, Arrays.equals(shapeB, shape) ? null : mapB());
    }

    private static Tensor reduce(Tensor gradOutput, int[] target, int[] map) {
        if (map == null) {
            return gradOutput;
        }
        float[] g = gradOutput.data();
        double[] sums = new double[Shapes.size(target)];
        for (int i = 0; i < g.length; i++) {
            sums[map[i]] += g[i];
        }
        float[] out = new float[sums.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) sums[i];
        }
        return new Tensor(out, target);
    }
}
