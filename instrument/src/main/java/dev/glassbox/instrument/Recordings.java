package dev.glassbox.instrument;

import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RecordingListener} that keeps a copy of everything it is given, step by step: the simplest way to look
 * at a few batches. Memory grows with every step; for long runs, use a
 * {@link dev.glassbox.instrument.stats.HealthMonitor} (bounded statistics) or a listener of your own that streams
 * the tensors elsewhere.
 *
 * <p>Lists are indexed by the order of recording: entry i of {@code activations("fc1")} is fc1's output in the
 * i-th forward pass that reached fc1.
 */
public final class Recordings implements RecordingListener {
    private final Map<String, List<Tensor>> activations = new LinkedHashMap<>();
    private final Map<String, List<Tensor>> outputGradients = new LinkedHashMap<>();
    private final Map<String, List<Tensor>> parameterGradients = new LinkedHashMap<>();
    private final List<Tensor> inputGradients = new ArrayList<>();

    @Override
    public void onActivation(int step, Layer layer, Tensor output) {
        activations.computeIfAbsent(layer.name(), k -> new ArrayList<>()).add(output.copy());
    }

    @Override
    public void onOutputGradient(int step, Layer layer, Tensor gradOutput) {
        outputGradients.computeIfAbsent(layer.name(), k -> new ArrayList<>()).add(gradOutput.copy());
    }

    @Override
    public void onInputGradient(int step, Tensor gradInput) {
        inputGradients.add(gradInput.copy());
    }

    @Override
    public void onParameterGradient(int step, Parameter parameter, Tensor gradient) {
        parameterGradients.computeIfAbsent(parameter.fullName(), k -> new ArrayList<>()).add(gradient.copy());
    }

    /** The recorded outputs of a layer, one per forward pass. */
    public List<Tensor> activations(String layerName) {
        return require(activations, layerName, "activations");
    }

    /** The recorded dL/d(output) of a layer, one per backward pass. */
    public List<Tensor> outputGradients(String layerName) {
        return require(outputGradients, layerName, "output gradients");
    }

    /** The recorded gradients of a parameter by full name ({@code fc1.kernel}), one per backward pass. */
    public List<Tensor> parameterGradients(String fullName) {
        return require(parameterGradients, fullName, "parameter gradients");
    }

    /** The recorded dL/d(input) of the model, one per backward pass. */
    public List<Tensor> inputGradients() {
        return inputGradients;
    }

    /** The names with recorded activations, in the order they were first seen. */
    public List<String> layerNames() {
        return List.copyOf(activations.keySet());
    }

    /** The full names of parameters with recorded gradients, in the order they were first seen. */
    public List<String> parameterNames() {
        return List.copyOf(parameterGradients.keySet());
    }

    /** The last recorded tensor of a list (e.g. the latest activation of a layer). */
    public static Tensor last(List<Tensor> recorded) {
        if (recorded.isEmpty()) {
            throw new IllegalStateException("nothing was recorded");
        }
        return recorded.get(recorded.size() - 1);
    }

    private static List<Tensor> require(Map<String, List<Tensor>> map, String name, String what) {
        List<Tensor> list = map.get(name);
        if (list == null) {
            throw new IllegalArgumentException("no " + what + " recorded for '" + name + "'; recorded: "
                    + map.keySet());
        }
        return list;
    }
}
