package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Slice along one axis: y = x[…, start:end, …] (end exclusive). dL/dx = dL/dy placed back at [start, end),
 * zero elsewhere. Copies. Saves the input shape only.
 */
public final class SliceOp extends UnaryFunction {
    private final int axis;
    private final int start;
    private final int end;
    private int[] inputShape;
    private AxisLayout layout;

    public SliceOp(int axis, int start, int end) {
        this.axis = axis;
        this.start = start;
        this.end = end;
    }

    @Override
    protected Tensor forward(Tensor x) {
        inputShape = x.shape();
        layout = AxisLayout.of("slice", inputShape, axis);
        if (start < 0 || end > layout.length() || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") does not fit axis " + axis
                    + " of size " + layout.length() + " in shape " + Shapes.toString(inputShape));
        }
        int[] outShape = inputShape.clone();
        outShape[Shapes.axis("slice", axis, inputShape.length)] = end - start;
        float[] out = Workspace.floats(Shapes.size(outShape));
        copyBlocks(x.data(), layout.length(), start, out, end - start, 0, end - start);
        return new Tensor(out, outShape);
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] gradInput = Workspace.floats(Shapes.size(inputShape));
        copyBlocks(gradOutput.data(), end - start, 0, gradInput, layout.length(), start, end - start);
        return new Tensor[] {new Tensor(gradInput, inputShape)};
    }

    /** Copies {@code count} positions along the axis from one [outer, length, inner] array to another. */
    private void copyBlocks(float[] from, int fromLength, int fromStart, float[] to, int toLength, int toStart,
            int count) {
        int inner = layout.inner();
        for (int o = 0; o < layout.outer(); o++) {
            System.arraycopy(from, (o * fromLength + fromStart) * inner, to, (o * toLength + toStart) * inner,
                    count * inner);
        }
    }
}
