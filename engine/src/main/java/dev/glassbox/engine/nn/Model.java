package dev.glassbox.engine.nn;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network of layers with one input and one output: what training, saving and instrumentation work on.
 * Layers are listed in the order they run; names are unique within a model.
 */
public abstract class Model {
    /**
     * The image layout the model's users see. The engine always computes NCHW; a {@link #CHANNELS_LAST} model (a
     * Keras import) takes NHWC input (its first layer permutes it) and tools present its rank-4 layer outputs as
     * NHWC, so they compare with what Keras produced.
     */
    public enum DataFormat { CHANNELS_FIRST, CHANNELS_LAST }

    private final String name;
    private DataFormat dataFormat = DataFormat.CHANNELS_FIRST;
    private int[] inputShape;

    protected Model(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public DataFormat dataFormat() {
        return dataFormat;
    }

    public void setDataFormat(DataFormat format) {
        this.dataFormat = java.util.Objects.requireNonNull(format);
    }

    /** The shape of one example (no batch axis, in the user's layout) the model declares it takes, or null. */
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /** Records the example shape the model's file declares (an imported Keras model's input layer). */
    public void setInputShape(int... shape) {
        this.inputShape = shape == null ? null : shape.clone();
    }

    /**
     * A layer output as the model's users see it: rank-4 NCHW tensors of a channels-last model come back NHWC;
     * everything else is returned as is.
     */
    public Tensor toUserLayout(Tensor output) {
        return dataFormat == DataFormat.CHANNELS_LAST && output.rank() == 4 ? output.permute(0, 2, 3, 1) : output;
    }

    /** The layers in execution order. */
    public abstract List<Layer> layers();

    /** Runs the model (recording a graph unless inside {@link NoGrad}). */
    public abstract Tensor forward(Tensor input);

    /** The layer called {@code layerName}, or an error listing the model's layers. */
    public Layer layer(String layerName) {
        for (Layer layer : layers()) {
            if (layer.name().equals(layerName)) {
                return layer;
            }
        }
        throw new IllegalArgumentException("model '" + name + "' has no layer '" + layerName + "'; its layers are "
                + layers().stream().map(Layer::name).toList());
    }

    /** Every parameter, layer by layer in declaration order. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers()) {
            all.addAll(layer.parameters());
        }
        return all;
    }

    /** The trainable parameters (what an optimizer updates). */
    public List<Parameter> trainableParameters() {
        return parameters().stream().filter(Parameter::trainable).toList();
    }

    /** Parameters by full name ({@code dense_1.kernel}). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (Parameter p : parameters()) {
            named.put(p.fullName(), p);
        }
        return named;
    }

    /** Copies of every weight, layer by layer (Keras' {@code model.get_weights()}). */
    public List<Tensor> getWeights() {
        List<Tensor> weights = new ArrayList<>();
        for (Layer layer : layers()) {
            weights.addAll(layer.getWeights());
        }
        return weights;
    }

    /** Sets every weight from a list in {@link #getWeights()} order (Keras' {@code model.set_weights()}). */
    public void setWeights(List<Tensor> weights) {
        List<Parameter> params = parameters();
        if (weights.size() != params.size()) {
            throw new IllegalArgumentException("setWeights: model '" + name + "' has " + params.size()
                    + " weights but got " + weights.size());
        }
        for (int i = 0; i < params.size(); i++) {
            params.get(i).set(weights.get(i));
        }
    }

    /** Training mode for every layer (dropout active, batch statistics used and updated). */
    public void train() {
        layers().forEach(l -> l.setTraining(true));
    }

    /** Inference mode for every layer. */
    public void eval() {
        layers().forEach(l -> l.setTraining(false));
    }

    /**
     * Output shape of every layer for an input of the given shape (without the batch dimension), found by running
     * one zero example through the model without recording a graph.
     */
    public Map<Layer, int[]> outputShapes(int... inputShape) {
        Map<Layer, int[]> shapes = new LinkedHashMap<>();
        List<HookHandle> handles = new ArrayList<>();
        for (Layer layer : layers()) {
            handles.add(layer.registerForwardHook((l, in, out) -> shapes.put(l, out.shape())));
        }
        int[] batchShape = new int[inputShape.length + 1];
        batchShape[0] = 1;
        System.arraycopy(inputShape, 0, batchShape, 1, inputShape.length);
        boolean[] training = new boolean[layers().size()];
        for (int i = 0; i < training.length; i++) {
            training[i] = layers().get(i).isTraining();
        }
        try (NoGrad ignored = NoGrad.enter()) {
            eval();
            forward(Tensors.zeros(batchShape));
        } finally {
            handles.forEach(HookHandle::remove);
            for (int i = 0; i < training.length; i++) {
                layers().get(i).setTraining(training[i]);
            }
        }
        return shapes;
    }

    /**
     * A Keras-style summary table: layer name and type, output shape (batch shown as -1, as torchsummary does;
     * NHWC for a {@link DataFormat#CHANNELS_LAST} model, as Keras shows it), parameter count, and the totals.
     *
     * @param inputShape one example's shape in the model's user layout (NHWC images for a channels-last model)
     */
    public String summary(int... inputShape) {
        Map<Layer, int[]> shapes = outputShapes(inputShape);
        String rule = "-".repeat(72);
        StringBuilder out = new StringBuilder();
        out.append("Model: \"").append(name).append("\"   input ").append(Shapes.toString(inputShape)).append('\n');
        out.append(rule).append('\n');
        out.append(String.format(Locale.ROOT, "%-34s %-24s %12s%n", "Layer (type)", "Output Shape", "Param #"));
        out.append("=".repeat(72)).append('\n');
        long total = 0;
        long trainable = 0;
        for (Layer layer : layers()) {
            int[] shape = shapes.get(layer);
            String shown = shape == null ? "(not run)" : batchless(shape);
            out.append(String.format(Locale.ROOT, "%-34s %-24s %,12d%n", layer.name() + " (" + layer.type() + ")",
                    shown, layer.parameterCount()));
            for (Parameter p : layer.parameters()) {
                total += p.size();
                trainable += p.trainable() ? p.size() : 0;
            }
        }
        out.append("=".repeat(72)).append('\n');
        out.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        out.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
        out.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", total - trainable));
        out.append(rule).append('\n');
        return out.toString();
    }

    /** A shape as the summary shows it: batch as -1, and NHWC for a channels-last model's images. */
    private String batchless(int[] shape) {
        int[] shown = dataFormat == DataFormat.CHANNELS_LAST && shape.length == 4
                ? new int[] {shape[0], shape[2], shape[3], shape[1]} : shape.clone();
        shown[0] = -1;
        return Shapes.toString(shown);
    }

    /** Total number of parameter values (trainable or not). */
    public long parameterCount() {
        long count = 0;
        for (Parameter p : parameters()) {
            count += p.size();
        }
        return count;
    }
}
