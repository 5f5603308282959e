package dev.glassbox.engine.ops;

import dev.glassbox.engine.kernels.IndexMaps;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
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

    /**
     * The common case of a bias or a scalar: a is full-size and b's shape is a trailing part of it (leading 1s
     * aside), so b is read at {@code i % period}. Returns that period (b's size), or -1 when the case does not
     * apply. Ops use it to avoid index maps in their hottest loops.
     */
    int periodOfB() {
        return trailingPeriod(shapeA, shapeB);
    }

    /** As {@link #periodOfB()} with the roles swapped: b is full-size, a repeats. */
    int periodOfA() {
        return trailingPeriod(shapeB, shapeA);
    }

    private int trailingPeriod(int[] full, int[] small) {
        if (!Arrays.equals(full, shape)) {
            return -1;
        }
        int s = 0;
        while (s < small.length && small[s] == 1 && small.length - s > 0) {
            s++;
        }
        int kept = small.length - s;
        if (kept > full.length) {
            return -1;
        }
        for (int d = 0; d < kept; d++) {
            if (small[s + d] != full[full.length - kept + d]) {
                return -1;
            }
        }
        return Shapes.size(small);
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
        if (Arrays.equals(shapeA, shape)) {
            return gradOutput;
        }
        int period = periodOfA();
        return period > 0 ? reducePeriodic(gradOutput, shapeA, period) : reduce(gradOutput, shapeA, mapA());
    }

    /** Sums an output-shaped gradient back to operand b's shape. */
    Tensor reduceToB(Tensor gradOutput) {
        if (Arrays.equals(shapeB, shape)) {
            return gradOutput;
        }
        int period = periodOfB();
        return period > 0 ? reducePeriodic(gradOutput, shapeB, period) : reduce(gradOutput, shapeB, mapB());
    }

    /** Column sums of the gradient seen as [rows, period] (a bias gradient), accumulated in double. */
    private static Tensor reducePeriodic(Tensor gradOutput, int[] target, int period) {
        float[] g = gradOutput.data();
        double[] sums = new double[period];
        for (int start = 0; start < g.length; start += period) {
            for (int j = 0; j < period; j++) {
                sums[j] += g[start + j];
            }
        }
        float[] out = Workspace.floats(period);
        for (int j = 0; j < period; j++) {
            out[j] = (float) sums[j];
        }
        return new Tensor(out, target);
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
        float[] out = Workspace.floats(sums.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) sums[i];
        }
        return new Tensor(out, target);
    }
}
