package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Fully connected layer, Keras layout: y = activation(x · kernel + bias).
 * x [batch, inputs] (or [batch, steps, inputs]), kernel [inputs, units], bias [units] → y [batch, units].
 * PyTorch's Linear stores weight = kernelᵀ [units, inputs]; importers transpose it.
 * Defaults are Keras': glorot_uniform kernel, zero bias, linear activation.
 */
public final class Dense extends Layer {
    private final int inputs;
    private final int units;
    private final String activation;
    private final Parameter kernel;
    private final Parameter bias;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();

    public Dense(String name, int inputs, int units) {
        this(name, inputs, units, "linear", true);
    }

    public Dense(String name, int inputs, int units, String activation) {
        this(name, inputs, units, activation, true);
    }

    /**
     * @param name the layer name, or null for {@code dense_N}
     * @param activation a name from {@link Activations#NAMES}; null or "linear" for none
     */
    public Dense(String name, int inputs, int units, String activation, boolean useBias) {
        super(name, "dense");
        if (inputs <= 0 || units <= 0) {
            throw new IllegalArgumentException("Dense '" + name() + "': inputs and units must be positive, got "
                    + inputs + " and " + units);
        }
        this.inputs = inputs;
        this.units = units;
        this.activation = Activations.check(activation);
        this.kernel = addParameter("kernel", Tensors.zeros(inputs, units));
        this.bias = useBias ? addParameter("bias", Tensors.zeros(units)) : null;
        initialize(new SplittableRandom(name().hashCode()));
    }

    /** Sets the initializers and draws new values from {@code random}. */
    public Dense initialize(Initializer kernelInit, Initializer biasInit, RandomGenerator random) {
        this.kernelInitializer = kernelInit;
        this.biasInitializer = biasInit;
        initialize(random);
        return this;
    }

    /** Draws new values with the layer's initializers (kernel first, then bias). */
    public void initialize(RandomGenerator random) {
        kernelInitializer.initialize(kernel.value(), inputs, units, random);
        if (bias != null) {
            biasInitializer.initialize(bias.value(), inputs, units, random);
        }
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.dim(-1) != inputs) {
            throw new ShapeException("Dense '" + name() + "' expects input [batch, " + inputs + "] but got shape "
                    + Shapes.toString(x.shape())
                    + (x.rank() > 2 ? ". Hint: add a Flatten layer before it." : "."), new int[] {-1, inputs},
                    x.shape());
        }
        Tensor z = x.matmul(kernel.value());
        if (bias != null) {
            z = z.add(bias.value());
        }
        return Activations.apply(activation, z);
    }

    public Parameter kernel() {
        return kernel;
    }

    /** The bias, or null when the layer has none. */
    public Parameter bias() {
        return bias;
    }

    public int units() {
        return units;
    }

    public int inputs() {
        return inputs;
    }

    public String activation() {
        return activation;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("inputs", inputs);
        config.put("units", units);
        config.put("activation", activation);
        config.put("use_bias", bias != null);
        return config;
    }
}
