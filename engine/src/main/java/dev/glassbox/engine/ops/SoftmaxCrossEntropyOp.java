package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;

/**
 * Softmax cross-entropy with integer class targets, mean over the batch:
 * L = (1/N) Σ_n -log softmax(z)[n, t_n] = (1/N) Σ_n (m_n + ln Σ_c e^(z[n,c] - m_n) - z[n, t_n]),  m_n = max_c z[n,c].
 *   logits z [N, C], targets t [N] (each in [0, C)) → L, a scalar (shape [])
 * dL/dz[n,c] = (softmax(z)[n,c] - [c == t_n]) / N.
 *
 * <p>A fused op, for numerical stability: the composition -mean(pick(log(softmax(z)), t)) gives +inf once a
 * probability underflows to 0 (a logit 1e4 above the target's), whereas this form never takes the log of a
 * probability, so L stays exact (9997 for a target logit of 3 against a rival of 1e4) and the gradient is a plain
 * difference of bounded numbers. Sums run in double. Saves the softmax probabilities: the gradient is built
 * from them.
 */
public final class SoftmaxCrossEntropyOp extends UnaryFunction {
    private final int[] targets;
    private float[] probabilities;
    private int[] logitsShape;

    /** @param targets (not modified) the class index of each row */
    public SoftmaxCrossEntropyOp(int[] targets) {
        this.targets = targets == null ? null : targets.clone();
    }

    /** Mean cross-entropy of logits [N, C] against class indices (one per row). */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return new SoftmaxCrossEntropyOp(targets).apply(logits);
    }

    /** The same, with the targets as a tensor of whole numbers (e.g. labels read from a file). */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, ClassIndices.of("crossEntropy", targets));
    }

    @Override
    protected Tensor forward(Tensor logits) {
        logitsShape = logits.shape();
        if (logitsShape.length != 2 || logitsShape[0] == 0 || logitsShape[1] == 0) {
            throw new ShapeException("crossEntropy expects logits [batch, classes] with at least one row and one"
                    + " class, got " + Shapes.toString(logitsShape), logitsShape);
        }
        int rows = logitsShape[0];
        int classes = logitsShape[1];
        ClassIndices.check("crossEntropy (logits " + Shapes.toString(logitsShape) + ")", targets, rows, classes);
        float[] z = logits.data();
        probabilities = Workspace.floats(z.length);
        double total = 0;
        for (int n = 0; n < rows; n++) {
            int base = n * classes;
            // 1. The row maximum: every exponent below is ≤ 0, so nothing overflows.
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[base + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp((double) z[base + c] - max);
            }
            // 2. log Σ e^z = m + ln Σ e^(z - m); the loss of the row subtracts the target's logit (no log of a p).
            double logSum = max + Math.log(sum);
            total += logSum - z[base + targets[n]];
            // 3. Probabilities for backward; an underflowing one is exactly 0.
            for (int c = 0; c < classes; c++) {
                probabilities[base + c] = (float) Math.exp(z[base + c] - logSum);
            }
        }
        return new Tensor(new float[] {(float) (total / rows)});
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {                  // a scalar
        int rows = logitsShape[0];
        int classes = logitsShape[1];
        double scale = (double) gradOutput.item() / rows;
        float[] gradInput = Workspace.floats(probabilities.length);
        for (int n = 0; n < rows; n++) {
            for (int c = 0; c < classes; c++) {
                int k = n * classes + c;
                double onehot = c == targets[n] ? 1 : 0;
                gradInput[k] = (float) ((probabilities[k] - onehot) * scale);
            }
        }
        return new Tensor[] {new Tensor(gradInput, logitsShape)};
    }

    @Override
    protected void releaseSaved() {
        probabilities = null;
    }
}
