package dev.glassbox.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API side of {@link Elementwise}: each method does the whole vectors of a range and returns where
 * the scalar loop must go on. Only the preferred species, as in every engine kernel (see {@link VectorRows}).
 * Loaded only when the JVM has the {@code jdk.incubator.vector} module.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    private VectorElementwise() {}

    /** {@code out[i] = max(x[i], 0)} (lanewise max: a NaN stays, -0 becomes +0, as Math.max). */
    static int relu(float[] x, float[] out, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = from;
        for (; i <= to - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, x, i).max(zero).intoArray(out, i);
        }
        return i;
    }

    /** {@code out[i] = y[i] > 0 ? g[i] : +0}, by a blend (bits moved, no arithmetic). */
    static int reluBackward(float[] g, float[] y, float[] out, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = from;
        for (; i <= to - LANES; i += LANES) {
            zero.blend(FloatVector.fromArray(SPECIES, g, i),
                    FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        return i;
    }

    /** {@code y[i] += value} over whole vectors of [from, to). */
    static int addScalar(float[] y, int from, int to, float value) {
        int i = from;
        for (; i <= to - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, y, i).add(value).intoArray(y, i);
        }
        return i;
    }

    /**
     * Σ x[from, to): lane partial sums over the whole vectors, the lanes added in lane order, then the tail.
     * @param scratch (modified) at least {@link #LANES} floats
     */
    static float sum(float[] x, int from, int to, float[] scratch) {
        FloatVector lanes = FloatVector.zero(SPECIES);
        int i = from;
        for (; i <= to - LANES; i += LANES) {
            lanes = lanes.add(FloatVector.fromArray(SPECIES, x, i));
        }
        lanes.intoArray(scratch, 0);
        float sum = 0;
        for (int lane = 0; lane < LANES; lane++) {
            sum += scratch[lane];
        }
        for (; i < to; i++) {
            sum += x[i];
        }
        return sum;
    }
}
