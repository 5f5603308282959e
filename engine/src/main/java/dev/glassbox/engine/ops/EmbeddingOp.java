package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.Arrays;

/**
 * Embedding lookup (a gather of table rows): y[..., :] = table[index[...], :].   indices [...] (whole numbers,
 * held as an int array, not differentiable), table [V, D] → y [..., D].
 * dL/dtable[v, :] = Σ over the positions p with index[p] = v of dL/dy[p, :] (a scatter-add: a row used twice gets
 * both gradients; a row never used gets zero). Saves the indices and the table's shape.
 */
public final class EmbeddingOp extends UnaryFunction {
    private final int[] indices;
    private final int[] indexShape;
    private int[] tableShape;

    /**
     * @param indices (not modified) the rows to gather, row-major over {@code indexShape}
     * @param indexShape the shape of the index tensor (the output is this shape plus D)
     */
    public EmbeddingOp(int[] indices, int[] indexShape) {
        this.indices = indices.clone();
        this.indexShape = indexShape.clone();
    }

    /** Looks up the rows named by {@code indices}, a tensor of whole numbers in [0, V). */
    public static Tensor embed(Tensor indices, Tensor table) {
        float[] values = indices.data();
        int[] rows = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            rows[i] = (int) values[i];
            if (rows[i] != values[i]) {
                throw new IllegalArgumentException("Embedding: index " + values[i] + " at position " + i
                        + " is not a whole number");
            }
        }
        return new EmbeddingOp(rows, indices.shape()).apply(table);
    }

    @Override
    protected Tensor forward(Tensor table) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException("Embedding expects a table [rows, dims], got "
                    + Arrays.toString(table.shape()));
        }
        tableShape = table.shape();
        int rows = table.dim(0), dims = table.dim(1);
        float[] t = table.data();
        float[] y = Workspace.floats(indices.length * dims);
        for (int p = 0; p < indices.length; p++) {
            int v = indices[p];
            if (v < 0 || v >= rows) {
                throw new IllegalArgumentException("Embedding: index " + v + " at position " + p
                        + " is outside the table's " + rows + " rows");
            }
            System.arraycopy(t, v * dims, y, p * dims, dims);
        }
        int[] shape = Arrays.copyOf(indexShape, indexShape.length + 1);
        shape[indexShape.length] = dims;
        return new Tensor(y, shape);
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        int dims = tableShape[1];
        float[] g = gradOutput.data();
        float[] gradTable = Workspace.floats(tableShape[0] * dims);
        for (int p = 0; p < indices.length; p++) {
            int row = indices[p] * dims;
            for (int d = 0; d < dims; d++) {
                gradTable[row + d] += g[p * dims + d];
            }
        }
        return new Tensor[] {new Tensor(gradTable, tableShape)};
    }
}
