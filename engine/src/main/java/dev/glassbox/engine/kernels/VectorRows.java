package dev.glassbox.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API side of {@link Im2Col}: moving one row of the column matrix, i.e. one input plane seen through
 * one kernel offset, {@code cols[to + oh·outW + ow] = x[from + oh·width + ow]} for the whole output plane (and the
 * adjoint, adding it back), when every position is inside the input.
 *
 * <p>The runs are short for a small CNN (8 to 28 values per output row). The JIT vectorises a plain loop only in
 * its unrolled main part, after a scalar pre-loop, so an 8-value run never reaches a vector instruction. Here runs
 * at least a vector long are moved a vector at a time; narrower output planes (conv2 of the seed CNN: 8 × 8) go
 * a vector of positions at a time through a gather of {@code from + map[p]} (and the adjoint through a gather, an
 * add and a scatter: within one vector the positions are distinct, so no two lanes add into the same value). Every
 * value is copied, or added once, exactly as by the scalar loops: results are the same bit for bit.
 *
 * <p>Only {@link FloatVector#SPECIES_PREFERRED} is used, as in every other engine kernel. With the Java 17 Vector
 * API, a second float shape in the same JVM shares the library's call sites and their type profiles; the JIT then
 * sometimes fails to intrinsify another kernel's vector operations and falls back to allocating Java code (the
 * weight gradient of conv1 measured 6 times slower when this class once used 256-bit vectors beside the
 * 512-bit ones of the GEMM).
 *
 * <p>Loaded only when the JVM has the {@code jdk.incubator.vector} module (see {@link Blas#vectorApiAvailable}).
 */
final class VectorRows {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    private VectorRows() {}

    /** Whether {@link #gatherRow}/{@link #scatterAddRow} should serve a plane {@code outW} wide. */
    static boolean gathers(int outW) {
        return outW < LANES;
    }

    /**
     * {@code map[oh·outW + ow] = oh·width + ow}: where each output position reads in its input window. Read only:
     * the map of the last plane shape is kept per thread, since im2col asks for it once per image.
     */
    static int[] positionMap(int outH, int outW, int width) {
        PositionMap last = LAST_MAP.get();
        if (last.outH != outH || last.outW != outW || last.width != width) {
            int[] map = new int[outH * outW];
            for (int oh = 0, p = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++, p++) {
                    map[p] = oh * width + ow;
                }
            }
            last = new PositionMap(outH, outW, width, map);
            LAST_MAP.set(last);
        }
        return last.map;
    }

    private record PositionMap(int outH, int outW, int width, int[] map) {}

    private static final ThreadLocal<PositionMap> LAST_MAP =
            ThreadLocal.withInitial(() -> new PositionMap(-1, -1, -1, new int[0]));

    /** {@code cols[to + oh·outW + ow] = x[from + oh·width + ow]} over the plane, a run at a time. */
    static void copyRow(float[] x, int from, int width, int outH, int outW, float[] cols, int to) {
        for (int oh = 0; oh < outH; oh++, from += width, to += outW) {
            int ow = 0;
            for (; ow <= outW - LANES; ow += LANES) {
                FloatVector.fromArray(SPECIES, x, from + ow).intoArray(cols, to + ow);
            }
            for (; ow < outW; ow++) {
                cols[to + ow] = x[from + ow];
            }
        }
    }

    /** {@code gradX[to + oh·width + ow] += cols[from + oh·outW + ow]} over the plane. */
    static void addRow(float[] cols, int from, int width, int outH, int outW, float[] gradX, int to) {
        for (int oh = 0; oh < outH; oh++, from += outW, to += width) {
            int ow = 0;
            for (; ow <= outW - LANES; ow += LANES) {
                FloatVector.fromArray(SPECIES, gradX, to + ow).add(FloatVector.fromArray(SPECIES, cols, from + ow))
                        .intoArray(gradX, to + ow);
            }
            for (; ow < outW; ow++) {
                gradX[to + ow] += cols[from + ow];
            }
        }
    }

    /** {@code cols[to + p] = x[from + map[p]]} for every position p of the plane. */
    static void gatherRow(float[] x, int from, int[] map, float[] cols, int to) {
        int p = 0;
        for (; p <= map.length - LANES; p += LANES) {
            FloatVector.fromArray(SPECIES, x, from, map, p).intoArray(cols, to + p);
        }
        for (; p < map.length; p++) {
            cols[to + p] = x[from + map[p]];
        }
    }

    /** {@code gradX[to + map[p]] += cols[from + p]} for every position p of the plane. */
    static void scatterAddRow(float[] cols, int from, int[] map, float[] gradX, int to) {
        int p = 0;
        for (; p <= map.length - LANES; p += LANES) {
            FloatVector.fromArray(SPECIES, gradX, to, map, p).add(FloatVector.fromArray(SPECIES, cols, from + p))
                    .intoArray(gradX, to, map, p);
        }
        for (; p < map.length; p++) {
            gradX[to + map[p]] += cols[from + p];
        }
    }
}
