package dev.glassbox.engine.io;

import dev.glassbox.engine.tensor.Tensor;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Keras HDF5 file, by layer and role. Keras 1 and 2 (and Keras 3's legacy {@code .h5}) write a
 * group per layer listed in the {@code layer_names} attribute; each layer group lists its datasets in
 * {@code weight_names}. Those attributes are the only reliable map: real files hold {@code dense_1/kernel:0},
 * {@code conv2d_1/conv2d_1_1/kernel:0}, Keras 1's {@code convolution2d_1_W:0} and nested models'
 * {@code conv2d_12/sequential_4/conv2d_12/kernel}, so paths are never derived from layer names and never taken in
 * dataset order. A weight's role is the last component of its name ({@code kernel}, {@code bias}, {@code gamma},
 * ...), with Keras 1's {@code W}, {@code b}, {@code running_mean} and {@code running_std} (which held the
 * variance) mapped to their Keras 2 names.
 *
 * <p>Keras 3's {@code .keras} archives store {@code layers/<class>/vars/<i>} instead, in the order the layer
 * creates its variables; {@link #fromKeras3} reads those by position, with the roles of the layer's class.
 */
final class KerasWeights {
    private final Path file;
    private final long fileSize;
    private final Map<String, Map<String, Tensor>> byLayer = new LinkedHashMap<>();
    private final Map<String, Map<String, Tensor>> byWeightName = new LinkedHashMap<>();
    private boolean keras3;

    private KerasWeights(Path file, long fileSize) {
        this.file = file;
        this.fileSize = fileSize;
    }

    /** Reads every layer listed in {@code layer_names} of {@code group} ({@code model_weights} or the root). */
    static KerasWeights fromLayerNames(Group group, Path file, long fileSize) {
        KerasWeights weights = new KerasWeights(file, fileSize);
        String where = group.getPath();
        String[] layerNames = strings(group, "layer_names", file);
        if (layerNames == null) {
            throw new WeightImportException(file, where, "no 'layer_names' attribute: not a Keras weights group");
        }
        for (String layer : layerNames) {
            Node node = child(group, layer);
            if (!(node instanceof Group layerGroup)) {
                throw new WeightImportException(file, where + layer, "layer '" + layer
                        + "' is listed in layer_names but its group is missing");
            }
            String[] weightNames = strings(layerGroup, "weight_names", file);
            Map<String, Tensor> roles = new LinkedHashMap<>();
            Map<String, Tensor> named = new LinkedHashMap<>();
            for (String weightName : weightNames == null ? new String[0] : weightNames) {
                Node w = child(layerGroup, weightName);
                String path = layerGroup.getPath() + weightName;
                if (!(w instanceof Dataset ds)) {
                    throw new WeightImportException(file, path, "listed in weight_names of layer '" + layer
                            + "' but there is no such dataset");
                }
                Tensor value = weights.read(ds, path);
                roles.put(role(layer, weightName), value);
                named.put(weightName, value);
            }
            weights.byLayer.put(layer, roles);
            weights.byWeightName.put(layer, named);
        }
        return weights;
    }

    /**
     * Reads a Keras 3 weights file ({@code model.weights.h5} of a {@code .keras} archive) the way Keras'
     * {@code saving_lib} addresses it: not by layer name but by position in the model's layer list, each layer's
     * group named after its class in snake case, numbered when the class repeats ({@code layers/dense},
     * {@code layers/dense_1}, {@code layers/conv2d_transpose}, {@code layers/re_lu}), the variables in
     * {@code vars/0, 1, ...} in creation order. A nested model's layers sit below its own group
     * ({@code layers/functional/layers/dense/vars/0}); tf.keras 2.13 wrote {@code _layer_checkpoint_dependencies}
     * where Keras 3 writes {@code layers}. Later Keras 3 releases also record the layer's name as the {@code name}
     * attribute of {@code vars}, which is checked when present.
     */
    static KerasWeights fromKeras3(Group root, Path file, long fileSize, KerasConfig config) {
        KerasWeights weights = new KerasWeights(file, fileSize);
        weights.keras3 = true;
        try {
            weights.readKeras3(root, config, "", "");
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFileException(file, "model.weights.h5 is corrupt or truncated (" + describe(e) + ")", e);
        }
        return weights;
    }

    /** Reads the layers of {@code config} below group path {@code at}; nested layers are keyed {@code outer.inner}. */
    private void readKeras3(Group root, KerasConfig config, String at, String qualifier) {
        Map<String, Integer> used = new HashMap<>();
        for (KerasConfig.LayerSpec spec : config.layers()) {
            String snake = snakeCase(spec.className());
            int repeat = used.merge(snake, 1, Integer::sum) - 1;
            String path = at + "layers/" + (repeat == 0 ? snake : snake + "_" + repeat);
            if (KerasImporter.isNestedModel(spec)) {
                readKeras3(root, KerasGraph.nestedConfig(spec, file), path + "/", qualifier + spec.name() + ".");
                continue;
            }
            List<String> roles = KerasArchive.roles(spec);
            if (roles.isEmpty()) {
                continue;
            }
            Group vars = varsGroup(root, path, spec, roles);
            String recorded = KerasImporter.stringAttribute(vars, "name", file);
            if (recorded != null && !recorded.equals(spec.name())) {
                throw new WeightImportException(file, vars.getPath(), "holds the variables of layer '" + recorded
                        + "', but the config puts layer '" + spec.name() + "' (" + spec.className() + ") there");
            }
            int count = vars.getChildren().size();
            if (count != roles.size()) {
                throw new WeightImportException(file, vars.getPath(), "holds " + count + " variables; "
                        + spec.className() + " layer '" + spec.name() + "' has " + roles.size() + " " + roles);
            }
            Map<String, Tensor> byRole = new LinkedHashMap<>();
            for (int i = 0; i < roles.size(); i++) {
                String name = vars.getPath() + i;
                if (!(vars.getChild(String.valueOf(i)) instanceof Dataset ds)) {
                    throw new WeightImportException(file, name, "missing or not a dataset: layer '" + spec.name()
                            + "' needs " + roles.size() + " variables " + roles);
                }
                byRole.put(roles.get(i), read(ds, name));
            }
            byLayer.put(qualifier + spec.name(), byRole);
        }
    }

    /** The {@code vars} group of a layer at {@code path}, or under tf.keras 2.13's name for it. */
    private Group varsGroup(Group root, String path, KerasConfig.LayerSpec spec, List<String> roles) {
        for (String candidate : List.of(path, path.replace("layers", "_layer_checkpoint_dependencies"))) {
            if (child(root, candidate + "/vars") instanceof Group vars) {
                return vars;
            }
        }
        throw new WeightImportException(file, path + "/vars", "missing: " + spec.className() + " layer '"
                + spec.name() + "' needs " + roles + "; Keras 3 stores a layer's variables under its class name"
                + " in snake case, numbered by its place among the model's layers of that class");
    }

    /** Keras' {@code naming.to_snake_case}: Conv2DTranspose → conv2d_transpose, ReLU → re_lu. */
    static String snakeCase(String className) {
        return className.replaceAll("\\W+", "").replaceAll("(.)([A-Z][a-z]+)", "$1_$2")
                .replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The weights of {@code layer} by role; empty for a layer without weights or not in the file. */
    Map<String, Tensor> layer(String layer) {
        return byLayer.getOrDefault(layer, Map.of());
    }

    /**
     * The weights of layer {@code inner} of the model nested as layer {@code outer} ({@code a.b} for a model
     * nested in a nested model). Keras 3 archives keep them apart ({@link #fromKeras3}); HDF5 files keep all of a
     * nested model's weights in the group of the outermost one, so they are those whose name ends in
     * {@code <inner>/<role>} (Keras 2: {@code sequential_4/conv2d_12/kernel:0}) or, Keras 1, in
     * {@code <inner>_<role>}.
     */
    Map<String, Tensor> nested(String outer, String inner) {
        if (keras3) {
            return byLayer.getOrDefault(outer + "." + inner, Map.of());
        }
        String group = outer.contains(".") ? outer.substring(0, outer.indexOf('.')) : outer;
        Map<String, Tensor> roles = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> w : byWeightName.getOrDefault(group, Map.of()).entrySet()) {
            String[] parts = w.getKey().split("/");
            String last = parts[parts.length - 1];
            if (parts.length >= 2 && parts[parts.length - 2].equals(inner) || last.startsWith(inner + "_")) {
                roles.put(role(inner, last), w.getValue());
            }
        }
        return roles;
    }

    boolean hasLayer(String layer) {
        return byLayer.containsKey(layer);
    }

    Path file() {
        return file;
    }

    /** {@code dense_1/kernel:0} → kernel; Keras 1 {@code dense_1_W:0} → kernel. */
    static String role(String layer, String weightName) {
        String last = weightName.substring(weightName.lastIndexOf('/') + 1);
        int colon = last.lastIndexOf(':');
        if (colon >= 0) {
            last = last.substring(0, colon);
        }
        if (last.startsWith(layer + "_")) {
            last = last.substring(layer.length() + 1);               // Keras 1: <layer>_<role>
        }
        return switch (last) {
            case "W" -> "kernel";
            case "b" -> "bias";
            case "running_mean" -> "moving_mean";
            case "running_std" -> "moving_variance";
            default -> last;
        };
    }

    /** A float dataset as a tensor, its declared size checked against the file's size before reading. */
    private Tensor read(Dataset ds, String path) {
        try {
            int[] dims = ds.isScalar() ? new int[0] : ds.getDimensions();
            long count = 1;
            for (int d : dims) {
                if (d < 0) {
                    throw new WeightImportException(file, path, "negative dimension in shape "
                            + java.util.Arrays.toString(dims));
                }
                count = Math.multiplyExact(count, d);
            }
            Class<?> type = ds.getJavaType();
            int bytes = type == double.class ? 8 : type == float.class ? 4 : -1;
            if (bytes < 0) {
                throw new WeightImportException(file, path, "has element type " + type.getSimpleName()
                        + "; weights must be float32 or float64");
            }
            if (count > Integer.MAX_VALUE - 8 || count * bytes > fileSize) {
                throw new WeightImportException(file, path, "declares " + count + " elements of " + bytes
                        + " bytes, more than the file's " + fileSize + " bytes: the file is truncated or corrupt");
            }
            Object flat = ds.isScalar() ? ds.getData() : ds.getDataFlat();
            float[] values;
            if (flat instanceof float[] f) {
                values = f;
            } else if (flat instanceof double[] d) {
                values = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    values[i] = (float) d[i];
                }
            } else if (flat instanceof Float f) {
                values = new float[] {f};
            } else if (flat instanceof Double d) {
                values = new float[] {d.floatValue()};
            } else {
                throw new WeightImportException(file, path, "unexpected data " + flat.getClass().getSimpleName());
            }
            if (values.length != count) {
                throw new WeightImportException(file, path, "holds " + values.length + " values but its shape "
                        + java.util.Arrays.toString(dims) + " declares " + count);
            }
            return new Tensor(values, dims);
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new WeightImportException(file, path, "cannot be read (" + describe(e) + ")", e);
        }
    }

    /**
     * A string-list attribute; h5py writes fixed-length ({@code |S10}) or variable-length strings, and an empty
     * list as an empty float64 array (which jhdf returns as null). A list too long for one HDF5 object header
     * (64 KB: the weight names of a large nested model) Keras splits into {@code <name>0}, {@code <name>1}, ...,
     * read here in order. Null when the attribute is absent or empty.
     */
    static String[] strings(Node node, String name, Path file) {
        String[] whole = stringsAttribute(node, name, file);
        if (whole != null || attribute(node, name + "0", file) == null) {
            return whole;
        }
        java.util.List<String> chunks = new java.util.ArrayList<>();
        for (int chunk = 0; attribute(node, name + chunk, file) != null; chunk++) {
            String[] part = stringsAttribute(node, name + chunk, file);
            chunks.addAll(java.util.Arrays.asList(part == null ? new String[0] : part));
        }
        return chunks.isEmpty() ? null : chunks.toArray(new String[0]);
    }

    private static Attribute attribute(Node node, String name, Path file) {
        try {
            return node.getAttribute(name);
        } catch (RuntimeException e) {
            throw new WeightImportException(file, node.getPath() + "@" + name, "cannot be read (" + describe(e)
                    + ")", e);
        }
    }

    private static String[] stringsAttribute(Node node, String name, Path file) {
        try {
            Attribute attribute = node.getAttribute(name);
            if (attribute == null) {
                return null;
            }
            Object data = attribute.getData();
            if (data instanceof String s) {
                return new String[] {s};
            }
            if (data instanceof String[] list) {
                return list;
            }
            if (data == null || data.getClass().isArray() && java.lang.reflect.Array.getLength(data) == 0) {
                return null;
            }
            throw new WeightImportException(file, node.getPath() + "@" + name, "expected a list of strings, got "
                    + data.getClass().getSimpleName());
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new WeightImportException(file, node.getPath() + "@" + name, "cannot be read (" + describe(e)
                    + ")", e);
        }
    }

    /** A child by a name that may itself contain '/' (then it is a path below the group). */
    private static Node child(Group group, String name) {
        try {
            return group.getByPath(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst()
                .orElse(""));
    }
}
