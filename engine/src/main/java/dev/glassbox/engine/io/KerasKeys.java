package dev.glassbox.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.engine.io.KerasConfig.LayerSpec;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reading a Keras layer config across versions: each lookup takes the Keras 2/3 key first and then the Keras 1
 * spelling ({@code strides} then {@code subsample}, {@code padding} then {@code border_mode}, {@code rate} then
 * {@code p}), with the Keras default when none is present (a key whose value is null counts as absent). A key that
 * is present with a value of the wrong kind (strides of 2.5, a use_bias of "false") is a {@link BadValue}, not
 * the default: the importer would otherwise build a different layer than the file describes.
 */
final class KerasKeys {
    private KerasKeys() {}

    /**
     * A config value of the wrong kind; {@link KerasImporter} reports it as a {@link ModelFileException} naming the
     * architecture's file (this class does not know it).
     */
    static final class BadValue extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadValue(LayerSpec spec, String key, JsonNode value, String expected) {
            super("layer '" + spec.name() + "': " + key + " " + value + " is not " + expected);
        }
    }

    /** An int or an (h, w) pair of ints under the first key present, as a pair. */
    static int[] pair(LayerSpec spec, int fallback, String... keys) {
        for (String key : keys) {
            JsonNode v = spec.config().path(key);
            int[] pair = pairOf(v);
            if (pair != null) {
                return pair;
            }
            if (present(v)) {
                throw new BadValue(spec, key, v, "an int or a pair of ints");
            }
        }
        return new int[] {fallback, fallback};
    }

    /** An int v as (v, v), an [h, w] of ints as (h, w); null for anything else. */
    static int[] pairOf(JsonNode v) {
        if (v.isInt()) {
            return new int[] {v.asInt(), v.asInt()};
        }
        if (v.isArray() && v.size() == 2 && v.get(0).isInt() && v.get(1).isInt()) {
            return new int[] {v.get(0).asInt(), v.get(1).asInt()};
        }
        return null;
    }

    /** An int under the first key present. */
    static int integer(LayerSpec spec, int fallback, String... keys) {
        return lookup(spec, fallback, JsonNode::isInt, JsonNode::asInt, "an int", keys);
    }

    static double number(LayerSpec spec, double fallback, String... keys) {
        return lookup(spec, fallback, JsonNode::isNumber, JsonNode::asDouble, "a number", keys);
    }

    static boolean bool(LayerSpec spec, boolean fallback, String... keys) {
        return lookup(spec, fallback, JsonNode::isBoolean, JsonNode::asBoolean, "true or false", keys);
    }

    static String text(LayerSpec spec, String fallback, String... keys) {
        return lookup(spec, fallback, JsonNode::isTextual, JsonNode::asText, "a string", keys);
    }

    /** The value under the first key present, if it {@code fits}; {@code fallback} if no key is present. */
    private static <T> T lookup(LayerSpec spec, T fallback, Predicate<JsonNode> fits, Function<JsonNode, T> read,
            String expected, String... keys) {
        for (String key : keys) {
            JsonNode v = spec.config().path(key);
            if (fits.test(v)) {
                return read.apply(v);
            }
            if (present(v)) {
                throw new BadValue(spec, key, v, expected);
            }
        }
        return fallback;
    }

    private static boolean present(JsonNode v) {
        return !v.isMissingNode() && !v.isNull();
    }
}
