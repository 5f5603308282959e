package dev.glassbox.engine.nn;

import java.util.Locale;
import java.util.Map;

/**
 * Builds a layer from its type name and {@link Layer#config()}: the way back from a saved architecture. An
 * explicit switch (no reflection), so the list of types a file may name is right here.
 */
public final class LayerConfigs {
    private LayerConfigs() {}

    /** Creates a freshly initialised layer; an unknown type or a missing key is an error naming the layer. */
    public static Layer create(String type, String name, Map<String, Object> config) {
        return switch (type) {
            case "Dense" -> new Dense(name, integer(name, config, "inputs"), integer(name, config, "units"),
                    string(name, config, "activation", "linear"), bool(config, "use_bias", true));
            case "Activation" -> new Activation(name, string(name, config, "activation", null),
                    config.containsKey("alpha") ? number(name, config, "alpha") : Float.NaN);
            case "Flatten" -> new Flatten(name, Flatten.Order.valueOf(
                    string(name, config, "order", "row_major").toUpperCase(Locale.ROOT)));
            case "BatchNormalization" -> new BatchNormalization(name, integer(name, config, "channels"),
                    number(name, config, "momentum"), number(name, config, "epsilon"),
                    bool(config, "unbiased_moving_variance", false));
            case "Reshape" -> new Reshape(name, ints(name, config, "target_shape"));
            case "GlobalPooling2D" -> new GlobalPooling2D(name, GlobalPooling2D.Kind.valueOf(
                    string(name, config, "kind", null).toUpperCase(Locale.ROOT)));
            case "Conv2D" -> conv2d(name, config);
            case "Pooling2D" -> {
                int[] pool = ints(name, config, "pool_size", 2);
                int[] strides = ints(name, config, "strides", 2);
                yield new Pooling2D(name, Pooling2D.Kind.valueOf(string(name, config, "kind", null)
                        .toUpperCase(Locale.ROOT)), pool[0], pool[1], strides[0], strides[1],
                        string(name, config, "padding", "valid"));
            }
            case "Dropout" -> new Dropout(name, number(name, config, "rate"),
                    config.get("seed") instanceof Number n ? n.longValue() : 0L);
            case "ZeroPadding2D" -> {
                int[] p = ints(name, config, "padding", 4);
                yield new ZeroPadding2D(name, p[0], p[1], p[2], p[3]);
            }
            case "Normalization" -> new Normalization(name, number(name, config, "mean"), number(name, config, "std"));
            case "Permute" -> new Permute(name, ints(name, config, "dims"));
            case "Add" -> new Add(name);
            case "BoundedRelu" -> new BoundedRelu(name, config.containsKey("max_value")
                    ? number(name, config, "max_value") : Float.POSITIVE_INFINITY,
                    number(name, config, "negative_slope"), 0);
            case "Embedding" -> new Embedding(name, integer(name, config, "input_dim"),
                    integer(name, config, "output_dim"));
            case "ChannelsLastReshape" -> new ChannelsLastReshape(name, ints(name, config, "target_shape"));
            case "Conv2DTranspose" -> {
                int[] kernel = ints(name, config, "kernel_size", 2);
                int[] strides = ints(name, config, "strides", 2);
                int none = dev.glassbox.engine.ops.Conv2DTransposeOp.NO_OUTPUT_PADDING;
                yield new Conv2DTranspose(name, integer(name, config, "in_channels"), integer(name, config, "filters"),
                        kernel[0], kernel[1], strides[0], strides[1], string(name, config, "padding", "valid"),
                        config.containsKey("dilation_rate") ? ints(name, config, "dilation_rate", 2) : new int[] {1, 1},
                        config.containsKey("output_padding") ? ints(name, config, "output_padding", 2)
                                : new int[] {none, none},
                        bool(config, "use_bias", true), string(name, config, "activation", "linear"));
            }
            case "SeparableConv2D" -> {
                int[] kernel = ints(name, config, "kernel_size", 2);
                int[] strides = ints(name, config, "strides", 2);
                yield new SeparableConv2D(name, integer(name, config, "in_channels"),
                        integer(name, config, "depth_multiplier"), integer(name, config, "filters"), kernel[0],
                        kernel[1], strides[0], strides[1], string(name, config, "padding", "valid"),
                        bool(config, "use_bias", true), string(name, config, "activation", "linear"));
            }
            case "Concatenate" -> new Concatenate(name, integer(name, config, "axis"));
            case "Rescaling" -> new Rescaling(name, number(name, config, "scale"), number(name, config, "offset"));
            case "UpSampling2D" -> {
                int[] size = ints(name, config, "size", 2);
                yield new UpSampling2D(name, size[0], size[1]);
            }
            case "Cropping2D" -> {
                int[] c = ints(name, config, "cropping", 4);
                yield new Cropping2D(name, c[0], c[1], c[2], c[3]);
            }
            default -> throw new IllegalArgumentException("layer '" + name + "' has type '" + type
                    + "', which this model format does not know; known: " + KNOWN);
        };
    }

