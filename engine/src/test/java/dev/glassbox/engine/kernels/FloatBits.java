package dev.glassbox.engine.kernels;

/** Float arrays as their bit patterns ({@link Float#floatToIntBits}: one NaN), for bit-for-bit assertions. */
final class FloatBits {
    private FloatBits() {}

    static int[] of(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToIntBits(v[i]);
        }
        return b;
    }
}
