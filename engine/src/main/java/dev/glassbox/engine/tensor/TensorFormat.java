package dev.glassbox.engine.tensor;

import java.util.Arrays;

/** Prints a tensor NumPy-style: shape first, then nested brackets, with the middle elided for large dimensions. */
final class TensorFormat {
    /** Dimensions longer than this print their first and last {@link #EDGE_ITEMS} entries only. */
    private static final int MAX_ITEMS = 10;
    private static final int EDGE_ITEMS = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        StringBuilder out = new StringBuilder("Tensor").append(Arrays.toString(t.shape()));
        if (t.creator() != null) {
            out.append(" grad_fn=").append(t.creator().name());
        } else if (t.requiresGrad()) {
            out.append(" requiresGrad");
        }
        out.append('\n');
        append(out, t.data(), t.shape(), 0, 0, Shapes.strides(t.shape()));
        return out.toString();
    }

    private static void append(StringBuilder out, float[] data, int[] shape, int axis, int offset, int[] strides) {
        if (axis == shape.length) {
            out.append(formatValue(data[offset]));
            return;
        }
        out.append('[');
        int n = shape[axis];
        for (int i = 0; i < n; i++) {
            if (n > MAX_ITEMS && i == EDGE_ITEMS) {
                out.append("..., ");
                i = n - EDGE_ITEMS;
            }
            append(out, data, shape, axis + 1, offset + i * strides[axis], strides);
            if (i < n - 1) {
                out.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
            }
        }
        out.append(']');
    }

    private static String formatValue(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7f) {
            return Integer.toString((int) v) + ".";
        }
        return String.format("%.6g", v);
    }
}
