package dev.glassbox.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Keras model architecture ({@code model_config} or {@code model.to_json()}), read into one shape whatever the
 * Keras version that wrote it. The dialects seen in real files:
 * <ul>
 * <li>Sequential as a bare list of layers (Keras ≤ 2.1: {@code {"class_name": "Sequential", "config": [...]}}) or
 *     as a dict ({@code {"name", "layers": [...]}});</li>
 * <li>graphs with {@code class_name} {@code Model} (Keras 2) or {@code Functional} (tf.keras, Keras 3);</li>
 * <li>four encodings of a layer's {@code inbound_nodes}: Keras 1/2 lists of {@code [layer, node, tensor]} or
 *     {@code [layer, node, tensor, kwargs]} per call, one such entry standing alone for a call (tf.keras layers
 *     that keep their input structure, SavedModel metadata), and Keras 3 dicts
 *     {@code {"args": [...], "kwargs": {}}} whose tensors carry a {@code keras_history} of the same three
 *     numbers;</li>
 * <li>tuples and shapes as {@code {"class_name": "__tuple__" | "TensorShape", "items": [...]}} (tf.keras);</li>
 * <li>{@code input_layers}/{@code output_layers} as a list of triples, or (Keras 3, one input) a bare triple.</li>
 * </ul>
 *
 * @param className the model class: {@code Sequential}, {@code Model} or {@code Functional}
 * @param name the model's name
 * @param layers the layers in the order the config lists them (a topological order in every Keras version)
 * @param inputs the graph's input tensors (empty for Sequential)
 * @param output the graph's output tensor (null for Sequential)
 * @param source the file the architecture was read from, named in every error about it (with a weights file and a
 *     separate architecture, the weights file is named only for the weights)
 */
