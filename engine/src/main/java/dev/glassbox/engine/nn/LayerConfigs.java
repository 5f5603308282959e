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
            default -> throw new IllegalArgumentException("layer '" + name + "' has type '" + type
                    + "', which this model format does not know; known: Dense, Activation, Flatten");
        };
    }

    static int integer(String layer, Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("layer '" + layer + "': config key '" + key + "' must be a number, got "
                    + v);
        }
        return n.intValue();
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
