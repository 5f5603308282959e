package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.kernels.IndexMaps;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.Arrays;

/**
 * Constant padding: along each axis d, {@code before[d]} and {@code after[d]} elements of {@code value} surround x.
 *   y[i₀ + before₀, i₁ + before₁, …] = x[i₀, i₁, …], y = value elsewhere
 *   shape_d(y) = before_d + shape_d(x) + after_d
 *   dL/dx = dL/dy at the same positions (the padding receives gradient but passes none back).
 * Saves, for each row of x (all axes but the last), the offset where it starts in y; backward gathers from there.
 */
public final class PadOp extends UnaryFunction {
    private final int[] before;
    private final int[] after;
    private final float value;
    private int[] inputShape;
    private int[] rowStarts;

    /** @param before (not modified) @param after (not modified) one non-negative amount per axis of the input */
    public PadOp(int[] before, int[] after, float value) {
        if (before.length != after.length || Arrays.stream(before).anyMatch(v -> v < 0)
                || Arrays.stream(after).anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException("pad: before " + Arrays.toString(before) + " and after "
                    + Arrays.toString(after) + " must have one non-negative amount per axis each");
        }
        this.before = before.clone();
        this.after = after.clone();
        this.value = value;
    }

    /** Zero padding of the spatial plane of an NCHW tensor, one amount per side. */
    public static Tensor pad2d(Tensor x, Padding2D p) {
        return new PadOp(new int[] {0, 0, p.top(), p.left()}, new int[] {0, 0, p.bottom(), p.right()}, 0f).apply(x);
    }

    /** Zero padding, {@code before[d]} / {@code after[d]} elements along each axis d. */
    public static Tensor pad(Tensor x, int[] before, int[] after) {
        return new PadOp(before, after, 0f).apply(x);
    }

    @Override
    protected Tensor forward(Tensor x) {
        inputShape = x.shape();
        int rank = inputShape.length;
        if (rank != before.length || rank == 0) {
            throw new ShapeException("pad: " + before.length + " padding amounts for an input of shape "
                    + Shapes.toString(inputShape) + "; give one per axis", inputShape);
        }
        int[] outShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            outShape[d] = before[d] + inputShape[d] + after[d];
        }
        // Row r of x (a position over the leading axes) starts at Σ_d (coord_d + before_d) · stride_d of y.
        int[] outStrides = Shapes.strides(outShape);
        int base = 0;
        for (int d = 0; d < rank; d++) {
            base += before[d] * outStrides[d];
        }
        rowStarts = IndexMaps.project(Arrays.copyOf(inputShape, rank - 1), Arrays.copyOf(outStrides, rank - 1));
        float[] out = Workspace.floats(Shapes.size(outShape));
        Arrays.fill(out, value);
        int row = inputShape[rank - 1];
        for (int r = 0; r < rowStarts.length; r++) {
            rowStarts[r] += base;
            System.arraycopy(x.data(), r * row, out, rowStarts[r], row);
        }
        return new Tensor(out, outShape);
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        int row = inputShape[inputShape.length - 1];
        float[] gradInput = Workspace.floats(Shapes.size(inputShape));
        for (int r = 0; r < rowStarts.length; r++) {
            System.arraycopy(gradOutput.data(), rowStarts[r], gradInput, r * row, row);
        }
        return new Tensor[] {new Tensor(gradInput, inputShape)};
    }
}
