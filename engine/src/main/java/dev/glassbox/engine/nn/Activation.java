package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** A layer that only applies an activation function (Keras' {@code Activation}, PyTorch's {@code nn.ReLU} ...). */
public final class Activation extends Layer {
    private final String function;
    private final float alpha;

    public Activation(String name, String function) {
        this(name, function, Float.NaN);
    }

    /** @param alpha leaky relu's slope or elu's α; NaN for the default */
    public Activation(String name, String function, float alpha) {
        super(name, "activation");
        this.function = Activations.check(function);
        this.alpha = alpha;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Activations.apply(function, x, alpha);
    }

    public String function() {
        return function;
    }

    @Override
    public String type() {
        return "Activation(" + function + ")";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("activation", function);
        if (!Float.isNaN(alpha)) {
            config.put("alpha", alpha);
        }
        return config;
    }
}
