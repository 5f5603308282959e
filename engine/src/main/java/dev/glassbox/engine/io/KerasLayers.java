package dev.glassbox.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.engine.io.KerasConfig.LayerSpec;
import dev.glassbox.engine.nn.Activation;
import dev.glassbox.engine.nn.Add;
import dev.glassbox.engine.nn.BatchNormalization;
import dev.glassbox.engine.nn.BoundedRelu;
import dev.glassbox.engine.nn.Concatenate;
import dev.glassbox.engine.nn.Conv2D;
import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Dropout;
import dev.glassbox.engine.nn.Flatten;
import dev.glassbox.engine.nn.GlobalPooling2D;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Permute;
import dev.glassbox.engine.nn.Pooling2D;
import dev.glassbox.engine.nn.ZeroPadding2D;
import dev.glassbox.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns one Keras layer (class name, config, weights by role) into a Glassbox layer that computes what Keras
 * computed, on the engine's NCHW tensors. The conversions:
 * <ul>
 * <li>Conv2D kernels: Keras/TensorFlow [kh, kw, in, out] → [out, in, kh, kw] ({@code permute(3, 2, 0, 1)}); Keras 1
 *     with Theano ordering ({@code dim_ordering: th}) already stores [out, in, kh, kw], and the Theano backend
 *     convolved (flipped) where TensorFlow correlates, so those kernels are flipped in both spatial axes;</li>
 * <li>DepthwiseConv2D: [kh, kw, in, multiplier] → a grouped convolution (groups = in) with kernel
 *     [in·multiplier, 1, kh, kw], output channel c·multiplier + m, the order Keras uses;</li>
 * <li>axes (BatchNormalization, Concatenate) are Keras' channels-last axes, mapped to NCHW;</li>
 * <li>Flatten flattens in Keras' (H, W, C) order; 'same' padding follows TensorFlow (the odd extra row/column at
 *     the bottom/right).</li>
 * </ul>
 * Keras 1 keys ({@code nb_filter}, {@code nb_row}/{@code nb_col}, {@code border_mode}, {@code subsample},
 * {@code output_dim}, {@code p}, {@code bias}) are read where Keras 2 keys are missing.
 */
final class KerasLayers {
    /** The Keras class names this importer turns into layers. */
    static final List<String> SUPPORTED = List.of("InputLayer", "Dense", "Conv2D", "Convolution2D",
            "DepthwiseConv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
            "Flatten", "Dropout", "SpatialDropout2D", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax",
            "BatchNormalization", "ZeroPadding2D", "Add", "Concatenate", "Conv2DTranspose", "SeparableConv2D",
            "Embedding", "Reshape", "Rescaling", "UpSampling2D", "Cropping2D", "Merge");

    /**
     * What a layer needs to know about its surroundings.
     *
     * @param file the file the weights come from, named in errors about a weight
     * @param configFile the file the architecture comes from, named in errors about the layer's config (the same
     *     file, but for a weights file imported with a separate architecture)
     * @param channelsLast the model takes NHWC input (Keras' default); false for {@code channels_first} models
     * @param theanoKernels Keras 1 Theano-ordered kernels ([out, in, kh, kw], flipped)
     * @param inputRank the engine rank of the layer's (first) input, batch included
     */
    record Context(Path file, Path configFile, boolean channelsLast, boolean theanoKernels, int inputRank) {}

    private KerasLayers() {}

