package dev.glassbox.engine.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.LayerConfigs;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Glassbox's own model format: the architecture as JSON and the parameters in safetensors.
 *
 * <p>{@link #save} writes {@code NAME.safetensors} (parameters named {@code layer.param}, e.g.
 * {@code hidden1.kernel}, with the JSON architecture also stored in its metadata under {@value #CONFIG_KEY}, so
 * the one file is enough to load) and {@code NAME.json} beside it (the same architecture, for people and for
 * {@link #fromJson} + {@link #loadWeights}, Keras' {@code model_from_json} + {@code load_weights} workflow).
 */
public final class ModelFile {
    public static final String CONFIG_KEY = "glassbox.config";
    public static final String FORMAT = "glassbox";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFile() {}

    /** The architecture as JSON: model name and class, and each layer's type, name and config. */
    public static String toJson(Model model) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("class_name", "Sequential");
        root.put("name", model.name());
        root.put("data_format", model.dataFormat().name().toLowerCase(java.util.Locale.ROOT));
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Layer layer : model.layers()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class_name", layer.getClass().getSimpleName());
            entry.put("name", layer.name());
            entry.put("config", layer.config());
            layers.add(entry);
        }
        root.put("layers", layers);
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A freshly initialised model from its JSON architecture. */
    public static Model fromJson(String json, Path source) {
        Map<String, Object> root;
        try {
            root = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new ModelFileException(source, "architecture is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null) {                                     // the JSON text null, which maps to no map at all
            throw new ModelFileException(source, "architecture is not a JSON object");
        }
        if (!FORMAT.equals(root.get("format"))) {
            throw new ModelFileException(source, "not a Glassbox architecture (format '" + root.get("format")
                    + "', expected '" + FORMAT + "')");
        }
        if (!"Sequential".equals(root.get("class_name"))) {
            throw new ModelFileException(source, "model class '" + root.get("class_name") + "' is not supported");
        }
        if (!(root.get("layers") instanceof List<?> entries)) {
            throw new ModelFileException(source, "architecture has no 'layers' list");
        }
        Sequential model = new Sequential(String.valueOf(root.getOrDefault("name", "model")));
        Object format = root.get("data_format");
        if (format != null) {
            try {
                model.setDataFormat(Model.DataFormat.valueOf(format.toString().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(source, "data_format '" + format
                        + "' is neither channels_first nor channels_last");
            }
        }
        for (Object o : entries) {
            if (!(o instanceof Map<?, ?> entry)) {
                throw new ModelFileException(source, "a layer entry is not an object: " + o);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> config = entry.get("config") instanceof Map<?, ?> c ? (Map<String, Object>) c
                    : Map.of();
            try {
                model.add(LayerConfigs.create(String.valueOf(entry.get("class_name")),
                        String.valueOf(entry.get("name")),
                        config));
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(source, e.getMessage(), e);
            }
        }
        return model;
    }

    /** Reads an architecture file written by {@link #save} (or {@link #toJson}). */
    public static Model fromJson(Path jsonFile) throws IOException {
        return fromJson(JsonText.read(jsonFile), jsonFile);
    }

    /**
     * True when {@code file} is named as {@link #save} writes a model: NAME.safetensors, in any case. The loaders
     * know a Glassbox model by this extension, and any other would let NAME.json overwrite the weights when the name
     * itself ends in .json.
     */
    public static boolean hasModelName(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors");
    }

    /**
     * Writes {@code file} (.safetensors, with the architecture in its metadata) and the architecture as
     * {@code file} with the extension .json; both atomically.
     *
     * @throws IllegalArgumentException if the name of {@code file} does not end in .safetensors
     */
    public static void save(Model model, Path file) throws IOException {
        if (!hasModelName(file)) {
            throw new IllegalArgumentException("cannot save a model as " + file + ": a Glassbox model is written as"
                    + " NAME.safetensors, with NAME.json beside it; give a name ending in .safetensors");
        }
        String json = toJson(model);
        saveWeights(model, file, Map.of(CONFIG_KEY, json));
        Path jsonFile = sibling(file, ".json");
        AtomicFile.write(jsonFile, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes the parameters only, named {@code layer.param}. */
    public static void saveWeights(Model model, Path file, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(p.fullName(), p.value());
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", FORMAT);
        SafeTensors.write(file, tensors, meta);
    }

    /** Loads a model saved by {@link #save}: architecture from the file's metadata, then the weights. */
    public static Model load(Path file) throws IOException {
        SafeTensors.Contents contents = readContents(file);
        String json = contents.metadata().get(CONFIG_KEY);
        if (json == null) {
            Path jsonFile = sibling(file, ".json");
            if (!Files.exists(jsonFile)) {
                throw new ModelFileException(file, "holds weights only (no architecture in its metadata, no "
                        + jsonFile.getFileName() + " beside it); build the model and use loadWeights");
            }
            json = JsonText.read(jsonFile);
        }
        Model model = fromJson(json, file);
        assign(model, contents.tensors(), file);
        return model;
    }

    /** Sets every parameter of {@code model} from {@code file}, by name; all must be present with their shapes. */
    public static void loadWeights(Model model, Path file) throws IOException {
        assign(model, readContents(file).tensors(), file);
    }

    private static SafeTensors.Contents readContents(Path file) throws IOException {
        try {
            return SafeTensors.read(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "no such file");
        }
    }

    private static void assign(Model model, Map<String, Tensor> tensors, Path file) {
        for (Parameter p : model.parameters()) {
            Tensor t = tensors.get(p.fullName());
            if (t == null) {
                throw new ModelFileException(file, "tensor '" + p.fullName() + "' is missing; the file holds "
                        + tensors.keySet());
            }
            if (!java.util.Arrays.equals(t.shape(), p.shape())) {
                throw new ModelFileException(file, "tensor '" + p.fullName() + "' has shape "
                        + Shapes.toString(t.shape()) + " but the model expects " + Shapes.toString(p.shape()));
            }
            p.set(t);
        }
        if (tensors.size() != model.parameters().size()) {
            List<String> extra = new ArrayList<>(tensors.keySet());
            extra.removeAll(model.namedParameters().keySet());
            throw new ModelFileException(file, "holds tensors the model does not have: " + extra);
        }
    }

    private static Path sibling(Path file, String extension) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + extension);
    }
}
