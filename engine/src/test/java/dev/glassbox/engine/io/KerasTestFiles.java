package dev.glassbox.engine.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small Keras-layout HDF5 files for tests, the way Keras 2 lays them out: root attributes
 * {@code model_config} and {@code keras_version}, group {@code model_weights} with {@code layer_names}, and per
 * layer {@code weight_names} and datasets at {@code <layer>/<layer>/<role>:0}. Weights are nested Java arrays in
 * Keras' own layouts.
 */
final class KerasTestFiles {
    private final Map<String, Map<String, Object>> layers = new LinkedHashMap<>();

    /** Adds a layer's weights by role (an empty map for a layer without weights). */
    KerasTestFiles layer(String name, Map<String, Object> weights) {
        layers.put(name, weights);
        return this;
    }

    /**
     * Writes a Keras 1 full model from the Theano backend: datasets directly in each layer's group, named as
     * given plus {@code :0} (e.g. {@code conv_W:0}).
     */
    void writeKeras1(Path file, String modelConfig) {
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("model_config", modelConfig);
            hdf.putAttribute("keras_version", "1.2.2");
            hdf.putAttribute("backend", "theano");
            WritableGroup weights = hdf.putGroup("model_weights");
            weights.putAttribute("layer_names", layers.keySet().toArray(new String[0]));
            for (Map.Entry<String, Map<String, Object>> layer : layers.entrySet()) {
                WritableGroup group = weights.putGroup(layer.getKey());
                if (!layer.getValue().isEmpty()) {
                    List<String> names = new ArrayList<>();
                    for (Map.Entry<String, Object> w : layer.getValue().entrySet()) {
                        group.putDataset(w.getKey() + ":0", w.getValue());
                        names.add(w.getKey() + ":0");
                    }
                    group.putAttribute("weight_names", names.toArray(new String[0]));
                }
            }
        }
    }

    /** Writes a full model (with {@code model_config}), or the Keras 3 weights layout when {@code keras3}. */
    void write(Path file, String modelConfig, boolean keras3) {
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            if (keras3) {
                WritableGroup root = hdf.putGroup("layers");
                for (Map.Entry<String, Map<String, Object>> layer : layers.entrySet()) {
                    WritableGroup vars = root.putGroup(layer.getKey()).putGroup("vars");
                    int i = 0;
                    for (Object value : layer.getValue().values()) {
                        vars.putDataset(String.valueOf(i++), value);
                    }
                }
                return;
            }
            hdf.putAttribute("model_config", modelConfig);
            hdf.putAttribute("keras_version", "2.2.4");
            hdf.putAttribute("backend", "tensorflow");
            WritableGroup weights = hdf.putGroup("model_weights");
            weights.putAttribute("layer_names", layers.keySet().toArray(new String[0]));
            for (Map.Entry<String, Map<String, Object>> layer : layers.entrySet()) {
                WritableGroup group = weights.putGroup(layer.getKey());
                if (layer.getValue().isEmpty()) {
                    continue;                                   // no weight_names at all: read as "no weights"
                }
                WritableGroup inner = group.putGroup(layer.getKey());
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, Object> w : layer.getValue().entrySet()) {
                    String[] path = w.getKey().split("/");             // "d/kernel": a nested model's layer d
                    WritableGroup at = inner;
                    for (int i = 0; i < path.length - 1; i++) {
                        at = at.getChild(path[i]) instanceof WritableGroup g ? g : at.putGroup(path[i]);
                    }
                    at.putDataset(path[path.length - 1] + ":0", w.getValue());
                    names.add(layer.getKey() + "/" + w.getKey() + ":0");
                }
                group.putAttribute("weight_names", names.toArray(new String[0]));
            }
        }
    }
}
