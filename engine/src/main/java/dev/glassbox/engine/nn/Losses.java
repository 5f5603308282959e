package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.PickOp;
import dev.glassbox.engine.ops.SoftmaxCrossEntropyOp;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;

/**
 * Loss functions, composed from differentiable ops so that their gradients come from the ops' backward passes.
 * Each returns a scalar; {@link Reduction#MEAN} averages over the batch (PyTorch's and Keras' default),
 * {@link Reduction#SUM} adds.
 */
public final class Losses {
    /** Keras' epsilon: probabilities are clipped to [ε, 1 - ε] before their logarithm is taken. */
    public static final float KERAS_EPSILON = 1e-7f;

    /** How per-example losses become one number. */
    public enum Reduction { MEAN, SUM }

    private Losses() {}

    /** Mean squared error: mean over all elements of (prediction - target)². */
    public static Tensor mse(Tensor prediction, Tensor target) {
        requireSameShape("mse", prediction, target);
        Tensor diff = prediction.sub(target);
        return diff.mul(diff).mean();
    }

    /**
     * Cross-entropy from logits [batch, classes] and class indices: -log softmax(z)[n, tₙ], reduced.
     * Computed through log-softmax (the mean through the fused {@link SoftmaxCrossEntropyOp}), so extreme logits
     * neither overflow nor give log(0).
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, Reduction reduction) {
        if (reduction == Reduction.MEAN) {
            return SoftmaxCrossEntropyOp.crossEntropy(logits, targets);
        }
        return nll(logits.logSoftmax(-1), targets, reduction);
    }

    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return crossEntropy(logits, targets, Reduction.MEAN);
    }

    /** Negative log-likelihood of log-probabilities [batch, classes] at the target classes: -logp[n, tₙ]. */
    public static Tensor nll(Tensor logProbabilities, int[] targets, Reduction reduction) {
        return reduce(PickOp.pick(logProbabilities, targets).neg(), reduction);
    }

    public static Tensor nll(Tensor logProbabilities, int[] targets) {
        return nll(logProbabilities, targets, Reduction.MEAN);
    }

    /**
     * Keras' categorical cross-entropy on probabilities [batch, classes] and one-hot (or soft) targets:
     * p is renormalised to sum 1, clipped to [1e-7, 1 - 1e-7], and L = -Σ y log p per example.
     * The clipping means no gradient flows where a probability is clipped — as in Keras.
     */
    public static Tensor categoricalCrossEntropy(Tensor probabilities, Tensor targets, Reduction reduction) {
        requireSameShape("categoricalCrossEntropy", probabilities, targets);
        Tensor p = probabilities.div(probabilities.sum(true, -1)).clamp(KERAS_EPSILON, 1f - KERAS_EPSILON);
        return reduce(targets.mul(p.log()).sum(false, -1).neg(), reduction);
    }

    public static Tensor categoricalCrossEntropy(Tensor probabilities, Tensor targets) {
        return categoricalCrossEntropy(probabilities, targets, Reduction.MEAN);
    }

    /** Binary cross-entropy on probabilities: -(y log p + (1 - y) log(1 - p)), p clipped as Keras does. */
    public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor targets, Reduction reduction) {
        requireSameShape("binaryCrossEntropy", probabilities, targets);
        Tensor p = probabilities.clamp(KERAS_EPSILON, 1f - KERAS_EPSILON);
        Tensor positive = targets.mul(p.log());
        Tensor negative = targets.neg().add(1f).mul(p.neg().add(1f).log());
        Tensor perElement = positive.add(negative).neg();
        return reduction == Reduction.MEAN ? perElement.mean() : perElement.sum();
    }

    /** One-hot rows [n, classes] for integer labels, checked against the class count of {@code like}. */
    static Tensor oneHot(String loss, int[] targets, Tensor like) {
        if (like.rank() != 2 || like.dim(0) != targets.length) {
            throw new ShapeException(loss + " expects [batch, classes] with batch = " + targets.length
                    + " targets, got shape " + Shapes.toString(like.shape()), new int[] {targets.length, -1},
                    like.shape());
        }
        return oneHot(targets, like.dim(1));
    }

    /** One-hot rows [n, classes] for integer labels. */
    public static Tensor oneHot(int[] labels, int classes) {
        float[] data = new float[labels.length * classes];
        for (int n = 0; n < labels.length; n++) {
            if (labels[n] < 0 || labels[n] >= classes) {
                throw new IllegalArgumentException("label " + labels[n] + " at row " + n + " is outside [0, "
                        + classes + ")");
            }
            data[n * classes + labels[n]] = 1f;
        }
        return Tensors.of(data, labels.length, classes);
    }

    private static Tensor reduce(Tensor perExample, Reduction reduction) {
        return reduction == Reduction.MEAN ? perExample.mean() : perExample.sum();
    }

    private static void requireSameShape(String loss, Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new ShapeException(loss + ": prediction shape " + Shapes.toString(a.shape())
                    + " differs from target shape " + Shapes.toString(b.shape()), a.shape(), b.shape());
        }
    }
}
