package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * Activation functions by name, as Keras spells them in {@code Dense(activation=...)} and {@code Activation}.
 * Softmax and log-softmax act on the last axis (the class axis of a [batch, classes] output).
 */
public final class Activations {
    /** Names accepted by {@link #apply}. */
    public static final List<String> NAMES = List.of("linear", "relu", "sigmoid", "tanh", "softmax", "log_softmax",
            "elu", "selu", "softplus", "leaky_relu");
    /** PyTorch's default negative slope for leaky relu. */
    public static final float DEFAULT_LEAKY_SLOPE = 0.01f;
    /** Keras' and PyTorch's default α for elu. */
    public static final float DEFAULT_ELU_ALPHA = 1f;

    private Activations() {}

    /** Normalises a name and checks it is known; null means linear. */
    public static String check(String name) {
        String n = name == null ? "linear" : name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("unknown activation '" + name + "'; known: " + NAMES);
        }
        return n;
    }

    /** Applies the named activation (with its default parameter where it has one). */
    public static Tensor apply(String name, Tensor x) {
        return apply(name, x, Float.NaN);
    }

    /** Applies the named activation; {@code alpha} sets leaky relu's slope or elu's α (NaN: the default). */
    public static Tensor apply(String name, Tensor x, float alpha) {
        return switch (check(name)) {
            case "linear" -> x;
            case "relu" -> x.relu();
            case "sigmoid" -> x.sigmoid();
            case "tanh" -> x.tanh();
            case "softmax" -> x.softmax(-1);
            case "log_softmax" -> x.logSoftmax(-1);
            case "elu" -> x.elu(Float.isNaN(alpha) ? DEFAULT_ELU_ALPHA : alpha);
            case "selu" -> x.selu();
            case "softplus" -> x.softplus();
            case "leaky_relu" -> x.leakyRelu(Float.isNaN(alpha) ? DEFAULT_LEAKY_SLOPE : alpha);
            default -> throw new IllegalStateException(name);
        };
    }
}
