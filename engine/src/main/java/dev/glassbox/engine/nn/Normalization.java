package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;

/**
 * Input normalisation as a layer: y = (x - mean) / std, with constants (nothing is learned). Putting it inside
 * the model means a saved model carries its own preprocessing, so raw [0, 1] pixels work everywhere
 * (torchvision's {@code Normalize}, Keras' {@code Normalization} with fixed statistics).
 */
public final class Normalization extends ConstantAffine {
    public Normalization(String name, float mean, float std) {
        super(name, "normalization", "mean", mean, "std", std);
        if (!(std > 0)) {
            throw new IllegalArgumentException("Normalization '" + name() + "': std must be positive, got " + std);
        }
    }

    @Override
    protected Tensor forward(Tensor x) {
        return x.sub(first).div(second);
    }
}
