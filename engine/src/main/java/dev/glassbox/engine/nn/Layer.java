package dev.glassbox.engine.nn;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A layer: a named piece of a network with named parameters and hook points.
 *
 * <h2>Hooks</h2>
 * Every layer exposes the same hook points, so a model can be looked into without editing it:
 * <ul>
 * <li>{@link #registerForwardHook forward hooks} see (layer, input, output) right after {@link #forward} ran;</li>
 * <li>{@link #registerBackwardHook backward hooks} see (layer, dL/d input, dL/d output) during backward, once the
 *     gradient of the layer's input is complete, and with it the gradients of the layer's parameters (a layer
 *     whose input needs no gradient is then made to compute one, so that they fire);</li>
 * <li>{@link #registerBackwardPreHook backward pre-hooks} see (layer, dL/d output) as soon as that is complete,
 *     at no extra cost: the way to watch output gradients of every layer;</li>
 * <li>{@link Parameter#registerGradientHook parameter-gradient hooks} see one parameter's gradient once it is
 *     fully accumulated.</li>
 * </ul>
 * Hooks fire in registration order, over a copy of the list (a hook may remove itself). Observing hooks return
 * nothing; the replacing variants ({@link #registerForwardReplaceHook}, {@link #registerBackwardReplaceHook}) are
 * separate so that a change of values is always explicit. With no hooks registered, {@link #call} costs one
 * emptiness check per kind.
 *
 * <p>The engine never writes again to a tensor it has handed to a hook: every forward and backward pass makes
 * new output and gradient tensors (a gradient that needs a second contribution is copied first). A hook may
 * therefore keep a tensor and read it later without copying it, as long as it does not write to it; only the
 * parameters' values change in place, when the optimizer steps. (Tested on the seed CNN and MLP.)
 *
 * <p>Subclasses implement {@link #forward}; users call {@link #call}, which runs the hooks around it.
 */
public abstract class Layer {
    private static final Map<String, AtomicInteger> NAME_COUNTERS = new ConcurrentHashMap<>();

    private final String name;
    private final List<Parameter> parameters = new ArrayList<>();
    private boolean training = true;

    private final Map<Long, Hooks.ForwardHook> forwardHooks = new LinkedHashMap<>();
    private final Map<Long, Hooks.ForwardReplaceHook> forwardReplaceHooks = new LinkedHashMap<>();
    private final Map<Long, Hooks.BackwardHook> backwardHooks = new LinkedHashMap<>();
    private final Map<Long, Hooks.BackwardReplaceHook> backwardReplaceHooks = new LinkedHashMap<>();
    private final Map<Long, Hooks.BackwardPreHook> backwardPreHooks = new LinkedHashMap<>();
    private long nextHookId;

    /**
     * @param name the layer's name, or null for a Keras-style default ({@code prefix_1}, {@code prefix_2}, ...,
     *     numbered per prefix in creation order)
     * @param prefix the default name's stem, e.g. {@code dense}
     */
    protected Layer(String name, String prefix) {
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("a layer name must not be blank");
        }
        this.name = name != null ? name
                : prefix + "_" + NAME_COUNTERS.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
    }

    /** Restarts the default numbering ({@code dense_1} again), as Keras' {@code clear_session()} does. */
    public static void resetDefaultNames() {
        NAME_COUNTERS.clear();
    }

    /** Computes the layer's output. Called by {@link #call}, which adds the hooks. */
    protected abstract Tensor forward(Tensor input);

    /** The layer's type as a summary table shows it, e.g. {@code Dense}. */
    public String type() {
        return getClass().getSimpleName();
    }

    /** The configuration of this layer as key-value pairs, for the model file (see ModelFile). */
    public abstract Map<String, Object> config();

    public final String name() {
        return name;
    }

    /** Declares a parameter; layers call it from their constructors, in the order the weights are listed. */
    protected final Parameter addParameter(String parameterName, Tensor value) {
        for (Parameter p : parameters) {
            if (p.name().equals(parameterName)) {
                throw new IllegalArgumentException("layer '" + name + "' already has a parameter '" + parameterName
                        + "'");
            }
        }
        Parameter parameter = new Parameter(this, parameterName, value);
        parameters.add(parameter);
        return parameter;
    }

    /** The parameters in declaration order (kernel before bias, as Keras lists weights). */
    public final List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** The parameter called {@code parameterName}, or an error listing the ones this layer has. */
    public final Parameter parameter(String parameterName) {
        for (Parameter p : parameters) {
            if (p.name().equals(parameterName)) {
                return p;
            }
        }
        throw new IllegalArgumentException("layer '" + name + "' (" + type() + ") has no parameter '"
                + parameterName + "'; it has " + parameters.stream().map(Parameter::name).toList());
    }

    /** Copies of the parameter values in declaration order (Keras' {@code layer.get_weights()}). */
    public final List<Tensor> getWeights() {
        List<Tensor> weights = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            weights.add(p.value().copy());
        }
        return weights;
    }

    /** Sets every parameter from a list in declaration order (Keras' {@code layer.set_weights()}). */
    public final void setWeights(List<Tensor> weights) {
        if (weights.size() != parameters.size()) {
            throw new IllegalArgumentException("setWeights: layer '" + name + "' has " + parameters.size()
                    + " weights " + parameters.stream().map(Parameter::name).toList() + " but got "
                    + weights.size());
        }
        for (int i = 0; i < weights.size(); i++) {
            parameters.get(i).set(weights.get(i));
        }
    }

    public final int parameterCount() {
        int count = 0;
        for (Parameter p : parameters) {
            count += p.size();
        }
        return count;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Training mode (dropout active, batch statistics) or inference mode. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /**
     * Computes the output of a layer that takes several inputs (Add, Concatenate). Single-input layers keep the
     * default, which requires exactly one input and calls {@link #forward}.
     */
    protected Tensor forwardAll(List<Tensor> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(type() + " '" + name + "' takes one input, got " + inputs.size());
        }
        return forward(inputs.get(0));
    }

    /**
     * Runs the layer: {@link #forward}, then the forward hooks, and arranges for the backward hooks to fire
     * during the next backward pass through this output.
     */
    public final Tensor call(Tensor input) {
        return call(List.of(input));
    }

    /**
     * Runs a layer on several inputs (merge layers). Hooks see the first input as "the input": its gradient is
     * the {@code gradInput} of backward hooks.
     */
    public final Tensor call(List<Tensor> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(type() + " '" + name + "' called without inputs");
        }
        Tensor input = inputs.get(0);
        boolean watchBackward = (!backwardHooks.isEmpty() || !backwardReplaceHooks.isEmpty()) && NoGrad.isRecording();
        List<Tensor> xs = inputs;
        BackwardHookOp boundary = null;
        if (watchBackward) {
            boundary = new BackwardHookOp(this);
            xs = new ArrayList<>(inputs);
            xs.set(0, boundary.enter(input));
        }
        Tensor output = forwardAll(xs);
        if (boundary != null) {
            boundary.watchOutput(output);
        }
        if (!backwardPreHooks.isEmpty() && NoGrad.isRecording() && output.requiresGrad()) {
            output.registerGradHook(this::fireBackwardPreHooks);
        }
        if (!forwardHooks.isEmpty()) {
            for (Hooks.ForwardHook hook : List.copyOf(forwardHooks.values())) {
                hook.onForward(this, input, output);
            }
        }
        if (!forwardReplaceHooks.isEmpty()) {
            for (Hooks.ForwardReplaceHook hook : List.copyOf(forwardReplaceHooks.values())) {
                output = hook.replaceOutput(this, input, output);
            }
        }
        return output;
    }

    /** Runs the backward pre-hooks: the output's gradient is complete. */
    private void fireBackwardPreHooks(Tensor gradOutput) {
        for (Hooks.BackwardPreHook hook : List.copyOf(backwardPreHooks.values())) {
            hook.onGradOutput(this, gradOutput);
        }
    }

    /** Runs the backward hooks (called by {@link BackwardHookOp}); returns the gradient to pass on. */
    Tensor fireBackwardHooks(Tensor gradInput, Tensor gradOutput) {
        for (Hooks.BackwardHook hook : List.copyOf(backwardHooks.values())) {
            hook.onBackward(this, gradInput, gradOutput);
        }
        for (Hooks.BackwardReplaceHook hook : List.copyOf(backwardReplaceHooks.values())) {
            gradInput = hook.replaceGradInput(this, gradInput, gradOutput);
        }
        return gradInput;
    }

    public final HookHandle registerForwardHook(Hooks.ForwardHook hook) {
        return register(forwardHooks, hook);
    }

    public final HookHandle registerForwardReplaceHook(Hooks.ForwardReplaceHook hook) {
        return register(forwardReplaceHooks, hook);
    }

    public final HookHandle registerBackwardHook(Hooks.BackwardHook hook) {
        return register(backwardHooks, hook);
    }

    public final HookHandle registerBackwardReplaceHook(Hooks.BackwardReplaceHook hook) {
        return register(backwardReplaceHooks, hook);
    }

    public final HookHandle registerBackwardPreHook(Hooks.BackwardPreHook hook) {
        return register(backwardPreHooks, hook);
    }

    /** True when any hook of any kind is registered on this layer (or its parameters' hooks aside). */
    public final boolean hasHooks() {
        return !forwardHooks.isEmpty() || !forwardReplaceHooks.isEmpty() || !backwardHooks.isEmpty()
                || !backwardReplaceHooks.isEmpty() || !backwardPreHooks.isEmpty();
    }

    private <H> HookHandle register(Map<Long, H> hooks, H hook) {
        if (hook == null) {
            throw new IllegalArgumentException("hook is null");
        }
        long id = nextHookId++;
        hooks.put(id, hook);
        return new HookHandle(() -> hooks.remove(id));
    }

    @Override
    public String toString() {
        return type() + " '" + name + "'";
    }
}
