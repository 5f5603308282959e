package dev.glassbox.engine.kernels;

/**
 * Pure-Java sgemm with a scalar micro-kernel: the packed, cache-blocked, multithreaded loop nest of
 * {@link PackedSgemm} around a 4 × 4 register tile of plain {@code float} accumulators.
 *
 * <p>This is the backend that runs everywhere, including JVMs started without {@code jdk.incubator.vector}.
 * C2 keeps the 16 accumulators in registers but does not vectorise them, so it runs at scalar speed (a few
 * percent of the machine's vector FMA peak); {@link VectorSgemm} is the fast path when the module is present.
 */
public final class JavaSgemm extends PackedSgemm {

    private static final int MR = 4;
    private static final int NR = 4;
    /** Depth of a k-block, and so the distance between the rows of an A panel. */
    private static final int KC = 256;

    public JavaSgemm() {
        super(MR, NR, 144, KC, 4096);
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String toString() {
        return "java (scalar)";
    }

    @Override
    void microKernel(int kc, float[] aPack, int aIndex, float[] bPack, int bIndex, int bStride, float[] tile) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int l = 0, ai = aIndex, bi = bIndex; l < kc; l++, ai++, bi += bStride) {
            float a0 = aPack[ai], a1 = aPack[ai + KC], a2 = aPack[ai + 2 * KC], a3 = aPack[ai + 3 * KC];
            float b0 = bPack[bi], b1 = bPack[bi + 1], b2 = bPack[bi + 2], b3 = bPack[bi + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
        tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
        tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
        tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
    }
}

// Exercised by: ./mvnw -B -ntp -q -pl engine -am verify   (SgemmBackendsTest)
