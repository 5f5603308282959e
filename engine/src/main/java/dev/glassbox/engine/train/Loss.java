package dev.glassbox.engine.train;

import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.tensor.Tensor;

/** A training objective: the model's output for a batch and the batch's labels → a scalar to minimise. */
@FunctionalInterface
public interface Loss {
    Tensor compute(Tensor output, int[] labels);

    /** Cross-entropy on logits (PyTorch's {@code nn.CrossEntropyLoss}). */
    static Loss crossEntropy() {
        return Losses::crossEntropy;
    }

    /** Negative log-likelihood on log-probabilities (a model ending in log-softmax; PyTorch's {@code nll_loss}). */
    static Loss nll() {
        return Losses::nll;
    }

    /** Keras' categorical cross-entropy on probabilities (a model ending in softmax), with one-hot labels. */
    static Loss categoricalCrossEntropy() {
        return (output, labels) -> Losses.categoricalCrossEntropy(output, Losses.oneHot(labels, output.dim(-1)));
    }

    /** Mean squared error against one-hot labels. */
    static Loss mseOneHot() {
        return (output, labels) -> Losses.mse(output, Losses.oneHot(labels, output.dim(-1)));
    }

    /** Looks a loss up by name: cross_entropy, nll, categorical_crossentropy, mse. */
    static Loss byName(String name) {
        return switch (name) {
            case "cross_entropy", "crossentropy", "sparse_categorical_crossentropy_logits" -> crossEntropy();
            case "nll" -> nll();
            case "categorical_crossentropy" -> categoricalCrossEntropy();
            case "mse" -> mseOneHot();
            default -> throw new IllegalArgumentException("unknown loss '" + name
                    + "'; known: cross_entropy, nll, categorical_crossentropy, mse");
        };
    }
}
