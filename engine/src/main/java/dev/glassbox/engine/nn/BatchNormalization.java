package dev.glassbox.engine.nn;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015) over the channel axis (axis 1: [batch, channels, ...]).
 * <pre>
 *   training:  μ, σ² = mean and (biased) variance of x over every axis but the channel axis
 *              y = γ · (x - μ) / √(σ² + ε) + β
 *              moving ← momentum · moving + (1 - momentum) · batch statistic
 *   inference: the same with the moving mean and variance
 * </pre>
 * Composed from differentiable ops, so its backward pass is theirs. Keras' conventions by default
 * (momentum 0.99 of the old value, ε = 1e-3, the biased batch variance in the moving average); {@link #pytorch}
 * gives PyTorch's (0.9, ε = 1e-5, the unbiased variance in the running average).
 * Parameters: gamma and beta (trainable), moving_mean and moving_variance (not trainable).
 */
public final class BatchNormalization extends Layer {
    public static final float KERAS_MOMENTUM = 0.99f;
    public static final float KERAS_EPSILON = 1e-3f;
    public static final float PYTORCH_MOMENTUM = 0.9f;
    public static final float PYTORCH_EPSILON = 1e-5f;

    private final int channels;
    private final float momentum;
    private final float epsilon;
    private final boolean unbiasedMovingVariance;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter movingMean;
    private final Parameter movingVariance;

    public BatchNormalization(String name, int channels) {
        this(name, channels, KERAS_MOMENTUM, KERAS_EPSILON, false);
    }

    /** PyTorch's BatchNorm2d conventions. */
    public static BatchNormalization pytorch(String name, int channels) {
        return new BatchNormalization(name, channels, PYTORCH_MOMENTUM, PYTORCH_EPSILON, true);
    }

    /**
     * @param momentum the weight of the old moving value (Keras' meaning; PyTorch's momentum m is 1 - m here)
     */
    public BatchNormalization(String name, int channels, float momentum, float epsilon,
            boolean unbiasedMovingVariance) {
        super(name, "batch_normalization");
        this.channels = channels;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.unbiasedMovingVariance = unbiasedMovingVariance;
        this.gamma = addParameter("gamma", Tensors.ones(channels));
        this.beta = addParameter("beta", Tensors.zeros(channels));
        this.movingMean = addParameter("moving_mean", Tensors.zeros(channels)).trainable(false);
        this.movingVariance = addParameter("moving_variance", Tensors.ones(channels)).trainable(false);
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw new ShapeException("BatchNormalization '" + name() + "' expects input [batch, " + channels
                    + ", ...] (channels on axis 1) but got shape " + Shapes.toString(x.shape()), x.shape());
        }
        int[] statShape = new int[x.rank()];
        java.util.Arrays.fill(statShape, 1);
        statShape[1] = channels;
        int[] axes = new int[x.rank() - 1];
        axes[0] = 0;
        for (int d = 2; d < x.rank(); d++) {
            axes[d - 1] = d;
        }
        Tensor mean;
        Tensor variance;
        if (isTraining()) {
            mean = x.mean(true, axes);
            Tensor centered = x.sub(mean);
            variance = centered.mul(centered).mean(true, axes);
            updateMovingStatistics(mean, variance, x.size() / channels);
        } else {
            mean = movingMean.value().reshapeData(statShape);
            variance = movingVariance.value().reshapeData(statShape);
        }
        Tensor normalized = x.sub(mean).div(variance.add(epsilon).sqrt());
        return normalized.mul(gamma.value().reshapeData(statShape)).add(beta.value().reshapeData(statShape));
    }

    private void updateMovingStatistics(Tensor mean, Tensor variance, int count) {
        try (NoGrad ignored = NoGrad.enter()) {
            float[] m = movingMean.value().data();
            float[] v = movingVariance.value().data();
            float correction = unbiasedMovingVariance && count > 1 ? (float) count / (count - 1) : 1f;
            for (int c = 0; c < channels; c++) {
                m[c] = momentum * m[c] + (1 - momentum) * mean.data()[c];
                v[c] = momentum * v[c] + (1 - momentum) * variance.data()[c] * correction;
            }
        }
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }

    public Parameter movingMean() {
        return movingMean;
    }

    public Parameter movingVariance() {
        return movingVariance;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("channels", channels);
        config.put("momentum", momentum);
        config.put("epsilon", epsilon);
        config.put("unbiased_moving_variance", unbiasedMovingVariance);
        return config;
    }
}
