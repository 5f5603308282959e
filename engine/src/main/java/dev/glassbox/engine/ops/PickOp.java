package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.Arrays;

/**
 * Pick one element per row along the last axis: y[r] = x[r, index[r]].   x [..., C] → y [...]
 * (a row is one position of the leading dimensions, read row-major; for x [N, C] there are N rows).
 * dL/dx[r, c] = dL/dy[r] where c = index[r], and 0 elsewhere: the gradient flows only into the picked element.
 * The indices are not differentiable. The building block of the negative log-likelihood on log-probabilities,
 * {@code nll = -mean(pick(logp, t))} (see {@link #nllLoss}). Saves the input shape and the indices.
 */
public final class PickOp extends UnaryFunction {
    private final int[] indices;
    private int[] inputShape;

    /** @param indices (not modified) one class index per row */
    public PickOp(int[] indices) {
        this.indices = indices == null ? null : indices.clone();
    }

    /** y[r] = x[r, indices[r]] along the last axis. */
    public static Tensor pick(Tensor x, int[] indices) {
        return new PickOp(indices).apply(x);
    }

    /** The same, with the indices given as a tensor of whole numbers (e.g. labels read from a file). */
    public static Tensor pick(Tensor x, Tensor indices) {
        return pick(x, ClassIndices.of("pick", indices));
    }

    /** Negative log-likelihood, mean over rows: -mean_r logProbabilities[r, targets[r]] (a scalar). */
    public static Tensor nllLoss(Tensor logProbabilities, int[] targets) {
        return pick(logProbabilities, targets).mean().neg();
    }

    @Override
    protected Tensor forward(Tensor x) {
        inputShape = x.shape();
        if (inputShape.length == 0) {
            throw new ShapeException("pick needs a tensor with a class axis, got a scalar", inputShape);
        }
        int classes = inputShape[inputShape.length - 1];
        int rows = Shapes.size(Arrays.copyOf(inputShape, inputShape.length - 1));
        ClassIndices.check("pick (input shape " + Shapes.toString(inputShape) + ")", indices, rows, classes);
        float[] in = x.data();
        float[] out = Workspace.floats(rows);
        for (int r = 0; r < rows; r++) {
            out[r] = in[r * classes + indices[r]];
        }
        return new Tensor(out, Arrays.copyOf(inputShape, inputShape.length - 1));
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        int classes = inputShape[inputShape.length - 1];
        float[] gradInput = Workspace.floats(Shapes.size(inputShape));
        for (int r = 0; r < g.length; r++) {
            gradInput[r * classes + indices[r]] = g[r];
        }
        return new Tensor[] {new Tensor(gradInput, inputShape)};
    }
}
