package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;

/**
 * y = x · scale + offset with constants (Keras' {@code Rescaling}, e.g. scale 1/255 to bring raw pixels to
 * [0, 1]), written as Keras computes it so an imported model gives Keras' numbers.
 */
public final class Rescaling extends ConstantAffine {
    public Rescaling(String name, float scale, float offset) {
        super(name, "rescaling", "scale", scale, "offset", offset);
    }

    @Override
    protected Tensor forward(Tensor x) {
        return x.mul(first).add(second);
    }
}
