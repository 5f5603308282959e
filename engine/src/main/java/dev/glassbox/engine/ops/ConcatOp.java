package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.NaryFunction;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Concatenation along one axis: the inputs are placed one after the other along that axis; every other
 * dimension must agree. dL/dx_i = the slice of dL/dy that x_i filled. Saves each input's length along the axis.
 */
public final class ConcatOp extends NaryFunction {
    private final int axis;
    private int[][] shapes;
    private AxisLayout outLayout;

    public ConcatOp(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        int[] first = inputs[0].shape();
        int a = Shapes.axis("concat", axis, first.length);
        shapes = new int[inputs.length][];
        int total = 0;
        for (int t = 0; t < inputs.length; t++) {
            int[] s = inputs[t].shape();
            if (s.length != first.length) {
                throw new ShapeException("concat: tensor " + t + " has rank " + s.length + ", tensor 0 has rank "
                        + first.length, first, s);
            }
            for (int d = 0; d < s.length; d++) {
                if (d != a && s[d] != first[d]) {
                    throw new ShapeException("concat along axis " + a + ": tensor " + t + " has shape "
                            + Shapes.toString(s) + ", which differs from tensor 0's " + Shapes.toString(first)
                            + " in dimension " + d, first, s);
                }
            }
            shapes[t] = s;
            total += s[a];
        }
        int[] outShape = first.clone();
        outShape[a] = total;
        outLayout = AxisLayout.of("concat", outShape, a);
        float[] out = Workspace.floats(Shapes.size(outShape));
        int inner = outLayout.inner();
        int position = 0;
        for (int t = 0; t < inputs.length; t++) {
            int length = shapes[t][a];
            float[] in = inputs[t].data();
            for (int o = 0; o < outLayout.outer(); o++) {
                System.arraycopy(in, o * length * inner, out, (o * total + position) * inner, length * inner);
            }
            position += length;
        }
        return new Tensor(out, outShape);
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        int a = Shapes.axis("concat", axis, shapes[0].length);
        int inner = outLayout.inner();
        int total = outLayout.length();
        Tensor[] grads = new Tensor[shapes.length];
        int position = 0;
        for (int t = 0; t < shapes.length; t++) {
            int length = shapes[t][a];
            if (needsGrad(t)) {
                float[] gradInput = Workspace.floats(Shapes.size(shapes[t]));
                for (int o = 0; o < outLayout.outer(); o++) {
                    System.arraycopy(g, (o * total + position) * inner, gradInput, o * length * inner,
                            length * inner);
                }
                grads[t] = new Tensor(gradInput, shapes[t]);
            }
            position += length;
        }
        return grads;
    }
}