    /** The layer, its weights set; fails with the list of supported types for anything else. */
    static Layer build(LayerSpec spec, Map<String, Tensor> weights, Context context) {
        String name = spec.name();
        return switch (spec.className()) {
            case "InputLayer" -> inputAdapter(name, context);
            case "Dense" -> dense(spec, weights, context);
            case "Conv2D", "Convolution2D" -> conv2d(spec, weights, context, false);
            case "DepthwiseConv2D" -> conv2d(spec, weights, context, true);
            case "MaxPooling2D", "AveragePooling2D" -> pooling(spec, context);
            case "GlobalAveragePooling2D" -> new GlobalPooling2D(name, globalPooling(spec, context,
                    GlobalPooling2D.Kind.AVERAGE));
            case "GlobalMaxPooling2D" -> new GlobalPooling2D(name, globalPooling(spec, context,
                    GlobalPooling2D.Kind.MAX));
            case "Flatten" -> new Flatten(name, context.channelsLast() ? Flatten.Order.CHANNELS_LAST
                    : Flatten.Order.ROW_MAJOR);
            case "Dropout", "SpatialDropout2D" -> new Dropout(name, (float) KerasKeys.number(spec, 0, "rate", "p"));
            case "Activation" -> new Activation(name, activation(spec, context));
            case "ReLU" -> new BoundedRelu(name, (float) KerasKeys.number(spec, Double.POSITIVE_INFINITY, "max_value"),
                    (float) KerasKeys.number(spec, 0, "negative_slope"),
                    (float) KerasKeys.number(spec, 0, "threshold"));
            case "LeakyReLU" -> new Activation(name, "leaky_relu",
                    (float) KerasKeys.number(spec, 0.3, "alpha", "negative_slope"));
            case "ELU" -> new Activation(name, "elu", (float) KerasKeys.number(spec, 1, "alpha"));
            case "Softmax" -> softmax(spec, context);
            case "BatchNormalization" -> batchNormalization(spec, weights, context);
            case "ZeroPadding2D" -> zeroPadding(spec, context);
            case "Add" -> new Add(name);
            case "Merge" -> merge(spec, context);
            case "Concatenate" -> new Concatenate(name, engineAxis(KerasKeys.integer(spec, -1, "axis"), context));
            case "Conv2DTranspose" -> KerasMoreLayers.conv2dTranspose(spec, weights, context);
            case "SeparableConv2D" -> KerasMoreLayers.separableConv2d(spec, weights, context);
            case "Embedding" -> KerasMoreLayers.embedding(spec, weights, context);
            case "Reshape" -> KerasMoreLayers.reshape(spec, context);
            case "Rescaling" -> KerasMoreLayers.rescaling(spec, context);
            case "UpSampling2D" -> KerasMoreLayers.upSampling(spec, context);
            case "Cropping2D" -> KerasMoreLayers.cropping(spec, context);
            default -> throw unsupported(spec, context.configFile());
        };
    }

    static ModelFileException unsupported(LayerSpec spec, Path file) {
        return new ModelFileException(file, "layer '" + spec.name() + "' of type " + spec.className()
                + " is not supported; supported types: " + String.join(", ", SUPPORTED));
    }

    /** The model's input layer: NHWC → NCHW for images of a channels-last model, the identity otherwise. */
    static Layer inputAdapter(String name, Context context) {
        int dims = context.inputRank() - 1;
        if (dims == 3 && context.channelsLast()) {
            return new Permute(name, 3, 1, 2);
        }
        int[] identity = new int[dims];
        for (int i = 0; i < dims; i++) {
            identity[i] = i + 1;
        }
        return new Permute(name, identity);
    }

    private static Dense dense(LayerSpec spec, Map<String, Tensor> weights, Context context) {
        Tensor kernel = require(spec, weights, "kernel", context);
        if (kernel.rank() != 2) {
            throw new WeightImportException(context.file(), spec.name() + "/kernel", "Dense kernel must be"
                    + " [in, out], got shape " + java.util.Arrays.toString(kernel.shape()));
        }
        requireDeclared(spec, "kernel", "units", new int[] {kernel.dim(1)}, context, "units", "output_dim");
        boolean useBias = KerasKeys.bool(spec, true, "use_bias", "bias");
        Dense dense = new Dense(spec.name(), kernel.dim(0), kernel.dim(1), activation(spec, context), useBias);
        set(dense, "kernel", kernel, context);
        if (useBias) {
            set(dense, "bias", require(spec, weights, "bias", context), context);
        }
        return dense;
    }

