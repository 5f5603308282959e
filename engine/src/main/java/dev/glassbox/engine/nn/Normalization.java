package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Input normalisation as a layer: y = (x - mean) / std, with constants (nothing is learned). Putting it inside
 * the model means a saved model carries its own preprocessing, so raw [0, 1] pixels work everywhere
 * (torchvision's {@code Normalize}, Keras' {@code Normalization} with fixed statistics).
 */
public final class Normalization extends Layer {
    private final float mean;
    private final float std;

    public Normalization(String name, float mean, float std) {
        super(name, "normalization");
        if (!(std > 0)) {
            throw new IllegalArgumentException("Normalization '" + name() + "': std must be positive, got " + std);
        }
        this.mean = mean;
        this.std = std;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return x.sub(mean).div(std);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("mean", mean);
        config.put("std", std);
        return config;
    }
}
