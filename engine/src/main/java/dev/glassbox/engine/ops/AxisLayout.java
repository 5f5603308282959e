package dev.glassbox.engine.ops;

import dev.glassbox.engine.tensor.Shapes;

/**
 * A tensor seen as [outer, axis, inner] around one axis: element (o, a, i) is at {@code (o*axis + a)*inner + i}.
 * Softmax, max and concatenation work along one axis and use this to stay rank-agnostic.
 */
record AxisLayout(int outer, int length, int inner) {

    static AxisLayout of(String op, int[] shape, int axis) {
        int a = Shapes.axis(op, axis, shape.length);
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return new AxisLayout(outer, shape[a], inner);
    }
}
