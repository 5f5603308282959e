package dev.glassbox.engine.optim;

import dev.glassbox.engine.nn.Parameter;
import java.util.List;

/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012): divide the gradient by a running root mean square.
 * <pre>
 *   s ← α s + (1 - α) g²
 *   p ← p - lr · g / (√s + ε)
 * </pre>
 * PyTorch's defaults are α = 0.99, ε = 1e-8; Keras' are ρ = 0.9, ε = 1e-7 ({@link #keras}). The rule is the same.
 */
public final class RmsProp extends Optimizer {
    public static final float DEFAULT_ALPHA = 0.99f;
    public static final float DEFAULT_EPSILON = 1e-8f;
    public static final float KERAS_RHO = 0.9f;
    public static final float KERAS_EPSILON = 1e-7f;

    private final float alpha;
    private final float epsilon;

    public RmsProp(List<Parameter> parameters, float learningRate) {
        this(parameters, learningRate, DEFAULT_ALPHA, DEFAULT_EPSILON);
    }

    public RmsProp(List<Parameter> parameters, float learningRate, float alpha, float epsilon) {
        super(parameters, learningRate);
        if (!(alpha >= 0 && alpha < 1 && epsilon >= 0)) {
            throw new IllegalArgumentException("RmsProp: alpha must be in [0, 1) and epsilon >= 0, got " + alpha
                    + ", " + epsilon);
        }
        this.alpha = alpha;
        this.epsilon = epsilon;
    }

    /** Keras' RMSprop: ρ = 0.9, ε = 1e-7. */
    public static RmsProp keras(List<Parameter> parameters, float learningRate) {
        return new RmsProp(parameters, learningRate, KERAS_RHO, KERAS_EPSILON);
    }

    @Override
    protected float[][] newState(int size) {
        return new float[][] {new float[size]};
    }

    @Override
    protected void update(float[] value, float[] grad, float[][] state) {
        float[] s = state[0];
        for (int i = 0; i < value.length; i++) {
            float g = grad[i];
            s[i] = alpha * s[i] + (1 - alpha) * g * g;
            value[i] -= learningRate * (g / ((float) Math.sqrt(s[i]) + epsilon));
        }
    }
}
