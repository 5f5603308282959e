package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A model as a directed acyclic graph of layers (Keras' functional API): named inputs, nodes that apply a layer
 * to the outputs of earlier nodes, and an output node. Nodes run in the order they were added, which is a
 * topological order because a node can only name nodes that already exist.
 *
 * <pre>{@code
 * Functional.Builder g = Functional.builder("residual");
 * String x = g.input("x");
 * String h = g.apply(new Dense("fc1", 8, 8, "relu"), x);
 * String y = g.apply(new Add("add_1"), h, x);
 * Functional model = g.build(y);
 * }</pre>
 */
public final class Functional extends Model {
    /** One application of a layer to earlier nodes (an input node has no layer). */
    public record Node(String name, Layer layer, List<String> inputs) {}

    private final List<String> inputNames;
    private final String outputName;
    private final List<Node> nodes;

    private Functional(String name, List<String> inputNames, String outputName, List<Node> nodes) {
        super(name);
        this.inputNames = List.copyOf(inputNames);
        this.outputName = outputName;
        this.nodes = List.copyOf(nodes);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<String> inputNames() {
        return inputNames;
    }

    @Override
    public List<Layer> layers() {
        LinkedHashSet<Layer> layers = new LinkedHashSet<>();
        for (Node node : nodes) {
            if (node.layer() != null) {
                layers.add(node.layer());
            }
        }
        return List.copyOf(layers);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (inputNames.size() != 1) {
            throw new IllegalArgumentException("model '" + name() + "' has inputs " + inputNames
                    + "; call forward(Map) with one tensor per input");
        }
        return forward(Map.of(inputNames.get(0), input)).get(outputName);
    }

    /** Runs the graph; returns every node's output by node name (inputs included). */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs) {
        Map<String, Tensor> values = new HashMap<>();
        for (String in : inputNames) {
            Tensor t = inputs.get(in);
            if (t == null) {
                throw new IllegalArgumentException("model '" + name() + "': no tensor given for input '" + in + "'");
            }
            values.put(in, t);
        }
        for (Node node : nodes) {
            if (node.layer() == null) {
                continue;
            }
            List<Tensor> args = new ArrayList<>(node.inputs().size());
            for (String in : node.inputs()) {
                args.add(values.get(in));
            }
            values.put(node.name(), node.layer().call(args));
        }
        return values;
    }

    /** Adds nodes one by one; each may only use nodes added before it. */
    public static final class Builder {
        private final String name;
        private final List<String> inputs = new ArrayList<>();
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Map<Layer, Integer> uses = new HashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Declares an input; returns its node name. */
        public String input(String inputName) {
            requireNew(inputName);
            nodes.put(inputName, new Node(inputName, null, List.of()));
            inputs.add(inputName);
            return inputName;
        }

        /**
         * Applies {@code layer} to the named nodes; returns the new node's name: the layer's name, or
         * {@code name_k} when the same layer is applied again (a shared layer).
         */
        public String apply(Layer layer, String... from) {
            if (from.length == 0) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' applied to no inputs");
            }
            for (String f : from) {
                if (!nodes.containsKey(f)) {
                    throw new IllegalArgumentException("layer '" + layer.name() + "' takes input '" + f
                            + "', which is not a node of '" + name + "' yet; nodes: " + nodes.keySet());
                }
            }
            for (Layer other : uses.keySet()) {
                if (other != layer && other.name().equals(layer.name())) {
                    throw new IllegalArgumentException("model '" + name + "' already has another layer named '"
                            + layer.name() + "'");
                }
            }
            int use = uses.merge(layer, 1, Integer::sum);
            String nodeName = use == 1 ? layer.name() : layer.name() + "_" + use;
            requireNew(nodeName);
            nodes.put(nodeName, new Node(nodeName, layer, List.of(from)));
            return nodeName;
        }

        public Functional build(String output) {
            if (!nodes.containsKey(output)) {
                throw new IllegalArgumentException("output '" + output + "' is not a node of '" + name + "'");
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("model '" + name + "' has no input");
            }
            return new Functional(name, inputs, output, new ArrayList<>(nodes.values()));
        }

        private void requireNew(String nodeName) {
            if (nodes.containsKey(nodeName)) {
                throw new IllegalArgumentException("model '" + name + "' already has a node named '" + nodeName + "'");
            }
        }
    }
}
