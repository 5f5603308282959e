package dev.glassbox.engine.kernels;

/**
 * The element-wise loops of the hot layers (ReLU and its gradient, a bias per feature map and its gradient), cut
 * into fixed ranges over {@link Parallel}'s threads when the tensor is large enough, and a vector at a time when
 * the JVM has the Vector API ({@link VectorElementwise}). Every output element is computed from its own inputs
 * alone, so the results are the same for any thread count and either path; the bias gradient, a sum, is taken
 * per feature map in a fixed order.
 */
public final class Elementwise {
    private Elementwise() {}

    /** Elements a thread should get at least: below that, handing out a range costs more than it saves. */
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 16;

    private static final boolean VECTOR = Blas.vectorApiAvailable();

    /** {@code out[i] = max(x[i], 0)}: a NaN stays NaN, -0 becomes +0 (Math.max). @param out (modified) */
    public static void relu(float[] x, float[] out) {
        Parallel.forRange(x.length, MIN_ELEMENTS_PER_THREAD, (from, to) -> {
            int i = VECTOR ? VectorElementwise.relu(x, out, from, to) : from;
            for (; i < to; i++) {
                out[i] = Math.max(x[i], 0f);          // branch-free (maxss)
            }
        });
    }

    /** {@code out[i] = g[i]} where {@code y[i] > 0}, else +0 (also where y is NaN). @param out (modified) */
    public static void reluBackward(float[] g, float[] y, float[] out) {
        Parallel.forRange(g.length, MIN_ELEMENTS_PER_THREAD, (from, to) -> {
            int i = VECTOR ? VectorElementwise.reluBackward(g, y, out, from, to) : from;
            for (; i < to; i++) {
                // An integer mask instead of a float select, which would compile to a branch that the data
                // mispredicts.
                out[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & -(y[i] > 0 ? 1 : 0));
            }
        });
    }

    /**
     * {@code y[map·plane + p] += bias[map % bias.length]} over consecutive feature maps of {@code plane} values.
     * @param y (modified)
     */
    public static void addBias(float[] y, float[] bias, int plane) {
        int maps = plane == 0 ? 0 : y.length / plane;
        Parallel.forRange(maps, Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, plane)), (from, to) -> {
            for (int map = from; map < to; map++) {
                float value = bias[map % bias.length];
                int start = map * plane;
                int i = VECTOR ? VectorElementwise.addScalar(y, start, start + plane, value) : start;
                for (; i < start + plane; i++) {
                    y[i] += value;
                }
            }
        });
    }

    /**
     * The sum of each feature map of {@code plane} values, map after map: {@code sums[m]} (modified). Each map is
     * summed by one thread in one fixed order (lane partial sums, then the lanes in order, then the tail).
     */
    public static void mapSums(float[] x, int plane, float[] sums) {
        int maps = plane == 0 ? 0 : x.length / plane;
        Parallel.forRange(maps, Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, plane)), (from, to) -> {
            float[] scratch = VECTOR ? new float[VectorElementwise.LANES] : null;
            for (int map = from; map < to; map++) {
                int start = map * plane;
                sums[map] = VECTOR ? VectorElementwise.sum(x, start, start + plane, scratch)
                        : sum(x, start, start + plane);
            }
        });
    }

    private static float sum(float[] x, int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i];
        }
        return sum;
    }
}