    private static Conv2D conv2d(LayerSpec spec, Map<String, Tensor> weights, Context context, boolean depthwise) {
        Tensor kernel = require(spec, weights, depthwise ? "depthwise_kernel" : "kernel", context);
        if (kernel.rank() != 4) {
            throw new WeightImportException(context.file(), spec.name() + "/kernel", "a Conv2D kernel must have"
                    + " rank 4, got shape " + java.util.Arrays.toString(kernel.shape()));
        }
        int groups = KerasKeys.integer(spec, 1, "groups");
        if (depthwise) {
            int kh = kernel.dim(0), kw = kernel.dim(1), in = kernel.dim(2), multiplier = kernel.dim(3);
            requireDeclared(spec, "depthwise_kernel", "depth multiplier", new int[] {multiplier}, context,
                    "depth_multiplier");
            kernel = kernel.permute(2, 3, 0, 1).reshape(in * multiplier, 1, kh, kw);
            groups = in;
        } else {
            if (!KerasKeys.text(spec, "", "dim_ordering").equals("th")) {
                kernel = kernel.permute(3, 2, 0, 1);            // Keras 1 'th' is already [out, in, kh, kw]
            }
            if (context.theanoKernels()) {
                kernel = flipSpatial(kernel);                   // Theano convolved
            }
        }
        int filters = kernel.dim(0);
        int inChannels = kernel.dim(1) * groups;
        String role = depthwise ? "depthwise_kernel" : "kernel";
        if (!depthwise) {
            requireDeclared(spec, role, "filters", new int[] {filters}, context, "filters", "nb_filter");
        }
        requireDeclared(spec, role, "kernel size", new int[] {kernel.dim(2), kernel.dim(3)}, context,
                "kernel_size", "nb_row+nb_col");
        int[] strides = KerasKeys.pair(spec, 1, "strides", "subsample");
        int[] dilation = KerasKeys.pair(spec, 1, "dilation_rate", "atrous_rate");
        boolean useBias = KerasKeys.bool(spec, true, "use_bias", "bias");
        Conv2D conv = new Conv2D(spec.name(), inChannels, filters, kernel.dim(2), kernel.dim(3), strides[0],
                strides[1], padding(spec, context).equals("same") ? Conv2D.Padding.SAME : Conv2D.Padding.VALID,
                dilation[0], dilation[1], groups, useBias, activation(spec, context));
        set(conv, "kernel", kernel, context);
        if (useBias) {
            set(conv, "bias", require(spec, weights, "bias", context), context);
        }
        return conv;
    }

