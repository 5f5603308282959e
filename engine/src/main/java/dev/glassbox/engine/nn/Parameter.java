package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named, learnable tensor of a layer ({@code kernel}, {@code bias}, {@code gamma}, ...). Its {@link #value()}
 * is a graph leaf that requires a gradient while the parameter is trainable. Setting new values copies them into
 * the same tensor, so an optimizer that holds this parameter keeps working.
 */
public final class Parameter {
    private final Layer owner;
    private final String name;
    private final Tensor value;
    private boolean trainable = true;
    private final Map<Long, Hooks.ParameterGradientHook> gradientHooks = new LinkedHashMap<>();
    private long nextHookId;
    private AutoCloseable tensorHook;

    Parameter(Layer owner, String name, Tensor value) {
        this.owner = owner;
        this.name = name;
        this.value = value;
        value.requiresGrad(true);
    }

    /** The parameter's own name within its layer, e.g. {@code kernel}. */
    public String name() {
        return name;
    }

    /** The layer-qualified name, e.g. {@code dense_1.kernel}. */
    public String fullName() {
        return owner.name() + "." + name;
    }

    public Layer layer() {
        return owner;
    }

    /** The live tensor (a leaf of every graph it takes part in). */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient, or null. */
    public Tensor grad() {
        return value.grad();
    }

    public int[] shape() {
        return value.shape();
    }

    public int size() {
        return value.size();
    }

    public boolean trainable() {
        return trainable;
    }

    /** A frozen parameter gets no gradient and is skipped by optimizers. */
    public Parameter trainable(boolean trainable) {
        this.trainable = trainable;
        value.zeroGrad();
        value.requiresGrad(trainable);
        return this;
    }

    /**
     * Copies {@code values} into this parameter, which keeps its identity.
     *
     * @param values (not modified) must have exactly this parameter's shape
     */
    public void set(Tensor values) {
        if (!java.util.Arrays.equals(values.shape(), value.shape())) {
            throw new dev.glassbox.engine.tensor.ShapeException("setWeights: parameter '" + fullName()
                    + "' has shape " + Shapes.toString(value.shape()) + " but the new value has shape "
                    + Shapes.toString(values.shape()), value.shape(), values.shape());
        }
        System.arraycopy(values.data(), 0, value.data(), 0, value.size());
    }

    /**
     * Calls {@code hook} with this parameter's gradient once it is fully accumulated in a backward pass (after
     * every use of the parameter has contributed). Hooks fire in registration order.
     */
    public HookHandle registerGradientHook(Hooks.ParameterGradientHook hook) {
        long id = nextHookId++;
        gradientHooks.put(id, hook);
        if (tensorHook == null) {
            tensorHook = value.registerGradHook(this::fireGradientHooks);
        }
        return new HookHandle(() -> gradientHooks.remove(id));
    }

    private void fireGradientHooks(Tensor gradient) {
        if (gradientHooks.isEmpty()) {
            return;
        }
        for (Hooks.ParameterGradientHook hook : java.util.List.copyOf(gradientHooks.values())) {
            hook.onGradient(this, gradient);
        }
    }

    @Override
    public String toString() {
        return fullName() + " " + Shapes.toString(value.shape()) + (trainable ? "" : " (frozen)");
    }
}
