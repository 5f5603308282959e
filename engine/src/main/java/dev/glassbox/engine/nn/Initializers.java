package dev.glassbox.engine.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * The usual initializers, by the names Keras uses.
 *
 * <ul>
 * <li>Glorot/Xavier (Glorot &amp; Bengio 2010): variance 2 / (fanIn + fanOut) — Keras' default for kernels.</li>
 * <li>He (He et al. 2015): variance 2 / fanIn, for relu nets. LeCun: variance 1 / fanIn (selu nets).</li>
 * <li>Uniform variants draw from ±√(3·variance); normal variants use a normal truncated at two standard
 *     deviations and rescaled by 0.87962566 so the variance is still the target (as Keras 2.3+ does).</li>
 * <li>{@link #torchDefault()}: PyTorch's Linear/Conv2d kernel init, kaiming_uniform(a = √5), which works out
 *     to U(±1/√fanIn); {@link #torchBias()} is its bias init, the same bound.</li>
 * </ul>
 */
public final class Initializers {
    /** Standard deviation of a unit normal truncated at ±2, used to keep truncated-normal variances exact. */
    static final double TRUNCATED_STD = 0.87962566103423978;

    private Initializers() {}

    public static Initializer zeros() {
        return constant(0f);
    }

    public static Initializer ones() {
        return constant(1f);
    }

    public static Initializer constant(float value) {
        return (t, fanIn, fanOut, random) -> Arrays.fill(t.data(), value);
    }

    public static Initializer randomUniform(float min, float max) {
        return (t, fanIn, fanOut, random) -> {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = min + (max - min) * random.nextFloat();
            }
        };
    }

    public static Initializer randomNormal(float mean, float std) {
        return (t, fanIn, fanOut, random) -> {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (mean + std * random.nextGaussian());
            }
        };
    }

    /** Normal values redrawn until within two standard deviations of the mean. */
    public static Initializer truncatedNormal(float mean, float std) {
        return (t, fanIn, fanOut, random) -> {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                double z;
                do {
                    z = random.nextGaussian();
                } while (Math.abs(z) > 2);
                d[i] = (float) (mean + std * z);
            }
        };
    }

    public static Initializer glorotUniform() {
        return (t, fanIn, fanOut, r) -> uniformWithVariance(2.0 / (fanIn + fanOut)).initialize(t, fanIn, fanOut, r);
    }

    public static Initializer glorotNormal() {
        return (t, fanIn, fanOut, r) -> normalWithVariance(2.0 / (fanIn + fanOut)).initialize(t, fanIn, fanOut, r);
    }

    public static Initializer heUniform() {
        return (t, fanIn, fanOut, r) -> uniformWithVariance(2.0 / fanIn).initialize(t, fanIn, fanOut, r);
    }

    public static Initializer heNormal() {
        return (t, fanIn, fanOut, r) -> normalWithVariance(2.0 / fanIn).initialize(t, fanIn, fanOut, r);
    }

    public static Initializer lecunUniform() {
        return (t, fanIn, fanOut, r) -> uniformWithVariance(1.0 / fanIn).initialize(t, fanIn, fanOut, r);
    }

    public static Initializer lecunNormal() {
        return (t, fanIn, fanOut, r) -> normalWithVariance(1.0 / fanIn).initialize(t, fanIn, fanOut, r);
    }

    /** PyTorch's default for Linear and Conv2d weights: kaiming_uniform(a = √5) = U(±1/√fanIn). */
    public static Initializer torchDefault() {
        return (t, fanIn, fanOut, r) -> {
            float bound = (float) (1.0 / Math.sqrt(fanIn));
            randomUniform(-bound, bound).initialize(t, fanIn, fanOut, r);
        };
    }

    /** PyTorch's default for Linear and Conv2d biases: U(±1/√fanIn). */
    public static Initializer torchBias() {
        return torchDefault();
    }

    private static Initializer uniformWithVariance(double variance) {
        float limit = (float) Math.sqrt(3 * variance);
        return randomUniform(-limit, limit);
    }

    private static Initializer normalWithVariance(double variance) {
        return truncatedNormal(0f, (float) (Math.sqrt(variance) / TRUNCATED_STD));
    }

    /** Looks an initializer up by its Keras name ({@code glorot_uniform}, {@code he_normal}, {@code zeros}, ...). */
    public static Initializer byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "zeros", "zero" -> zeros();
            case "ones", "one" -> ones();
            case "glorot_uniform", "xavier_uniform" -> glorotUniform();
            case "glorot_normal", "xavier_normal" -> glorotNormal();
            case "he_uniform", "kaiming_uniform" -> heUniform();
            case "he_normal", "kaiming_normal" -> heNormal();
            case "lecun_uniform" -> lecunUniform();
            case "lecun_normal" -> lecunNormal();
            case "torch_default" -> torchDefault();
            default -> throw new IllegalArgumentException("unknown initializer '" + name + "'; known: zeros, ones,"
                    + " glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal,"
                    + " torch_default (and RandomNormal/RandomUniform/TruncatedNormal/Constant with arguments)");
        };
    }
}
