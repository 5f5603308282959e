package dev.glassbox.engine.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer that maps its input through two fixed constants (nothing is learned), saved under the names its
 * framework gives them: {@link Normalization} (mean, std) and {@link Rescaling} (scale, offset).
 */
abstract class ConstantAffine extends Layer {
    private final String firstKey;
    private final String secondKey;
    protected final float first;
    protected final float second;

    ConstantAffine(String name, String type, String firstKey, float first, String secondKey, float second) {
        super(name, type);
        if (!Float.isFinite(first) || !Float.isFinite(second)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " '" + name() + "': " + firstKey
                    + " and " + secondKey + " must be finite, got " + first + " and " + second);
        }
        this.firstKey = firstKey;
        this.secondKey = secondKey;
        this.first = first;
        this.second = second;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(firstKey, first);
        config.put(secondKey, second);
        return config;
    }
}
