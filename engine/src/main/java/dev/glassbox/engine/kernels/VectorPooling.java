package dev.glassbox.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2×2, stride-2 max-pooling of {@link PoolKernels} a vector of outputs at a time, with the Vector API.
 *
 * <p>Output p of a plane reads the window whose top-left input is {@code map[p] = 2·oh·width + 2·ow}; the four
 * candidates of {@code LANES} outputs are four gathers at offsets 0, 1, width and width + 1 from the plane. The
 * value is {@code max(max(v0, v1), max(v2, v3))} and the index moves right or down only on a strictly greater
 * value, so the first of tied maxima wins, as in the scalar loop; the scalar loop spends most of its time on
 * those data-dependent choices, here they are blends. The four candidate indices are kept as float vectors
 * holding the ints' bits (a blend moves bits without arithmetic), so every mask is a float mask, and are stored
 * as ints by reinterpreting the bits.
 *
 * <p>A NaN changes the rule (it wins, and the first NaN stays): a vector whose candidates hold one (their sum is
 * NaN, which an infinity of each sign also gives) and the rest of its plane are done window by window with the
 * scalar code ({@link PoolKernels#window2x2}), so the results are bit for bit the scalar loop's in every case. The
 * Java 17 Vector API falls back to slow Java code for the mask logic a NaN-aware rule would need.
 *
 * <p>Uses only the preferred species, as every engine kernel does (see {@link VectorRows}). Loaded only when the
 * JVM has the {@code jdk.incubator.vector} module.
 */
final class VectorPooling {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    static final int LANES = FLOATS.length();

    private VectorPooling() {}

    /** The top-left input of every output of a plane, and the four candidate indices as float bits. */
    record Map(int[] offsets, float[] topLeft, float[] topRight, float[] bottomLeft, float[] bottomRight) {
        static Map of(Window2D g) {
            int n = g.outputPlane();
            int[] offsets = new int[n];
            float[][] corners = new float[4][n];
            for (int oh = 0, p = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++, p++) {
                    offsets[p] = 2 * oh * g.width() + 2 * ow;
                    corners[0][p] = Float.intBitsToFloat(offsets[p]);
                    corners[1][p] = Float.intBitsToFloat(offsets[p] + 1);
                    corners[2][p] = Float.intBitsToFloat(offsets[p] + g.width());
                    corners[3][p] = Float.intBitsToFloat(offsets[p] + g.width() + 1);
                }
            }
            return new Map(offsets, corners[0], corners[1], corners[2], corners[3]);
        }
    }

    /**
     * Planes [from, to): whole vectors of windows with the Vector API; from a vector holding a NaN on, and after a
     * plane's last whole vector, window by window with {@link PoolKernels#window2x2}. @param x (not modified)
     * @param y (modified) @param argmax (modified)
     */
    static void maxPool2x2(float[] x, int from, int to, Window2D g, Map map, float[] y, int[] argmax) {
        int width = g.width();
        int outPlane = g.outputPlane();
        int vectorEnd = outPlane - outPlane % LANES;
        for (int plane = from; plane < to; plane++) {
            int in = plane * g.inputPlane();
            int out = plane * outPlane;
            int p = 0;
            for (; p < vectorEnd; p += LANES) {
                FloatVector v0 = FloatVector.fromArray(FLOATS, x, in, map.offsets(), p);
                FloatVector v1 = FloatVector.fromArray(FLOATS, x, in + 1, map.offsets(), p);
                FloatVector v2 = FloatVector.fromArray(FLOATS, x, in + width, map.offsets(), p);
                FloatVector v3 = FloatVector.fromArray(FLOATS, x, in + width + 1, map.offsets(), p);
                FloatVector sum = v0.add(v1).add(v2).add(v3);
                if (sum.compare(VectorOperators.NE, sum).anyTrue()) {
                    break;                                  // a NaN: the rest of this plane window by window
                }
                FloatVector top = v0.max(v1);
                FloatVector bottom = v2.max(v3);
                FloatVector topIndex = FloatVector.fromArray(FLOATS, map.topLeft(), p)
                        .blend(FloatVector.fromArray(FLOATS, map.topRight(), p), v1.compare(VectorOperators.GT, v0));
                FloatVector bottomIndex = FloatVector.fromArray(FLOATS, map.bottomLeft(), p)
                        .blend(FloatVector.fromArray(FLOATS, map.bottomRight(), p), v3.compare(VectorOperators.GT, v2));
                top.max(bottom).intoArray(y, out + p);
                topIndex.blend(bottomIndex, bottom.compare(VectorOperators.GT, top)).reinterpretAsInts()
                        .intoArray(argmax, out + p);
            }
            for (; p < outPlane; p++) {
                PoolKernels.window2x2(x, in, map.offsets()[p], width, y, argmax, out + p);
            }
        }
    }
}
