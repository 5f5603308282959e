package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * Fills a fresh parameter with starting values. Keras' and PyTorch's defaults differ, and both are here
 * ({@link Initializers}); the fans are passed in because only the layer knows which axes are inputs.
 */
@FunctionalInterface
public interface Initializer {
    /**
     * @param tensor (modified) the parameter to fill
     * @param fanIn inputs feeding each output unit (Dense: in; Conv2D: in · kh · kw)
     * @param fanOut outputs each input feeds (Dense: out; Conv2D: out · kh · kw)
     */
    void initialize(Tensor tensor, int fanIn, int fanOut, RandomGenerator random);
}