public record KerasConfig(String className, String name, List<LayerSpec> layers, List<TensorRef> inputs,
        TensorRef output, Path source) {

    /** Output {@code tensor} of the {@code node}-th call of layer {@code layer}. */
    public record TensorRef(String layer, int node, int tensor) {}

    /**
     * One layer of the config.
     *
     * @param inbound for each call of the layer (a shared layer is called more than once), the tensors it took
     */
    public record LayerSpec(String name, String className, JsonNode config, List<List<TensorRef>> inbound) {
        public boolean isSequential() {
            return className.equals("Sequential");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean isSequential() {
        return className.equals("Sequential");
    }

    /** Parses a config; {@code source} names the file in errors. */
    public static KerasConfig parse(String json, Path source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new ModelFileException(source, "the Keras model config is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFileException(source, "the Keras model config is not a JSON object");
        }
        return fromNode(unwrapTuples(root), source);
    }

    /**
     * tf.keras 2.x serialises some tuples and shapes as {@code {"class_name": "__tuple__", "items": [3, 3]}} and
     * {@code {"class_name": "TensorShape", "items": [null, 28, 28, 1]}}; they stand for their items everywhere.
     */
    static JsonNode unwrapTuples(JsonNode node) {
        if (node.isObject()) {
            String cls = node.path("class_name").asText("");
            if ((cls.equals("__tuple__") || cls.equals("TensorShape")) && node.path("items").isArray()) {
                return unwrapTuples(node.get("items"));
            }
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), unwrapTuples(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(unwrapTuples(item)));
            return copy;
        }
        return node;
    }

    /** Reads a {@code {"class_name", "config"}} node (the root, or a model nested as a layer). */
    static KerasConfig fromNode(JsonNode root, Path source) {
        String className = root.path("class_name").asText("");
        JsonNode config = root.path("config");
        switch (className) {
            case "Sequential" -> {
                JsonNode list = config.isArray() ? config : config.path("layers");
                String name = config.isObject() ? config.path("name").asText("sequential") : "sequential";
                List<LayerSpec> layers = new ArrayList<>();
                for (JsonNode layer : requireArray(list, "Sequential layers", source)) {
                    JsonNode layerConfig = layer.path("config");
                    if (layers.isEmpty()) {
                        layerConfig = withBuildShape(layerConfig, layer, config);
                    }
                    layers.add(new LayerSpec(layerName(layer, source), layer.path("class_name").asText(),
                            layerConfig, List.of()));
                }
                return new KerasConfig(className, name, layers, List.of(), null, source);
            }
            case "Model", "Functional" -> {
                List<LayerSpec> layers = new ArrayList<>();
                for (JsonNode layer : requireArray(config.path("layers"), "model layers", source)) {
                    String name = layerName(layer, source);
                    layers.add(new LayerSpec(name, layer.path("class_name").asText(), layer.path("config"),
                            inboundNodes(layer.path("inbound_nodes"), name, source)));
                }
                List<TensorRef> inputs = refList(config.path("input_layers"), "input_layers", source);
                List<TensorRef> outputs = refList(config.path("output_layers"), "output_layers", source);
                if (outputs.size() != 1) {
                    throw new ModelFileException(source, "the model has " + outputs.size() + " outputs " + outputs
                            + "; only single-output models can be imported");
                }
                return new KerasConfig(className, config.path("name").asText("model"), layers, inputs,
                        outputs.get(0), source);
            }
            default -> throw new ModelFileException(source, "the model config's class_name is '" + className
                    + "'; expected Sequential, Model or Functional");
        }
    }

    /**
     * The first layer of a Sequential model built without an input layer ({@code model.build(shape)}, or a first
     * call on data) carries no batch shape; Keras recorded the shape it was built for as the model's
     * {@code build_input_shape} or (Keras 3) the layer's {@code build_config.input_shape}.
     */
    private static JsonNode withBuildShape(JsonNode layerConfig, JsonNode layer, JsonNode modelConfig) {
        if (!layerConfig.isObject() || layerConfig.has("batch_input_shape") || layerConfig.has("batch_shape")) {
            return layerConfig;
        }
        JsonNode built = layer.path("build_config").path("input_shape");
        if (!built.isArray()) {
            built = modelConfig.path("build_input_shape");
        }
        if (!built.isArray()) {
            return layerConfig;
        }
        ObjectNode copy = ((ObjectNode) layerConfig).deepCopy();
        copy.set("batch_input_shape", built);
        return copy;
    }

    private static String layerName(JsonNode layer, Path source) {
        String name = layer.path("config").path("name").asText(layer.path("name").asText(""));
        if (name.isEmpty()) {
            throw new ModelFileException(source, "a layer of class '" + layer.path("class_name").asText()
                    + "' has no name in the model config");
        }
        return name;
    }

    private static JsonNode requireArray(JsonNode node, String what, Path source) {
        if (!node.isArray()) {
            throw new ModelFileException(source, "the model config's " + what + " is not a list");
        }
        return node;
    }

    /** Every encoding of {@code inbound_nodes}: one entry per call of the layer, each a list of tensors. */
    private static List<List<TensorRef>> inboundNodes(JsonNode nodes, String layer, Path source) {
        List<List<TensorRef>> calls = new ArrayList<>();
        if (nodes.isMissingNode() || nodes.isNull()) {
            return calls;
        }
        for (JsonNode call : requireArray(nodes, "inbound_nodes of '" + layer + "'", source)) {
            List<TensorRef> tensors = new ArrayList<>();
            if (call.isObject()) {
                collectKerasTensors(call.path("args"), tensors);           // Keras 3: {"args": [...], "kwargs"}
            } else if (call.isArray() && call.path(0).isTextual()) {
                // one tensor, not wrapped in a list: tf.keras layers that keep their input structure
                // (TFOpLambda) and tf.keras SavedModel metadata write [layer, node, tensor, kwargs] directly
                tensors.add(ref(call, "inbound node of '" + layer + "'", source));
            } else {
                for (JsonNode entry : requireArray(call, "inbound node of '" + layer + "'", source)) {
                    tensors.add(ref(entry, "inbound node of '" + layer + "'", source));
                }
            }
            calls.add(tensors);
        }
        return calls;
    }

    /** Keras 3 arguments: keras tensors, possibly inside lists (the inputs of Add or Concatenate). */
    private static void collectKerasTensors(JsonNode arg, List<TensorRef> into) {
        if (arg.isArray()) {
            for (JsonNode a : arg) {
                collectKerasTensors(a, into);
            }
        } else if (arg.isObject() && arg.path("class_name").asText().equals("__keras_tensor__")) {
            JsonNode history = arg.path("config").path("keras_history");
            into.add(new TensorRef(history.path(0).asText(), history.path(1).asInt(), history.path(2).asInt()));
        }
    }

    private static List<TensorRef> refList(JsonNode node, String what, Path source) {
        List<TensorRef> refs = new ArrayList<>();
        if (node.isArray() && node.size() > 0 && node.get(0).isTextual()) {
            refs.add(ref(node, what, source));                              // Keras 3, one tensor: a bare triple
        } else {
            for (JsonNode entry : requireArray(node, what, source)) {
                refs.add(ref(entry, what, source));
            }
        }
        return refs;
    }

    private static TensorRef ref(JsonNode entry, String what, Path source) {
        if (!entry.isArray() || entry.size() < 3 || !entry.get(0).isTextual()) {
            throw new ModelFileException(source, "the model config's " + what + " entry " + entry
                    + " is not [layer, node, tensor]");
        }
        return new TensorRef(entry.get(0).asText(), entry.get(1).asInt(), entry.get(2).asInt());
    }
}
