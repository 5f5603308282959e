package dev.glassbox.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.io.KerasConfig.LayerSpec;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Imports Keras models: full-model HDF5 files ({@code model.save("x.h5")}, Keras 1.x, 2.x, tf.keras and Keras 3's
 * legacy h5), Keras 3 {@code .keras} archives, and weights-only files ({@code save_weights}, in the legacy layout or
 * Keras 3's {@code .weights.h5} layout) with their JSON architecture ({@code to_json}).
 *
 * <pre>{@code
 * Model model = KerasImporter.load(Path.of("mnist_cnn.h5"));
 * Tensor probabilities = model.forward(imagesNhwc);          // [N, 28, 28, 1] as Keras took them
 * }</pre>
 *
 * <h2>What the imported model looks like</h2>
 * Every Keras layer becomes one Glassbox layer of the same name. The engine computes NCHW, so a channels-last
 * model starts with its input layer turned into a {@code Permute} (NHWC → NCHW) of the input layer's name (for a
 * Sequential model without an explicit input layer: {@code <first layer>_input}, the name Keras gives it), and
 * the model is marked {@link Model.DataFormat#CHANNELS_LAST}, so {@link Model#toUserLayout} shows every rank-4
 * output NHWC, exactly as Keras produced it. The model is returned in inference mode.
 *
 * Models nested as layers are inlined, their layers named {@code <outer>.<inner>} (see {@link KerasGraph}).
 *
 * <h2>Failures</h2>
 * Everything wrong with a file is a {@link ModelFileException} (a {@link WeightImportException} for a weight)
 * naming the file: unsupported layers (with the list of supported ones), missing or misshapen
 * weights, truncated or corrupt HDF5.
 */
public final class KerasImporter {
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private KerasImporter() {}

    /** A full Keras model: an HDF5 file with a {@code model_config} attribute, or a {@code .keras} archive. */
    public static Model load(Path file) throws IOException {
        if (KerasArchive.isZip(file)) {
            return KerasArchive.load(file);
        }
        requireHdf5(file);
        try (HdfFile hdf = open(file)) {
            return loadFullModel(hdf, file);
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(file, e);
        }
    }

    private static Model loadFullModel(HdfFile hdf, Path file) throws IOException {
        String json = stringAttribute(hdf, "model_config", file);
        if (json == null) {
            throw new ModelFileException(file, "no 'model_config' attribute: this is a weights-only file;"
                    + " give the architecture too (the JSON of model.to_json(), --config model.json)");
        }
        Group weights = hdf.getChild("model_weights") instanceof Group g ? g : hdf;
        return build(KerasConfig.parse(json, file), group -> KerasWeights.fromLayerNames(weights, file,
                Files.size(file)), isTheano(hdf, file), file);
    }

    /** A weights-only file ({@code model.save_weights("w.h5")}) with its architecture ({@code model.to_json()}). */
    public static Model load(Path weightsFile, Path configJson) throws IOException {
        String json = JsonText.read(configJson);
        KerasConfig config = KerasConfig.parse(json, configJson);
        checkInputShapes(config);                       // a bad or huge input shape fails before any weight is read
        requireHdf5(weightsFile);
        try (HdfFile hdf = open(weightsFile)) {
            Group weights = hdf.getChild("model_weights") instanceof Group g ? g : hdf;
            if (isKeras3Weights(weights, weightsFile)) {
                return build(config, c -> KerasWeights.fromKeras3(hdf, weightsFile, Files.size(weightsFile), c),
                        false, weightsFile);
            }
            return build(config, c -> KerasWeights.fromLayerNames(weights, weightsFile, Files.size(weightsFile)),
                    isTheano(hdf, weightsFile), weightsFile);
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(weightsFile, e);
        }
    }

    /**
     * Keras 3's {@code model.save_weights("x.weights.h5")} writes the archive's weights layout ({@code layers/...}
     * groups, no {@code layer_names}) rather than the legacy one.
     */
    private static boolean isKeras3Weights(Group weights, Path file) {
        return KerasWeights.strings(weights, "layer_names", file) == null
                && (weights.getChild("layers") instanceof Group
                        || weights.getChild("_layer_checkpoint_dependencies") instanceof Group);
    }

    /** jhdf's own failures on a damaged file (bad addresses, short reads) as one clear error naming the file. */
    static ModelFileException corrupt(Path file, RuntimeException e) {
        return new ModelFileException(file, "corrupt or truncated HDF5 file (" + KerasWeights.describe(e)
                + (e.getCause() != null ? "; " + KerasWeights.describe(e.getCause()) : "") + ")", e);
    }

    /** Reads the weights once the config is known (Keras 3 archives need the config to name their variables). */
    interface WeightSource {
        KerasWeights read(KerasConfig config) throws IOException;
    }

    /** Builds the model layer by layer, probing each layer with a one-example input to learn the next rank. */
    static Model build(KerasConfig config, WeightSource source, boolean theano, Path file) throws IOException {
        try {
            return buildChecked(config, source, theano, file);
        } catch (KerasKeys.BadValue e) {
            throw new ModelFileException(config.source(), e.getMessage(), e);
        }
    }

    private static Model buildChecked(KerasConfig config, WeightSource source, boolean theano, Path file)
            throws IOException {
        checkSupported(config);
        KerasWeights weights = source.read(config);
        boolean channelsLast = !channelsFirst(config);
        try (NoGrad ignored = NoGrad.enter()) {
            Model model = config.isSequential() && config.layers().stream().noneMatch(KerasImporter::isNestedModel)
                    ? sequential(config, weights, theano, channelsLast, file)
                    : KerasGraph.build(config, weights, file, channelsLast, theano);
            model.eval();
            model.setDataFormat(channelsLast ? Model.DataFormat.CHANNELS_LAST : Model.DataFormat.CHANNELS_FIRST);
            model.setInputShape(declaredInputShape(config));
            return model;
        } catch (ModelFileException | KerasKeys.BadValue e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // the weights and the architecture disagree (a kernel's shape against its input, say): either may be
            // at fault, so a separate architecture file is named too
            String architecture = config.source().equals(file) ? "" : " with the architecture of " + config.source();
            throw new ModelFileException(file, "the model cannot be built" + architecture + ": " + e.getMessage(), e);
        }
    }

    private static Sequential sequential(KerasConfig config, KerasWeights weights, boolean theano,
            boolean channelsLast, Path file) {
        Sequential model = new Sequential(config.name());
        List<LayerSpec> specs = config.layers();
        if (specs.isEmpty()) {
            throw new ModelFileException(config.source(), "the Sequential model has no layers");
        }
        int[] shape = inputShape(specs.get(0), config.source());
        Tensor probe = Tensors.zeros(shape);
        boolean explicitInput = specs.get(0).className().equals("InputLayer");
        if (!explicitInput) {
            String name = specs.get(0).name() + "_input";
            Layer adapter = KerasLayers.inputAdapter(name, context(file, config.source(), channelsLast, theano, probe));
            model.add(adapter);
            probe = probe(adapter, List.of(probe), config.source());
        }
        for (LayerSpec spec : specs) {
            Layer layer = KerasLayers.build(spec, weights.layer(spec.name()),
                    context(file, config.source(), channelsLast, theano, probe));
            layer.setTraining(false);                 // the probe must not move BatchNormalization's statistics
            model.add(layer);
            probe = probe(layer, List.of(probe), config.source());
        }
        return model;
    }

    /**
     * Runs a layer on the one-example probe. A config can ask for an output far larger than the heap (an
     * UpSampling2D of size 4096 on a small image is 4 GB for one example): that is reported as the layer's error,
     * not thrown on as an {@link OutOfMemoryError}. Catching it is safe here: the allocation that failed never
     * happened, and the probes are dropped with the failed import.
     */
    static Tensor probe(Layer layer, List<Tensor> inputs, Path configFile) {
        try {
            return layer.call(inputs);
        } catch (OutOfMemoryError e) {
            throw new ModelFileException(configFile, "layer '" + layer.name() + "': its output for one example"
                    + " does not fit in the heap (" + e.getMessage() + ", " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB at most); the input shape or the layer's sizes are too large", e);
        }
    }

    /** Refuses unsupported layers before anything is read, looking inside nested models too. */
    private static void checkSupported(KerasConfig config) {
        if (config.layers().isEmpty()) {
            throw new ModelFileException(config.source(), "model '" + config.name() + "' has no layers");
        }
        for (LayerSpec spec : config.layers()) {
            if (isNestedModel(spec)) {
                checkSupported(KerasGraph.nestedConfig(spec, config.source()));
            } else if (!KerasLayers.SUPPORTED.contains(spec.className()) || KerasLayers.mergesModels(spec)) {
                throw KerasLayers.unsupported(spec, config.source());
            }
        }
    }

    /** A model used as a layer of another. */
    static boolean isNestedModel(LayerSpec spec) {
        return spec.className().equals("Sequential") || spec.className().equals("Functional")
                || spec.className().equals("Model");
    }

    private static KerasLayers.Context context(Path file, Path configFile, boolean channelsLast, boolean theano,
            Tensor probe) {
        return new KerasLayers.Context(file, configFile, channelsLast, theano, probe.rank());
    }

    /**
     * {@link #inputShape} of the layers {@code KerasGraph} will probe (a Sequential model's first layer, every input
     * layer of a functional one), before the weights file is opened.
     */
    private static void checkInputShapes(KerasConfig config) {
        for (LayerSpec spec : config.layers()) {
            if (config.isSequential() ? spec == config.layers().get(0) : spec.className().equals("InputLayer")) {
                inputShape(spec, config.source());
            }
        }
    }

    /** The size a probe gives a dimension the config leaves open (null): any size the layers accept would do. */
    private static final int OPEN_SIZE_PROBE = 32;
    /**
     * The largest example the importer probes the layers with (2²⁴ values, 64 MB; a 2048 × 2048 RGB image is 12.6
     * million): the probe is allocated before any weight is read, so a config must not be able to ask for more.
     */
    static final long MAX_PROBE_VALUES = 1L << 24;

    /**
     * A one-example input shape from {@code batch_input_shape} (Keras 1/2) or {@code batch_shape} (Keras 3), in
     * the user's layout (NHWC for a channels-last model); sizes left open (null) other than the batch become
     * {@value #OPEN_SIZE_PROBE}, any other size that is not an integer from 1 to 65,536 is an error, and so is an
     * example of more than {@link #MAX_PROBE_VALUES} values.
     */
    static int[] inputShape(LayerSpec spec, Path file) {
        JsonNode c = spec.config();
        JsonNode shape = c.has("batch_input_shape") ? c.get("batch_input_shape") : c.path("batch_shape");
        if (!shape.isArray() || shape.size() < 2) {
            throw new ModelFileException(file, "layer '" + spec.name() + "' starts the model but has no"
                    + " batch_input_shape or batch_shape; the input shape must be known");
        }
        int[] dims = new int[shape.size()];
        dims[0] = 1;
        long values = 1;
        for (int i = 1; i < dims.length; i++) {
            JsonNode size = shape.get(i);
            if (!size.isInt() && !size.isNull()) {
                throw new ModelFileException(file, "layer '" + spec.name() + "' has input shape " + shape
                        + ": sizes must be integers, or null for a size left open");
            }
            dims[i] = size.isNull() ? OPEN_SIZE_PROBE : size.asInt();
            if (dims[i] <= 0 || dims[i] > 1 << 16) {
                throw new ModelFileException(file, "layer '" + spec.name() + "' has input shape " + shape
                        + ": sizes must be between 1 and 65536");
            }
            values *= dims[i];
            if (values > MAX_PROBE_VALUES) {
                throw new ModelFileException(file, "layer '" + spec.name() + "' has input shape " + shape
                        + ": one example of more than " + MAX_PROBE_VALUES + " values is not supported");
            }
        }
        return dims;
    }

    /**
     * One example's shape as the first input layer declares it, when every size is known; null when the model
     * takes several inputs or leaves a size open (a fully convolutional model, a sequence of any length).
     */
    private static int[] declaredInputShape(KerasConfig config) {
        long inputs = config.layers().stream().filter(s -> s.className().equals("InputLayer")).count();
        LayerSpec first = config.layers().get(0);
        if (inputs > 1 || isNestedModel(first)) {
            return null;
        }
        JsonNode c = first.config();
        JsonNode shape = c.has("batch_input_shape") ? c.get("batch_input_shape") : c.path("batch_shape");
        if (!shape.isArray() || shape.size() < 2) {
            return null;
        }
        int[] dims = new int[shape.size() - 1];
        for (int i = 0; i < dims.length; i++) {
            if (!shape.get(i + 1).isInt()) {
                return null;
            }
            dims[i] = shape.get(i + 1).asInt();
        }
        return dims;
    }

    private static boolean channelsFirst(KerasConfig config) {
        return config.layers().stream().anyMatch(KerasImporter::channelsFirst);
    }

    private static boolean channelsFirst(LayerSpec spec) {
        String format = KerasKeys.text(spec, "", "data_format", "dim_ordering");
        return format.equals("channels_first") || format.equals("th");
    }

    private static boolean isTheano(HdfFile hdf, Path file) {
        return "theano".equals(stringAttribute(hdf, "backend", file));
    }

    /**
     * Opens the file as a read-only memory map (files up to 2 GB), so that a corrupt size or address in the file
     * makes jhdf read past the end of the map and fail at once; read through a channel, jhdf first allocates and
     * zeroes a buffer of whatever size the file declares, which took seconds for a forged header.
     */
    static HdfFile open(Path file) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            if (channel.size() <= Integer.MAX_VALUE) {
                return HdfFile.fromByteBuffer(channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0,
                        channel.size()));
            }
        } catch (RuntimeException e) {
            throw new ModelFileException(file, "not a readable HDF5 file (" + KerasWeights.describe(e) + ")", e);
        }
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw new ModelFileException(file, "not a readable HDF5 file (" + KerasWeights.describe(e) + ")", e);
        }
    }

    /** Refuses anything that does not start with the HDF5 signature (at 0, 512, 1024, ... as the format allows). */
    static void requireHdf5(Path file) throws IOException {
        long size = Files.size(file);
        byte[] head = new byte[8];
        try (var channel = Files.newByteChannel(file)) {
            for (long offset = 0; offset + 8 <= size && offset <= 1 << 20; offset = offset == 0 ? 512 : offset * 2) {
                channel.position(offset);
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(head);
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    // fill
                }
                if (java.util.Arrays.equals(head, HDF5_SIGNATURE)) {
                    return;
                }
            }
        }
        throw new ModelFileException(file, "not an HDF5 file (no HDF5 signature)");
    }

    /** A string attribute of the root (variable- or fixed-length), or null when absent. */
    static String stringAttribute(Node node, String name, Path file) {
        try {
            Attribute attribute = node.getAttribute(name);
            if (attribute == null) {
                return null;
            }
            Object data = attribute.getData();
            if (data instanceof String s) {
                return s;
            }
            if (data instanceof String[] list && list.length == 1) {
                return list[0];
            }
            throw new ModelFileException(file, "attribute '" + name + "' is not a string");
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFileException(file, "attribute '" + name + "' cannot be read ("
                    + KerasWeights.describe(e) + ")", e);
        }
    }
}
