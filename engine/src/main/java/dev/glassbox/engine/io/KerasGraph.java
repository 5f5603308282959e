package dev.glassbox.engine.io;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glassbox.engine.io.KerasConfig.LayerSpec;
import dev.glassbox.engine.io.KerasConfig.TensorRef;
import dev.glassbox.engine.nn.Functional;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds a Keras graph (a functional model, or a Sequential one holding nested models) as a {@link Functional}.
 *
 * <h2>Nested models</h2>
 * A model used as a layer (a Sequential base inside a functional classifier, say) is inlined: its layers join the
 * outer graph named {@code <outer>.<inner>}, wired to the tensors the nested model was called on, and its input
 * layer disappears (the data is already in the engine's layout). HDF5 files store all of a nested model's
 * weights in the outer model's group named after the nested model; each weight's name ends in
 * {@code <inner layer>/<role>}, which is how they are assigned ({@link KerasWeights#nested}), never by position
 * (moving statistics come last). Keras 3 archives give a nested model's layers groups of their own.
 * A nested model may be called once.
 *
 * <p>Every layer is probed with a one-example input as it is added, so the next layer knows its input's rank.
 */
final class KerasGraph {
    private final Functional.Builder graph;
    private final KerasWeights weights;
    private final Path file;                                            // the weights
    private final Path configFile;                                      // the architecture
    private final boolean channelsLast;
    private final boolean theano;
    private final Map<String, Tensor> probes = new HashMap<>();          // graph node → one-example output

    private KerasGraph(KerasConfig config, KerasWeights weights, Path file, boolean channelsLast, boolean theano) {
        this.graph = Functional.builder(config.name());
        this.weights = weights;
        this.file = file;
        this.configFile = config.source();
        this.channelsLast = channelsLast;
        this.theano = theano;
    }

    static Functional build(KerasConfig config, KerasWeights weights, Path file, boolean channelsLast,
            boolean theano) {
        KerasGraph g = new KerasGraph(config, weights, file, channelsLast, theano);
        String output;
        if (config.isSequential()) {
            LayerSpec first = config.layers().get(0);
            String adapter = first.className().equals("InputLayer") ? first.name() : first.name() + "_input";
            output = g.walk(config, "", weights::layer, List.of(g.input(adapter, first)));
        } else {
            output = g.walk(config, "", weights::layer, null);
        }
        return g.graph.build(output);
    }

    /** Declares a model input and its layout adapter (NHWC → NCHW); returns the adapter's node. */
    private String input(String name, LayerSpec spec) {
        Tensor probe = Tensors.zeros(KerasImporter.inputShape(spec, configFile));
        String input = graph.input(name + ":input");
        Layer adapter = KerasLayers.inputAdapter(name, context(probe));
        String node = graph.apply(adapter, input);
        probes.put(node, KerasImporter.probe(adapter, List.of(probe), configFile));
        return node;
    }

    /**
     * Adds the layers of {@code config}, names prefixed by {@code prefix}; returns its output node.
     *
     * @param inputs the nodes the (nested) model is called on, or null at the top of a functional model (its
     *     input layers then become graph inputs)
     */
    private String walk(KerasConfig config, String prefix, Function<String, Map<String, Tensor>> weightsOf,
            List<String> inputs) {
        if (config.isSequential()) {
            String node = inputs.get(0);
            for (LayerSpec spec : config.layers()) {
                if (!spec.className().equals("InputLayer")) {
                    node = add(spec, prefix, weightsOf, List.of(node), 0, new Layer[1]);
                }
            }
            return node;
        }
        Map<String, String> nodeOf = new HashMap<>();                   // "layer#call" → graph node name
        for (LayerSpec spec : config.layers()) {
            if (spec.className().equals("InputLayer")) {
                nodeOf.put(spec.name() + "#0", inputs == null ? input(spec.name(), spec)
                        : inputs.get(Math.min(inputs.size() - 1, inputIndex(config, spec.name()))));
                continue;
            }
            Layer[] shared = new Layer[1];
            for (int call = 0; call < spec.inbound().size(); call++) {
                List<String> from = new ArrayList<>();
                for (TensorRef ref : spec.inbound().get(call)) {
                    String node = nodeOf.get(ref.layer() + "#" + ref.node());
                    if (node == null || ref.tensor() != 0) {
                        throw new ModelFileException(configFile, "layer '" + prefix + spec.name() + "' takes tensor "
                                + ref + ", which no earlier layer produces");
                    }
                    from.add(node);
                }
                nodeOf.put(spec.name() + "#" + call, add(spec, prefix, weightsOf, from, call, shared));
            }
        }
        String output = nodeOf.get(config.output().layer() + "#" + config.output().node());
        if (output == null) {
            throw new ModelFileException(configFile, "the output " + config.output() + " of model '" + config.name()
                    + "' is not a layer output");
        }
        return output;
    }

    /** Adds one call of a layer (or inlines a nested model); {@code shared} keeps the layer across calls. */
    private String add(LayerSpec spec, String prefix, Function<String, Map<String, Tensor>> weightsOf,
            List<String> from, int call, Layer[] shared) {
        if (from.isEmpty()) {
            throw new ModelFileException(configFile, "call " + call + " of layer '" + prefix + spec.name()
                    + "' takes no input tensor in the model config");
        }
        if (KerasImporter.isNestedModel(spec)) {
            if (call > 0) {
                throw new ModelFileException(configFile, "nested model '" + prefix + spec.name() + "' is called more"
                        + " than once; only single use of a nested model is supported");
            }
            String outer = prefix + spec.name();
            return walk(nestedConfig(spec, configFile), outer + ".", inner -> weights.nested(outer, inner), from);
        }
        List<Tensor> args = new ArrayList<>();
        for (String node : from) {
            args.add(probes.get(node));
        }
        if (shared[0] == null) {
            LayerSpec named = new LayerSpec(prefix + spec.name(), spec.className(), spec.config(), spec.inbound());
            shared[0] = KerasLayers.build(named, weightsOf.apply(spec.name()), context(args.get(0)));
            shared[0].setTraining(false);         // the probe must not move BatchNormalization's statistics
        }
        String node = graph.apply(shared[0], from.toArray(new String[0]));
        probes.put(node, KerasImporter.probe(shared[0], args, configFile));
        return node;
    }

    /** The config of a model used as a layer. */
    static KerasConfig nestedConfig(LayerSpec spec, Path file) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("class_name", spec.className());
        node.set("config", spec.config());
        return KerasConfig.fromNode(node, file);
    }

    private static int inputIndex(KerasConfig config, String layer) {
        for (int i = 0; i < config.inputs().size(); i++) {
            if (config.inputs().get(i).layer().equals(layer)) {
                return i;
            }
        }
        return 0;
    }

    private KerasLayers.Context context(Tensor probe) {
        return new KerasLayers.Context(file, configFile, channelsLast, theano, probe.rank());
    }
}
