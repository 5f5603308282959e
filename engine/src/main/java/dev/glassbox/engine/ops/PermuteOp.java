package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.kernels.IndexMaps;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Permutation of dimensions: output dimension i is input dimension order[i] (a transpose is the permutation that
 * swaps two). y[j₀, …] = x[the same coordinates, reordered]. dL/dx = dL/dy permuted back by the inverse order.
 * Copies into fresh row-major storage. Saves the order only.
 */
public final class PermuteOp extends UnaryFunction {
    private final int[] order;

    public PermuteOp(int... order) {
        this.order = order.clone();
    }

    /** The order that swaps two axes of a tensor of the given rank. */
    public static int[] swap(int rank, int axis0, int axis1) {
        int a = Shapes.axis("transpose", axis0, rank);
        int b = Shapes.axis("transpose", axis1, rank);
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        order[a] = b;
        order[b] = a;
        return order;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return permute(x, order);
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[Shapes.axis("permute", order[i], order.length)] = i;   // order may count from the end
        }
        return new Tensor[] {permute(gradOutput, inverse)};
    }

    private static Tensor permute(Tensor x, int[] order) {
        int[] shape = x.shape();
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: order " + java.util.Arrays.toString(order) + " has "
                    + order.length + " axes for a tensor of rank " + shape.length);
        }
        boolean[] seen = new boolean[order.length];
        int[] outShape = new int[order.length];
        int[] inStrides = Shapes.strides(shape);
        int[] readStrides = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shapes.axis("permute", order[i], shape.length);
            if (seen[a]) {
                throw new IllegalArgumentException("permute: axis " + a + " appears twice in "
                        + java.util.Arrays.toString(order));
            }
            seen[a] = true;
            outShape[i] = shape[a];
            readStrides[i] = inStrides[a];
        }
        // Walking the output in row-major order, the input offset advances by the permuted strides.
        int[] source = IndexMaps.project(outShape, readStrides);
        float[] in = x.data();
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = in[source[i]];
        }
        return new Tensor(out, outShape);
    }
}
