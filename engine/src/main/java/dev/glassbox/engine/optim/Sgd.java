package dev.glassbox.engine.optim;

import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Parameter;
import java.util.List;

/**
 * Stochastic gradient descent with momentum (Polyak 1964; Nesterov 1983 as in Sutskever et al. 2013),
 * in PyTorch's formulation:
 * <pre>
 *   g ← grad + weightDecay · p
 *   b ← g on the first step, then momentum · b + (1 - dampening) · g
 *   g ← g + momentum · b   (Nesterov)   or   g ← b   (classical)
 *   p ← p - lr · g
 * </pre>
 * Keras writes classical momentum as v ← momentum · v - lr · g; p ← p + v. For a constant learning rate the two
 * produce the same parameters (v = -lr · b); they differ only when the learning rate changes mid-run, where
 * Keras' velocity remembers the old rate.
 */
public final class Sgd extends Optimizer {
    public static final float DEFAULT_MOMENTUM = 0f;

    private final float momentum;
    private final float dampening;
    private final boolean nesterov;
    private final float weightDecay;

    public Sgd(List<Parameter> parameters, float learningRate) {
        this(parameters, learningRate, DEFAULT_MOMENTUM, 0f, false, 0f);
    }

    public Sgd(List<Parameter> parameters, float learningRate, float momentum) {
        this(parameters, learningRate, momentum, 0f, false, 0f);
    }

    public Sgd(List<Parameter> parameters, float learningRate, float momentum, float dampening, boolean nesterov,
            float weightDecay) {
        super(parameters, learningRate);
        if (momentum < 0 || dampening < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("Sgd: momentum, dampening and weight decay must be >= 0, got "
                    + momentum + ", " + dampening + ", " + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0 and dampening 0");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    protected float[][] newState(int size) {
        return momentum == 0 ? new float[0][] : new float[][] {null};
    }

    /** Parameters per thread at least: below that, handing out a range costs more than it saves. */
    private static final int MIN_PER_THREAD = 1 << 16;

    @Override
    protected void update(float[] value, float[] grad, float[][] state) {
        float lr = learningRate;
        if (momentum == 0) {
            Parallel.forRange(value.length, MIN_PER_THREAD, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = weightDecay == 0 ? grad[i] : grad[i] + weightDecay * value[i];
                    value[i] -= lr * g;
                }
            });
            return;
        }
        boolean first = state[0] == null;
        if (first) {
            state[0] = new float[value.length];
        }
        float[] buffer = state[0];
        // Each element is updated from its own values alone: the same result on any thread count.
        Parallel.forRange(value.length, MIN_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = weightDecay == 0 ? grad[i] : grad[i] + weightDecay * value[i];
                buffer[i] = first ? g : momentum * buffer[i] + (1 - dampening) * g;
                float direction = nesterov ? g + momentum * buffer[i] : buffer[i];
                value[i] -= lr * direction;
            }
        });
    }
}
