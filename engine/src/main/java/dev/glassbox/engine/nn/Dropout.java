package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.DropoutOp;
import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inverted dropout (Srivastava et al. 2014): while training, each value is zeroed with probability {@code rate}
 * and the survivors are scaled by 1 / (1 - rate), so inference is the identity. The masks come from a generator
 * seeded at construction, so a rerun drops the same units.
 */
public final class Dropout extends Layer {
    private final float rate;
    private final long seed;
    private SplittableRandom random;

    public Dropout(String name, float rate) {
        this(name, rate, 0);
    }

    public Dropout(String name, float rate, long seed) {
        super(name, "dropout");
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout '" + name() + "': rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** Restarts the mask sequence (the same seed gives the same masks again). */
    public void reseed(long newSeed) {
        random = new SplittableRandom(newSeed);
    }

    @Override
    protected Tensor forward(Tensor x) {
        return DropoutOp.dropout(x, rate, isTraining(), random);
    }

    public float rate() {
        return rate;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("rate", rate);
        config.put("seed", seed);
        return config;
    }
}
