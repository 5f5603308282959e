package dev.glassbox.engine.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small Keras-layout HDF5 files for tests, the way Keras 2 lays them out: root attributes
 * {@code model_config} and {@code keras_version}, group {@code model_weights} with {@code layer_names}, and per
 * layer {@code weight_names} and datasets at {@code <layer>/<layer>/<role>:0}. Weights are nested Java arrays in
 * Keras' own layouts.
 */
final class KerasTestFiles {
    private final Map<String, Map<String, Object>> layers = new LinkedHashMap<>();
    private final Map<String, String> recordedNames = new LinkedHashMap<>();

    /** Adds a layer's weights by role (an empty map for a layer without weights). */
    KerasTestFiles layer(String name, Map<String, Object> weights) {
        layers.put(name, weights);
        return this;
    }

    /** The weights added for {@code name}. */
    Map<String, Object> weights(String name) {
        return layers.get(name);
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

    /**
     * Writes a Keras 3 {@code .keras} archive: {@code config.json}, {@code metadata.json} and
     * {@code model.weights.h5}, whose layers were added as their group paths ({@code layers/dense_1},
     * {@code layers/functional/layers/conv2d}), each holding {@code vars/0, 1, ...} in the order given, with the
     * layer's name as the {@code vars} group's {@code name} attribute when {@link #recordName} gave one (as later
     * Keras 3 releases do).
     */
    Path writeKeras3(Path archive, String config) throws IOException {
        Path weightsFile = writeKeras3Weights(archive.resolveSibling(archive.getFileName() + ".weights.h5"));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            entry(zip, "metadata.json", "{\"keras_version\": \"3.5.0\", \"date_saved\": \"2024-09-01@12:00:00\"}"
                    .getBytes(StandardCharsets.UTF_8));
            entry(zip, "config.json", config.getBytes(StandardCharsets.UTF_8));
            entry(zip, "model.weights.h5", Files.readAllBytes(weightsFile));
        }
        Files.delete(weightsFile);
        return archive;
    }

    /** One zip entry with a fixed time, so the same archive comes out byte for byte on every run. */
    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(1_725_192_000_000L);                           // 2024-09-01 12:00 UTC
        zip.putNextEntry(entry);
        zip.write(bytes);
    }

    /** Writes the weights alone, as Keras 3's {@code model.save_weights("x.weights.h5")} does. */
    Path writeKeras3Weights(Path weightsFile) {
        try (WritableHdfFile hdf = HdfFile.write(weightsFile)) {
            for (Map.Entry<String, Map<String, Object>> layer : layers.entrySet()) {
                WritableGroup at = null;
                for (String part : (layer.getKey() + "/vars").split("/")) {
                    WritableGroup parent = at;
                    Object existing = parent == null ? hdf.getChild(part) : parent.getChild(part);
                    at = existing instanceof WritableGroup g ? g
                            : parent == null ? hdf.putGroup(part) : parent.putGroup(part);
                }
                if (recordedNames.containsKey(layer.getKey())) {
                    at.putAttribute("name", recordedNames.get(layer.getKey()));
                }
                int i = 0;
                for (Object value : layer.getValue().values()) {
                    at.putDataset(String.valueOf(i++), value);
                }
            }
        }
        return weightsFile;
    }

    /** The layer name a later Keras 3 archive records on the {@code vars} group at {@code path}. */
    KerasTestFiles recordName(String path, String name) {
        recordedNames.put(path, name);
        return this;
    }

    /** Writes a full model (with {@code model_config}) as Keras 2.2.4 lays it out. */
    void write(Path file, String modelConfig) {
        try (WritableHdfFile hdf = HdfFile.write(file)) {
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
