package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.kernels.IndexMaps;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Sum over some axes (all axes when none are given). y[kept] = Σ over the reduced axes of x.
 * dL/dx = dL/dy broadcast back over the reduced axes: every summed element gets the gradient of its sum.
 * Accumulates in double. Saves the index map from each input element to its sum.
 */
public final class SumOp extends UnaryFunction {
    private final int[] axes;
    private final boolean keepDims;
    private int[] inputShape;
    private int[] map;

    /** @param axes the axes to sum over, negative counting from the end; null or empty means all */
    public SumOp(int[] axes, boolean keepDims) {
        this.axes = axes == null ? new int[0] : axes.clone();
        this.keepDims = keepDims;
    }

    @Override
    protected Tensor forward(Tensor x) {
        inputShape = x.shape();
        boolean[] reduced = new boolean[inputShape.length];
        if (axes.length == 0) {
            java.util.Arrays.fill(reduced, true);
        }
        for (int axis : axes) {
            int a = Shapes.axis("sum", axis, inputShape.length);
            if (reduced[a]) {
                throw new IllegalArgumentException("sum: axis " + axis + " is listed twice");
            }
            reduced[a] = true;
        }
        map = IndexMaps.reduction(inputShape, reduced);
        float[] in = x.data();
        int[] outShape = outputShape(reduced);
        double[] sums = new double[Shapes.size(outShape)];
        for (int i = 0; i < in.length; i++) {
            sums[map[i]] += in[i];
        }
        float[] out = Workspace.floats(sums.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) sums[i];
        }
        return new Tensor(out, outShape);
    }

    private int[] outputShape(boolean[] reduced) {
        int count = 0;
        for (int d = 0; d < inputShape.length; d++) {
            if (keepDims || !reduced[d]) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int d = 0; d < inputShape.length; d++) {
            if (keepDims) {
                out[k++] = reduced[d] ? 1 : inputShape[d];
            } else if (!reduced[d]) {
                out[k++] = inputShape[d];
            }
        }
        return out;
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] gradInput = Workspace.floats(map.length);
        for (int i = 0; i < gradInput.length; i++) {
            gradInput[i] = g[map[i]];
        }
        return new Tensor[] {new Tensor(gradInput, inputShape)};
    }

    @Override
    protected void releaseSaved() {
        map = null;
    }
}
