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
 * What it registers, per watched layer: a forward hook (activations), a backward hook (gradient of the output;
 * on the model's first layer also the gradient of the input), and a gradient hook on each parameter. Kinds that
 * are not wanted ({@link Kinds}) are not registered at all, so they cost nothing: backward hooks in particular put
 * an extra identity op into the graph.
 */
public final class Recorder implements AutoCloseable {
    /** Which of the three hook kinds to register. */
    public record Kinds(boolean activations, boolean outputGradients, boolean parameterGradients) {
        public static final Kinds ALL = new Kinds(true, true, true);
        public static final Kinds ACTIVATIONS = new Kinds(true, false, false);
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
        for (Layer layer : layers) {
            if (!model.layers().contains(layer)) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' is not a layer of model '"
                        + model.name() + "'; its layers are " + model.layers().stream().map(Layer::name).toList());
            }
            if (kinds.activations()) {
                handles.add(layer.registerForwardHook((l, input, output) -> listener.onActivation(step, l, output)));
            }
            if (kinds.outputGradients()) {
                handles.add(layer.registerBackwardHook((l, gradInput, gradOutput) -> {
                    if (gradOutput != null) {
                        listener.onOutputGradient(step, l, gradOutput);
                    }
                    if (l == firstLayer && gradInput != null) {
                        listener.onInputGradient(step, gradInput);
                    }
                }));
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
