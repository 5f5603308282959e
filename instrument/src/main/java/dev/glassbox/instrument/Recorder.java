package dev.glassbox.instrument;

import dev.glassbox.engine.nn.HookHandle;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Attaches a {@link RecordingListener} to the hooks of a model's layers in one call, and detaches it in one call.
 *
 * <pre>
 *   try (Recorder recorder = Recorder.attach(model, recordings)) {
 *       Tensor loss = Losses.nll(model.forward(x), labels);
 *       loss.backward();
 *   }                       // every hook is removed here; model.layers() have no hooks left
 * </pre>
 *
 * What it registers, per watched layer: a forward hook (activations), a backward pre-hook (gradient of the
 * output), and a gradient hook on each parameter; for the gradient of the model's input, a backward hook on the
 * first layer. Kinds that are not wanted ({@link Kinds}) are not registered at all, so they cost nothing. Of
 * those that are, only the input gradient adds work to backward: the model's input is data, which training needs
 * no gradient for, so backward computes dL/d(input) (and the gradients of the layers' inputs on the way there, up
 * to the first layer with parameters) for the recording alone.
 */
public final class Recorder implements AutoCloseable {
    /** Which kinds of tensor to record. */
    public record Kinds(boolean activations, boolean outputGradients, boolean parameterGradients,
                        boolean inputGradient) {
        /** Everything, also dL/d(model input) (which costs backward work of its own, see {@link Recorder}). */
        public static final Kinds ALL = new Kinds(true, true, true, true);
        /** Every layer's output and its gradient, and every parameter gradient: no extra backward work. */
        public static final Kinds LAYERS = new Kinds(true, true, true, false);
        public static final Kinds ACTIVATIONS = new Kinds(true, false, false, false);

        /** Three kinds; the gradient of the model's input goes with the output gradients. */
        public Kinds(boolean activations, boolean outputGradients, boolean parameterGradients) {
            this(activations, outputGradients, parameterGradients, outputGradients);
        }
    }

    private final List<HookHandle> handles = new ArrayList<>();
    private final Layer firstLayer;
    private int step = -1;

    private Recorder(Model model, List<Layer> layers, Kinds kinds, RecordingListener listener) {
        if (model.layers().isEmpty()) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no layers to record");
        }
        this.firstLayer = model.layers().get(0);
        // The step counter advances when the model's first layer runs, even when that layer is not watched.
        handles.add(firstLayer.registerForwardHook((layer, input, output) -> step++));
        if (kinds.inputGradient() && layers.contains(firstLayer)) {     // as dL/d(input) of the first layer
            handles.add(firstLayer.registerBackwardHook((layer, gradInput, gradOutput) -> {
                if (gradInput != null) {
                    listener.onInputGradient(step, gradInput);
                }
            }));
        }
        for (Layer layer : layers) {
            if (!model.layers().contains(layer)) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' is not a layer of model '"
                        + model.name() + "'; its layers are " + model.layers().stream().map(Layer::name).toList());
            }
            if (kinds.activations()) {
                handles.add(layer.registerForwardHook((l, input, output) -> listener.onActivation(step, l, output)));
            }
            if (kinds.outputGradients()) {
                handles.add(layer.registerBackwardPreHook((l, gradOutput) ->
                        listener.onOutputGradient(step, l, gradOutput)));
            }
            if (kinds.parameterGradients()) {
                for (Parameter p : layer.parameters()) {
                    handles.add(p.registerGradientHook((parameter, gradient) ->
                            listener.onParameterGradient(step, parameter, gradient)));
                }
            }
        }
    }

    /** Watches every layer of {@code model} with every hook kind. */
    public static Recorder attach(Model model, RecordingListener listener) {
        return new Recorder(model, model.layers(), Kinds.ALL, listener);
    }

    /** Watches the chosen layers of {@code model} (each must belong to it) with the chosen hook kinds. */
    public static Recorder attach(Model model, List<Layer> layers, Kinds kinds, RecordingListener listener) {
        return new Recorder(model, List.copyOf(layers), kinds, listener);
    }

    /** The current step: forward passes seen so far minus one (-1 before the first). */
    public int step() {
        return step;
    }

    /** Removes every hook this recorder registered; calling it again does nothing. */
    @Override
    public void close() {
        handles.forEach(HookHandle::remove);
        handles.clear();
    }
}