    /** Global pooling to [batch, channels]; tf.keras' {@code keepdims=True} ([batch, 1, 1, channels]) is refused. */
    private static GlobalPooling2D.Kind globalPooling(LayerSpec spec, Context context, GlobalPooling2D.Kind kind) {
        if (KerasKeys.bool(spec, false, "keepdims")) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': " + spec.className()
                    + " with keepdims=true is not supported");
        }
        return kind;
    }

    /**
     * Keras 1's {@code merge([a, b], mode=...)} in a functional graph: mode {@code sum} is Add, {@code concat} is
     * Concatenate along {@code concat_axis}. Other modes, and the Sequential form that merges whole models, are
     * refused.
     */
    private static Layer merge(LayerSpec spec, Context context) {
        String mode = KerasKeys.text(spec, "", "mode");
        if (mergesModels(spec)) {
            throw unsupported(spec, context.configFile());
        }
        return switch (mode) {
            case "sum" -> new Add(spec.name());
            case "concat" -> new Concatenate(spec.name(), engineAxis(KerasKeys.integer(spec, -1, "concat_axis"),
                    context));
            default -> throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': Merge mode '"
                    + mode + "' is not supported (sum, concat)");
        };
    }

    /** Keras 1's Sequential form of Merge, which holds whole models rather than taking tensors: not supported. */
    static boolean mergesModels(LayerSpec spec) {
        return spec.className().equals("Merge") && spec.config().path("layers").isArray()
                && !spec.config().path("layers").isEmpty();
    }

    private static Pooling2D pooling(LayerSpec spec, Context context) {
        JsonNode c = spec.config();
        int[] size = KerasKeys.pair(spec, 2, "pool_size");
        int[] strides = c.path("strides").isNull() || c.path("strides").isMissingNode() ? size
                : KerasKeys.pair(spec, 1, "strides");
        Pooling2D.Kind kind = spec.className().startsWith("Max") ? Pooling2D.Kind.MAX : Pooling2D.Kind.AVERAGE;
        return new Pooling2D(spec.name(), kind, size[0], size[1], strides[0], strides[1], padding(spec, context));
    }

    private static Layer softmax(LayerSpec spec, Context context) {
        int axis = KerasKeys.integer(spec, -1, "axis");
        if (axis != -1 && axis != context.inputRank() - 1 || context.inputRank() != 2) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': Softmax is supported over"
                    + " the last axis of [batch, features] inputs only; got axis " + axis + " on a rank-"
                    + context.inputRank() + " input");
        }
        return new Activation(spec.name(), "softmax");
    }

    private static BatchNormalization batchNormalization(LayerSpec spec, Map<String, Tensor> weights,
            Context context) {
        JsonNode c = spec.config();
        JsonNode axisNode = c.path("axis").isArray() && c.path("axis").size() == 1 ? c.path("axis").path(0)
                : c.path("axis");
        if (!axisNode.isInt() && !axisNode.isMissingNode() && !axisNode.isNull()) {
            throw new KerasKeys.BadValue(spec, "axis", c.path("axis"), "an int or a list of one int");
        }
        int axis = engineAxis(axisNode.asInt(-1), context);
        if (axis != 1) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': BatchNormalization over"
                    + " Keras axis " + axisNode + " is not the channel/feature axis; only that axis is supported");
        }
        Tensor mean = require(spec, weights, "moving_mean", context);
        BatchNormalization bn = new BatchNormalization(spec.name(), mean.dim(0),
                (float) KerasKeys.number(spec, BatchNormalization.KERAS_MOMENTUM, "momentum"),
                (float) KerasKeys.number(spec, BatchNormalization.KERAS_EPSILON, "epsilon"), false);
        set(bn, "moving_mean", mean, context);
        set(bn, "moving_variance", require(spec, weights, "moving_variance", context), context);
        if (KerasKeys.bool(spec, true, "scale")) {
            set(bn, "gamma", require(spec, weights, "gamma", context), context);
        }
        if (KerasKeys.bool(spec, true, "center")) {
            set(bn, "beta", require(spec, weights, "beta", context), context);
        }
        return bn;
    }

    private static ZeroPadding2D zeroPadding(LayerSpec spec, Context context) {
        int[] p = sides(spec, "padding", context);
        return new ZeroPadding2D(spec.name(), p[0], p[1], p[2], p[3]);
    }

    /**
     * ZeroPadding2D's {@code padding} or Cropping2D's {@code cropping}: an int, (h, w) or ((top, bottom),
     * (left, right)); returned as top, bottom, left, right.
     */
    static int[] sides(LayerSpec spec, String key, Context context) {
        JsonNode p = spec.config().path(key);
        if (p.isInt()) {
            return new int[] {p.asInt(), p.asInt(), p.asInt(), p.asInt()};
        } else if (p.isArray() && p.size() == 2 && p.get(0).isArray() && p.get(1).isArray()
                && p.get(0).size() == 2 && p.get(1).size() == 2 && p.get(0).get(0).isInt()
                && p.get(0).get(1).isInt() && p.get(1).get(0).isInt() && p.get(1).get(1).isInt()) {
            return new int[] {p.get(0).get(0).asInt(), p.get(0).get(1).asInt(), p.get(1).get(0).asInt(),
                p.get(1).get(1).asInt()};
        } else if (p.isArray() && p.size() == 2 && p.get(0).isInt() && p.get(1).isInt()) {
            return new int[] {p.get(0).asInt(), p.get(0).asInt(), p.get(1).asInt(), p.get(1).asInt()};
        }
        throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': " + spec.className() + " "
                + key + " " + p + " is not an int, (h, w) or ((top, bottom), (left, right))");
    }

    /** A Keras axis (of the user's layout, batch = 0, negative from the end) as an axis of the NCHW tensor. */
    static int engineAxis(int kerasAxis, Context context) {
        int rank = context.inputRank();
        int axis = kerasAxis < 0 ? kerasAxis + rank : kerasAxis;
        if (rank == 4 && context.channelsLast()) {
            return new int[] {0, 2, 3, 1}[Math.max(0, Math.min(3, axis))];       // N H W C → positions in NCHW
        }
        return axis;
    }

    static String activation(LayerSpec spec, Context context) {
        JsonNode a = spec.config().path("activation");
        if (a.isObject() && a.path("class_name").asText().equals("function") && a.path("config").isTextual()) {
            a = a.path("config");                      // Keras 3's serialised function: {"config": "relu", ...}
        }
        if (!a.isTextual() && !a.isMissingNode() && !a.isNull()) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': activation " + a
                    + " is not supported; expected the name of a built-in activation");
        }
        String name = a.asText("linear");
        if (name.equals("softmax") && context.inputRank() == 4) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': softmax over the channels"
                    + " of an image tensor is not supported");
        }
        try {
            return dev.glassbox.engine.nn.Activations.check(name);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': " + e.getMessage(), e);
        }
    }

    static String padding(LayerSpec spec, Context context) {
        String padding = KerasKeys.text(spec, "valid", "padding", "border_mode");
        if (!padding.equals("valid") && !padding.equals("same")) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': padding '" + padding
                    + "' is not supported (valid, same)");
        }
        return padding;
    }

    static Tensor require(LayerSpec spec, Map<String, Tensor> weights, String role, Context context) {
        Tensor t = weights.get(role);
        if (t == null) {
            throw new WeightImportException(context.file(), spec.name(), spec.className() + " layer '"
                    + spec.name() + "' needs a '" + role + "' weight; the file has " + weights.keySet());
        }
        return t;
    }

    /**
     * A size the config declares for a layer (Dense units, Conv2D filters and kernel size, ...) must be the one its
     * weights have: an architecture saved from another model would otherwise load with the weights' sizes,
     * silently. The first of {@code keys} present decides (Keras 2/3 spelling first, then Keras 1's); absent or
     * null, the weights decide. A kernel size may be declared as one int or an (h, w) pair, or in Keras 1 as two
     * keys (nb_row, nb_col), which {@code keys} then names as "nb_row+nb_col".
     *
     * @param what what the sizes are, for the message ("units", "kernel size")
     */
    static void requireDeclared(LayerSpec spec, String weight, String what, int[] actual, Context context,
            String... keys) {
        JsonNode c = spec.config();
        for (String key : keys) {
            JsonNode declared = declaredValue(c, key);
            if (declared == null) {
                continue;
            }
            if (!java.util.Arrays.equals(declaredSizes(declared, actual.length), actual)) {
                String architecture = context.configFile().equals(context.file()) ? "the architecture"
                        : "the architecture in " + context.configFile();
                throw new WeightImportException(context.file(), spec.name() + "/" + weight, "the weights give "
                        + what + " " + sizes(actual) + ", but " + architecture + " declares " + key + " "
                        + declared);
            }
            return;
        }
    }

    private static JsonNode declaredValue(JsonNode c, String key) {
        if (key.contains("+")) {
            String[] two = key.split("\\+");
            if (!c.hasNonNull(two[0]) && !c.hasNonNull(two[1])) {
                return null;
            }
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()
                    .add(c.path(two[0])).add(c.path(two[1]));
        }
        return c.hasNonNull(key) ? c.get(key) : null;
    }

    /** The sizes of a declared value (an int, or for a pair an int or [int, int]), or null if it is neither. */
    private static int[] declaredSizes(JsonNode v, int count) {
        if (count == 2) {
            return KerasKeys.pairOf(v);
        }
        return v.isInt() ? new int[] {v.asInt()} : null;
    }

    private static String sizes(int[] actual) {
        return actual.length == 1 ? String.valueOf(actual[0]) : java.util.Arrays.toString(actual);
    }

    static void set(Layer layer, String parameter, Tensor value, Context context) {
        try {
            layer.parameter(parameter).set(value);
        } catch (IllegalArgumentException e) {
            throw new WeightImportException(context.file(), layer.name() + "/" + parameter, e.getMessage(), e);
        }
    }

    /** Reverses a [out, in, kh, kw] kernel along kh and kw (convolution ↔ cross-correlation). */
    static Tensor flipSpatial(Tensor kernel) {
        int outIn = kernel.dim(0) * kernel.dim(1), kh = kernel.dim(2), kw = kernel.dim(3);
        float[] src = kernel.data();
        float[] dst = new float[src.length];
        for (int p = 0; p < outIn; p++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    dst[(p * kh + i) * kw + j] = src[(p * kh + (kh - 1 - i)) * kw + (kw - 1 - j)];
                }
            }
        }
        return new Tensor(dst, kernel.shape());
    }
}
