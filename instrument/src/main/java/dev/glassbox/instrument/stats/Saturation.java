package dev.glassbox.instrument.stats;

import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.tensor.Tensor;

/**
 * When an activation counts as saturated: where its derivative is (nearly) zero, so almost no gradient flows
 * back through it. tanh′ = 1 − y² is below 0.02 once |y| > 0.99; sigmoid′ = y(1 − y) is below 0.0099 once y < 0.01
 * or y > 0.99. A softmax row is saturated when its largest probability exceeds 0.99 (the row is one-hot in all
 * but name, and the gradient of the other classes' logits vanishes).
 */
public enum Saturation {
    /** The activation does not saturate (linear, relu, ...): nothing is counted. */
    NONE,
    /** |y| > {@link #TANH_THRESHOLD}. */
    TANH,
    /** y < {@link #SIGMOID_LOW} or y > {@link #SIGMOID_HIGH}. */
    SIGMOID,
    /** Per row (last axis): max y > {@link #SOFTMAX_THRESHOLD}. */
    SOFTMAX;

    public static final float TANH_THRESHOLD = 0.99f;
    public static final float SIGMOID_LOW = 0.01f;
    public static final float SIGMOID_HIGH = 0.99f;
    public static final float SOFTMAX_THRESHOLD = 0.99f;

    /** The saturation rule for a layer's output, from the activation it ends in (its config's "activation"). */
    public static Saturation of(Layer layer) {
        return switch (activationOf(layer)) {
            case "tanh" -> TANH;
            case "sigmoid" -> SIGMOID;
            case "softmax" -> SOFTMAX;
            default -> NONE;
        };
    }

    /** The activation function a layer ends in ({@code "linear"} when it has none). */
    public static String activationOf(Layer layer) {
        Object activation = layer.config().get("activation");
        return activation == null ? "linear" : activation.toString();
    }

    /** How many units {@link #count} counts for this output: elements, or rows for softmax. */
    public long units(Tensor output) {
        return this == SOFTMAX ? output.size() / Math.max(1, output.dim(-1)) : output.size();
    }

    /** How many of {@code output}'s units are saturated (not modified). */
    public long count(Tensor output) {
        float[] y = output.data();
        long saturated = 0;
        switch (this) {
            case TANH -> {
                for (float v : y) {
                    saturated += Math.abs(v) > TANH_THRESHOLD ? 1 : 0;
                }
            }
            case SIGMOID -> {
                for (float v : y) {
                    saturated += v < SIGMOID_LOW || v > SIGMOID_HIGH ? 1 : 0;
                }
            }
            case SOFTMAX -> {
                int width = output.dim(-1);
                for (int row = 0; row < y.length; row += width) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int i = row; i < row + width; i++) {
                        max = Math.max(max, y[i]);
                    }
                    saturated += max > SOFTMAX_THRESHOLD ? 1 : 0;
                }
            }
            case NONE -> { }
        }
        return saturated;
    }
}
