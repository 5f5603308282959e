package dev.glassbox.engine.optim;

import dev.glassbox.engine.nn.Parameter;
import java.util.List;

/**
 * Adam (Kingma &amp; Ba 2015, "Adam: A Method for Stochastic Optimization"), with AMSGrad (Reddi et al. 2018)
 * and decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019) as options.
 * <pre>
 *   m ← β₁ m + (1 - β₁) g            v ← β₂ v + (1 - β₂) g²        (AMSGrad: v̂max ← max(v̂max, v))
 *   PyTorch: p ← p - (lr / (1 - β₁ᵗ)) · m / (√v / √(1 - β₂ᵗ) + ε)          ε = 1e-8
 *   Keras:   p ← p - (lr · √(1 - β₂ᵗ) / (1 - β₁ᵗ)) · m / (√v + ε)          ε = 1e-7
 *   AdamW:   p ← p - lr · λ · p before the update
 * </pre>
 * The two flavours differ only in where ε enters: Keras adds it to the uncorrected √v, so it weighs
 * √(1 - β₂ᵗ) times more early in training. The arithmetic follows each library's order of operations.
 */
public final class Adam extends Optimizer {
    public static final float DEFAULT_LEARNING_RATE = 1e-3f;
    public static final float DEFAULT_BETA1 = 0.9f;
    public static final float DEFAULT_BETA2 = 0.999f;
    public static final float DEFAULT_EPSILON = 1e-8f;
    public static final float KERAS_EPSILON = 1e-7f;

    /** Whose update rule to follow. */
    public enum Flavor { PYTORCH, KERAS }

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean amsgrad;
    private final float decoupledWeightDecay;
    private final Flavor flavor;
    private int step;

    public Adam(List<Parameter> parameters, float learningRate) {
        this(parameters, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, false, 0f, Flavor.PYTORCH);
    }

    /** AdamW: Adam with decoupled weight decay λ. */
    public static Adam adamW(List<Parameter> parameters, float learningRate, float weightDecay) {
        return new Adam(parameters, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, false, weightDecay,
                Flavor.PYTORCH);
    }

    /** Keras' Adam with its defaults (ε = 1e-7 added to the uncorrected √v). */
    public static Adam keras(List<Parameter> parameters, float learningRate) {
        return new Adam(parameters, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, KERAS_EPSILON, false, 0f,
                Flavor.KERAS);
    }

    public Adam(List<Parameter> parameters, float learningRate, float beta1, float beta2, float epsilon,
            boolean amsgrad, float decoupledWeightDecay, Flavor flavor) {
        super(parameters, learningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon >= 0)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1) and epsilon >= 0, got beta1=" + beta1
                    + " beta2=" + beta2 + " epsilon=" + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.amsgrad = amsgrad;
        this.decoupledWeightDecay = decoupledWeightDecay;
        this.flavor = flavor;
    }

    @Override
    protected void beginStep() {
        step++;
    }

    @Override
    protected float[][] newState(int size) {
        return amsgrad ? new float[][] {new float[size], new float[size], new float[size]}
                : new float[][] {new float[size], new float[size]};
    }

    @Override
    protected void update(float[] value, float[] grad, float[][] state) {
        float[] m = state[0];
        float[] v = state[1];
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        float stepSize = flavor == Flavor.PYTORCH ? (float) (learningRate / correction1)
                : (float) (learningRate * Math.sqrt(correction2) / correction1);
        float sqrtCorrection2 = (float) Math.sqrt(correction2);
        for (int i = 0; i < value.length; i++) {
            float g = grad[i];
            if (decoupledWeightDecay != 0) {
                value[i] -= learningRate * decoupledWeightDecay * value[i];
            }
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            float second = v[i];
            if (amsgrad) {
                state[2][i] = Math.max(state[2][i], v[i]);
                second = state[2][i];
            }
            float denominator = flavor == Flavor.PYTORCH ? (float) Math.sqrt(second) / sqrtCorrection2 + epsilon
                    : (float) Math.sqrt(second) + epsilon;
            value[i] -= stepSize * (m[i] / denominator);
        }
    }
}
