package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Maximum along one axis. y = max_a x[.., a, ..].
 * dL/dx = dL/dy at the position of the maximum, 0 elsewhere. Ties: the FIRST maximal element (lowest index)
 * gets the whole gradient, the rule max-pooling follows too. A NaN is the maximum (it propagates, as in PyTorch).
 * Saves the index of each maximum.
 */
public final class MaxOp extends UnaryFunction {
    private final int axis;
    private final boolean keepDims;
    private int[] inputShape;
    private int[] winners;

    public MaxOp(int axis, boolean keepDims) {
        this.axis = axis;
        this.keepDims = keepDims;
    }

    @Override
    protected Tensor forward(Tensor x) {
        inputShape = x.shape();
        AxisLayout layout = AxisLayout.of("max", inputShape, axis);
        winners = firstMaxima(x.data(), layout);
        float[] in = x.data();
        float[] out = Workspace.floats(winners.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = in[winners[i]];
        }
        return new Tensor(out, reducedShape(inputShape, layout, axis, keepDims));
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] gradInput = Workspace.floats(dev.glassbox.engine.tensor.Shapes.size(inputShape));
        for (int i = 0; i < winners.length; i++) {
            gradInput[winners[i]] += g[i];
        }
        return new Tensor[] {new Tensor(gradInput, inputShape)};
    }

    /** Index of the first maximum along {@code axis}, as float values in a tensor without that axis. */
    public static Tensor argmax(Tensor x, int axis) {
        int[] shape = x.shape();
        AxisLayout layout = AxisLayout.of("argmax", shape, axis);
        int[] winners = firstMaxima(x.data(), layout);
        float[] out = Workspace.floats(winners.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = (winners[i] / layout.inner()) % layout.length();
        }
        return new Tensor(out, reducedShape(shape, layout, axis, false));
    }

    /** For each (outer, inner) position, the flat index of the first maximal element along the axis. */
    private static int[] firstMaxima(float[] in, AxisLayout layout) {
        int n = layout.length();
        if (n == 0) {
            throw new IllegalArgumentException("max: the axis has length 0, so there is no maximum");
        }
        int inner = layout.inner();
        int[] winners = new int[layout.outer() * inner];
        for (int o = 0; o < layout.outer(); o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                int best = base;
                for (int a = 1; a < n; a++) {
                    int k = base + a * inner;
                    // Strictly greater: a tie keeps the first; a NaN wins once and then stays.
                    if (in[k] > in[best] || (Float.isNaN(in[k]) && !Float.isNaN(in[best]))) {
                        best = k;
                    }
                }
                winners[o * inner + i] = best;
            }
        }
        return winners;
    }

    private static int[] reducedShape(int[] shape, AxisLayout layout, int axis, boolean keepDims) {
        int a = dev.glassbox.engine.tensor.Shapes.axis("max", axis, shape.length);
        int[] out = new int[keepDims ? shape.length : shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) {
            if (d == a) {
                if (keepDims) {
                    out[k++] = 1;
                }
            } else {
                out[k++] = shape[d];
            }
        }
        return out;
    }

    @Override
    protected void releaseSaved() {
        winners = null;
    }
}