    /** The layer types {@link #create} knows. */
    public static final java.util.List<String> KNOWN = java.util.List.of("Dense", "Activation", "Flatten",
            "BatchNormalization", "Normalization", "Conv2D", "Pooling2D", "Dropout", "ZeroPadding2D", "Reshape",
            "Permute", "GlobalPooling2D", "Add", "Concatenate",
            "BoundedRelu", "Embedding", "ChannelsLastReshape", "Conv2DTranspose", "SeparableConv2D", "Rescaling",
            "UpSampling2D", "Cropping2D");

    private static Conv2D conv2d(String name, Map<String, Object> config) {
        int[] kernel = ints(name, config, "kernel_size", 2);
        int[] strides = ints(name, config, "strides", 2);
        int[] dilation = ints(name, config, "dilation_rate", 2);
        String mode = string(name, config, "padding", "valid");
        Conv2D.Padding padding = switch (mode) {
            case "valid" -> Conv2D.Padding.VALID;
            case "same" -> Conv2D.Padding.SAME;
            default -> {
                int[] p = ints(name, config, "explicit_padding", 2);
                yield Conv2D.Padding.symmetric(p[0], p[1]);
            }
        };
        return new Conv2D(name, integer(name, config, "in_channels"), integer(name, config, "filters"), kernel[0],
                kernel[1], strides[0], strides[1], padding, dilation[0], dilation[1], integer(name, config, "groups"),
                bool(config, "use_bias", true), string(name, config, "activation", "linear"));
    }

    /** {@link #ints(String, Map, String)} of exactly {@code count} values (a pair of strides, four paddings). */
    static int[] ints(String layer, Map<String, Object> config, String key, int count) {
        int[] values = ints(layer, config, key);
        if (values.length != count) {
            throw new IllegalArgumentException("layer '" + layer + "': config key '" + key + "' must hold " + count
                    + " integers, got " + java.util.Arrays.toString(values));
        }
        return values;
    }

    static int[] ints(String layer, Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (!(v instanceof java.util.List<?> list)) {
            throw new IllegalArgumentException("layer '" + layer + "': config key '" + key
                    + "' must be a list of integers, got " + v);
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("layer '" + layer + "': config key '" + key + "' holds "
                        + list.get(i));
            }
            out[i] = exactInt(layer, key, n);
        }
        return out;
    }

    /** The number as an int when it is one: 2.5 or 10¹² is an error, not 2 or 2,147,483,647. */
    private static int exactInt(String layer, String key, Number n) {
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("layer '" + layer + "': config key '" + key + "' must be an integer"
                    + " within ±2³¹, got " + n);
        }
        return n.intValue();
    }

    static int integer(String layer, Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("layer '" + layer + "': config key '" + key + "' must be a number, got "
                    + v);
        }
        return exactInt(layer, key, n);
    }

    static float number(String layer, Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("layer '" + layer + "': config key '" + key + "' must be a number, got "
                    + v);
        }
        return n.floatValue();
    }

    static String string(String layer, Map<String, Object> config, String key, String fallback) {
        Object v = config.get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("layer '" + layer + "': config key '" + key + "' must be a string, got "
                    + v);
        }
        return s;
    }

    static boolean bool(Map<String, Object> config, String key, boolean fallback) {
        Object v = config.get(key);
        return v instanceof Boolean b ? b : fallback;
    }
}
