package dev.glassbox.engine.ops;

import dev.glassbox.engine.tensor.Tensor;

/**
 * Integer class indices (one per row) for the ops that select by label: validation with errors that name the row
 * and the value, and conversion from a tensor of indices stored as floats.
 */
final class ClassIndices {
    private ClassIndices() {}

    /**
     * Checks that there is one index per row and that each lies in [0, classes).
     *
     * @param indices (not modified)
     */
    static void check(String op, int[] indices, int rows, int classes) {
        if (indices == null) {
            throw new IllegalArgumentException(op + ": the class indices are null");
        }
        if (indices.length != rows) {
            throw new IllegalArgumentException(op + ": " + indices.length + " class indices for " + rows
                    + " rows; give exactly one index per row");
        }
        for (int r = 0; r < rows; r++) {
            if (indices[r] < 0 || indices[r] >= classes) {
                throw new IllegalArgumentException(op + ": the class index of row " + r + " is " + indices[r]
                        + ", but there are " + classes + " classes (valid: 0 .. " + (classes - 1) + ")");
            }
        }
    }

    /** The values of a tensor of class indices (any shape, read row-major) as ints; each must be a whole number. */
    static int[] of(String op, Tensor indices) {
        float[] values = indices.data();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v != Math.rint(v) || Math.abs(v) > (1 << 24)) {
                throw new IllegalArgumentException(op + ": class index " + i + " is " + v
                        + ", not a whole number; pass integer class labels");
            }
            out[i] = (int) v;
        }
        return out;
    }
}
