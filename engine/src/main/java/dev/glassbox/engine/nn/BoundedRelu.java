package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras' {@code ReLU} layer: a rectifier with an optional ceiling and a slope below zero,
 * y = min(x, maxValue) for x ≥ 0 and y = negativeSlope · x below. {@code maxValue = 6} is MobileNet's ReLU6.
 * Keras' {@code threshold} (a shifted kink) is accepted only at its default, 0.
 */
public final class BoundedRelu extends Layer {
    private final float maxValue;
    private final float negativeSlope;

    /**
     * @param maxValue the ceiling (+∞ for none)
     * @param negativeSlope the slope below zero (0: plain relu)
     * @param threshold must be 0
     */
    public BoundedRelu(String name, float maxValue, float negativeSlope, float threshold) {
        super(name, "re_lu");
        if (threshold != 0) {
            throw new IllegalArgumentException("ReLU '" + name() + "': threshold " + threshold
                    + " is not supported (only 0)");
        }
        if (!(maxValue > 0)) {
            throw new IllegalArgumentException("ReLU '" + name() + "': max_value must be positive, got " + maxValue);
        }
        this.maxValue = maxValue;
        this.negativeSlope = negativeSlope;
    }

    @Override
    protected Tensor forward(Tensor x) {
        Tensor y = negativeSlope == 0 ? x.relu() : x.leakyRelu(negativeSlope);
        return maxValue == Float.POSITIVE_INFINITY ? y : y.clamp(Float.NEGATIVE_INFINITY, maxValue);
    }

    @Override
    public String type() {
        return "ReLU";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (maxValue != Float.POSITIVE_INFINITY) {
            config.put("max_value", maxValue);                              // JSON has no infinity
        }
        config.put("negative_slope", negativeSlope);
        return config;
    }
}
