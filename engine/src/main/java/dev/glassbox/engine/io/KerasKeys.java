package dev.glassbox.engine.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading a Keras layer config across versions: each lookup takes the Keras 2/3 key first and then the Keras 1
 * spelling ({@code strides} then {@code subsample}, {@code padding} then {@code border_mode}, {@code rate} then
 * {@code p}), with the Keras default when none is present.
 */
final class KerasKeys {
    private KerasKeys() {}

    /** An int or a pair under the first key present; Keras 1 spread some pairs over two keys (nb_row, nb_col). */
    static int[] pair(JsonNode c, int fallback, String... keys) {
        for (String key : keys) {
            JsonNode v = c.path(key);
            if (v.isInt()) {
                return new int[] {v.asInt(), v.asInt()};
            }
            if (v.isArray() && v.size() == 2) {
                return new int[] {v.get(0).asInt(), v.get(1).asInt()};
            }
        }
        return new int[] {fallback, fallback};
    }

    static double number(JsonNode c, double fallback, String... keys) {
        for (String key : keys) {
            if (c.path(key).isNumber()) {
                return c.path(key).asDouble();
            }
        }
        return fallback;
    }

    static boolean bool(JsonNode c, boolean fallback, String... keys) {
        for (String key : keys) {
            if (c.path(key).isBoolean()) {
                return c.path(key).asBoolean();
            }
        }
        return fallback;
    }

    static String text(JsonNode c, String fallback, String... keys) {
        for (String key : keys) {
            if (c.path(key).isTextual()) {
                return c.path(key).asText();
            }
        }
        return fallback;
    }
}
