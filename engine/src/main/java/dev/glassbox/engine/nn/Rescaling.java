package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * y = x · scale + offset with constants (Keras' {@code Rescaling}, e.g. scale 1/255 to bring raw pixels to
 * [0, 1]), written as Keras computes it so an imported model gives Keras' numbers.
 */
public final class Rescaling extends Layer {
    private final float scale;
    private final float offset;

    public Rescaling(String name, float scale, float offset) {
        super(name, "rescaling");
        if (!Float.isFinite(scale) || !Float.isFinite(offset)) {
            throw new IllegalArgumentException("Rescaling '" + name() + "': scale and offset must be finite, got "
                    + scale + " and " + offset);
        }
        this.scale = scale;
        this.offset = offset;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return x.mul(scale).add(offset);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("scale", scale);
        config.put("offset", offset);
        return config;
    }
}
