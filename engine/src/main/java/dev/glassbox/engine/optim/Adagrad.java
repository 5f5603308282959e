package dev.glassbox.engine.optim;

import dev.glassbox.engine.nn.Parameter;
import java.util.List;

/**
 * Adagrad (Duchi, Hazan &amp; Singer 2011): each parameter's step shrinks with its accumulated squared gradient.
 * <pre>
 *   s ← s + g²
 *   p ← p - lr · g / (√s + ε)          ε = 1e-10 (PyTorch's default)
 * </pre>
 */
public final class Adagrad extends Optimizer {
    public static final float DEFAULT_EPSILON = 1e-10f;

    private final float epsilon;

    public Adagrad(List<Parameter> parameters, float learningRate) {
        this(parameters, learningRate, DEFAULT_EPSILON);
    }

    public Adagrad(List<Parameter> parameters, float learningRate, float epsilon) {
        super(parameters, learningRate);
        this.epsilon = epsilon;
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
            s[i] += g * g;
            value[i] -= learningRate * (g / ((float) Math.sqrt(s[i]) + epsilon));
        }
    }
}
