package dev.glassbox.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A direct convolution for a shallow window (few input channels × kernel positions, stride 1, no padding or
 * dilation, one group), such as the first layer of a small CNN (1 channel, 5×5): there the im2col GEMM has an
 * inner dimension of only K = 25, so most of its time goes to lowering the input, packing the column matrix and
 * storing register tiles rather than to multiply-adds.
 *
 * <p><b>Full-width rows.</b> Output (oh, ow) reads input (oh + i, ow + j) of channel c. Numbered by
 * {@code q = oh·width + ow} — the input's row length, not the output's — every output shifts by the same
 * {@code off = (c·height + i)·width + j} for a given tap (c, i, j), so one tap is one contiguous vector load per
 * {@code LANES} outputs. Positions with ow ≥ outW are computed and thrown away (for 28-wide input and 24-wide output
 * that is 4 in 28); the last one computed, {@code (outH − 1)·width + outW − 1}, reads at most the plane's last
 * input, so no read leaves the image.
 *
 * <p><b>Same bits as the GEMM.</b> Each output is {@code fma(w_t, x_t, ·)} over the taps t in im2col's row order
 * (c, i, j), starting from 0 — the order in which the GEMM micro-kernel accumulates a K ≤ 256 product — so the
 * results are bit for bit those of {@link Conv2DKernels}' im2col path (a test holds it to that).
 *
 * <p><b>Registers.</b> Four output channels × three vectors of positions: 12 accumulators, and each loaded vector of
 * inputs serves four channels. Only the preferred species, as in every engine kernel (see {@link VectorRows}).
 * Loaded only when the JVM has the {@code jdk.incubator.vector} module.
 */
final class VectorDirectConv {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Deepest window (channels × kernel positions) worth convolving directly: the GEMM wins beyond it. */
    static final int MAX_TAPS = 32;

    private VectorDirectConv() {}

    /** Whether a convolution of this shape goes here. */
    static boolean serves(Conv2DKernels.Shape s) {
        Window2D g = s.window();
        return s.groups() == 1 && s.k() <= MAX_TAPS && g.strideH() == 1 && g.strideW() == 1
                && g.dilationH() == 1 && g.dilationW() == 1 && g.padTop() == 0 && g.padLeft() == 0
                && g.outH() == g.height() - g.kernelH() + 1 && g.outW() == g.width() - g.kernelW() + 1
                && span(g) >= 3 * LANES;
    }

    /** Full-width positions computed per output plane: up to the last output, {@code (outH − 1)·width + outW}. */
    private static int span(Window2D g) {
        return (g.outH() - 1) * g.width() + g.outW();
    }

    /** y = w ∗ x for images [from, to). @param y (modified) */
    static void forward(Conv2DKernels.Shape s, float[] x, float[] w, float[] y, int from, int to) {
        Window2D g = s.window();
        int taps = s.k();
        int width = g.width();
        int span = span(g);
        int[] offsets = offsets(s);
        float[] rows = new float[4 * span];                      // four channels' full-width outputs
        int outChannels = s.outChannels();
        for (int n = from; n < to; n++) {
            int xBase = n * s.channels() * g.inputPlane();
            for (int o = 0; o < outChannels; o += 4) {
                int block = Math.min(4, outChannels - o);
                if (block == 4) {
                    fourChannels(x, xBase, w, o * taps, taps, offsets, span, rows);
                } else {
                    for (int b = 0; b < block; b++) {
                        oneChannel(x, xBase, w, (o + b) * taps, taps, offsets, 0, span, rows, b * span);
                    }
                }
                for (int b = 0; b < block; b++) {                 // keep ow < outW of each row
                    int yBase = ((n * outChannels) + o + b) * g.outputPlane();
                    for (int oh = 0; oh < g.outH(); oh++) {
                        System.arraycopy(rows, b * span + oh * width, y, yBase + oh * g.outW(), g.outW());
                    }
                }
            }
        }
    }

    /** Channels o..o+3 (weights from {@code w0}, {@code taps} apart) into rows[0 .. 4·span). */
    private static void fourChannels(float[] x, int xBase, float[] w, int w0, int taps, int[] offsets, int span,
                                     float[] rows) {
        int q = 0;
        for (; q <= span - 3 * LANES; q += 3 * LANES) {
            FloatVector a00 = FloatVector.zero(SPECIES), a01 = FloatVector.zero(SPECIES);
            FloatVector a02 = FloatVector.zero(SPECIES), a10 = FloatVector.zero(SPECIES);
            FloatVector a11 = FloatVector.zero(SPECIES), a12 = FloatVector.zero(SPECIES);
            FloatVector a20 = FloatVector.zero(SPECIES), a21 = FloatVector.zero(SPECIES);
            FloatVector a22 = FloatVector.zero(SPECIES), a30 = FloatVector.zero(SPECIES);
            FloatVector a31 = FloatVector.zero(SPECIES), a32 = FloatVector.zero(SPECIES);
            for (int t = 0; t < taps; t++) {
                int at = xBase + offsets[t] + q;
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, at);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, at + LANES);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, at + 2 * LANES);
                FloatVector k = FloatVector.broadcast(SPECIES, w[w0 + t]);
                a00 = x0.fma(k, a00);
                a01 = x1.fma(k, a01);
                a02 = x2.fma(k, a02);
                k = FloatVector.broadcast(SPECIES, w[w0 + taps + t]);
                a10 = x0.fma(k, a10);
                a11 = x1.fma(k, a11);
                a12 = x2.fma(k, a12);
                k = FloatVector.broadcast(SPECIES, w[w0 + 2 * taps + t]);
                a20 = x0.fma(k, a20);
                a21 = x1.fma(k, a21);
                a22 = x2.fma(k, a22);
                k = FloatVector.broadcast(SPECIES, w[w0 + 3 * taps + t]);
                a30 = x0.fma(k, a30);
                a31 = x1.fma(k, a31);
                a32 = x2.fma(k, a32);
            }
            a00.intoArray(rows, q);
            a01.intoArray(rows, q + LANES);
            a02.intoArray(rows, q + 2 * LANES);
            a10.intoArray(rows, span + q);
            a11.intoArray(rows, span + q + LANES);
            a12.intoArray(rows, span + q + 2 * LANES);
            a20.intoArray(rows, 2 * span + q);
            a21.intoArray(rows, 2 * span + q + LANES);
            a22.intoArray(rows, 2 * span + q + 2 * LANES);
            a30.intoArray(rows, 3 * span + q);
            a31.intoArray(rows, 3 * span + q + LANES);
            a32.intoArray(rows, 3 * span + q + 2 * LANES);
        }
        for (int b = 0; b < 4; b++) {
            oneChannel(x, xBase, w, w0 + b * taps, taps, offsets, q, span, rows, b * span);
        }
    }

    /**
     * Positions [q, span) of one channel (weights from {@code w0}) into rows[r0 + q .. r0 + span), a vector at a
     * time. The last, partial vector is computed as the whole vector ending at span: the positions it shares with
     * the one before get the same values again, bit for bit, and no position is left to a slow scalar loop of
     * 25 dependent multiply-adds.
     */
    private static void oneChannel(float[] x, int xBase, float[] w, int w0, int taps, int[] offsets, int q, int span,
                                   float[] rows, int r0) {
        while (q < span) {
            int at = Math.min(q, span - LANES);
            FloatVector a = FloatVector.zero(SPECIES);
            for (int t = 0; t < taps; t++) {
                a = FloatVector.fromArray(SPECIES, x, xBase + offsets[t] + at)
                        .fma(FloatVector.broadcast(SPECIES, w[w0 + t]), a);
            }
            a.intoArray(rows, r0 + at);
            q = at + LANES;
        }
    }

    /** Image groups of the weight gradient: fixed, so that the sum order does not depend on the thread count. */
    private static final int IMAGE_GROUPS = 4;

    /**
     * dL/dw of a convolution this class serves, added into {@code gradW} (modified): for output channel o and tap
     * t, {@code Σ_n Σ_q g_n,o(q) · x_n(q + off_t)} over the full-width positions q, where g is dL/dy laid out at
     * the input's row length with zeros at ow ≥ outW. The images are cut into {@value #IMAGE_GROUPS} fixed groups
     * and the work into (block of 4 channels, image group) units, so both threads get an even share; within a
     * unit each (o, t) is summed over its images in order (vector lanes over q, the lanes then added in order,
     * then the positions after the last whole vector), and the groups' sums are added in group order: the
     * result does not depend on the thread count.
     */
    static void weightGradient(Conv2DKernels.Shape s, float[] x, float[] gradOutput, float[] gradW) {
        Window2D g = s.window();
        int taps = s.k();
        int width = g.width();
        int span = span(g);
        int[] offsets = offsets(s);
        int outChannels = s.outChannels();
        int blocks = (outChannels + 3) / 4;
        int groups = Math.min(IMAGE_GROUPS, s.batch());
        float[][] groupSums = new float[groups][outChannels * taps];
        Parallel.forRange(blocks * groups, 1, (from, to) -> {
            float[] spread = new float[4 * span];                 // g of four channels at full width
            float[] partial = new float[4 * taps * LANES];        // lane sums per (channel, tap)
            float[] tails = new float[4 * taps];                  // sums of the positions after the vectors
            int vectorEnd = span - span % LANES;
            for (int unit = from; unit < to; unit++) {
                int o0 = 4 * (unit / groups);
                int group = unit % groups;
                int count = Math.min(4, outChannels - o0);
                java.util.Arrays.fill(partial, 0f);
                java.util.Arrays.fill(tails, 0f);
                int firstImage = (int) ((long) s.batch() * group / groups);
                int endImage = (int) ((long) s.batch() * (group + 1) / groups);
                for (int n = firstImage; n < endImage; n++) {
                    for (int b = 0; b < count; b++) {
                        int gBase = (n * outChannels + o0 + b) * g.outputPlane();
                        for (int oh = 0; oh < g.outH(); oh++) {
                            System.arraycopy(gradOutput, gBase + oh * g.outW(), spread, b * span + oh * width,
                                    g.outW());
                        }
                    }
                    int xBase = n * s.channels() * g.inputPlane();
                    for (int t = 0; t < taps; t++) {
                        accumulate(x, xBase + offsets[t], spread, span, count, vectorEnd, partial, t * LANES,
                                taps * LANES);
                        for (int b = 0; b < count; b++) {
                            float sum = tails[b * taps + t];
                            for (int q = vectorEnd; q < span; q++) {
                                sum = Math.fma(spread[b * span + q], x[xBase + offsets[t] + q], sum);
                            }
                            tails[b * taps + t] = sum;
                        }
                    }
                }
                for (int b = 0; b < count; b++) {
                    for (int t = 0; t < taps; t++) {
                        float sum = 0f;
                        for (int lane = 0; lane < LANES; lane++) {
                            sum += partial[(b * taps + t) * LANES + lane];
                        }
                        groupSums[group][(o0 + b) * taps + t] = sum + tails[b * taps + t];
                    }
                }
            }
        });
        for (float[] sums : groupSums) {
            for (int i = 0; i < sums.length; i++) {
                gradW[i] += sums[i];
            }
        }
    }

    /**
     * partial[b·stride + p0 + lane] += Σ over the whole vectors of q of spread_b(q) · x(at + q), for the
     * {@code count} channels b of a block (one tap).
     */
    private static void accumulate(float[] x, int at, float[] spread, int span, int count, int vectorEnd,
                                   float[] partial, int p0, int stride) {
        if (count == 4) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, partial, p0);
            FloatVector s1 = FloatVector.fromArray(SPECIES, partial, p0 + stride);
            FloatVector s2 = FloatVector.fromArray(SPECIES, partial, p0 + 2 * stride);
            FloatVector s3 = FloatVector.fromArray(SPECIES, partial, p0 + 3 * stride);
            for (int q = 0; q < vectorEnd; q += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, at + q);
                s0 = FloatVector.fromArray(SPECIES, spread, q).fma(v, s0);
                s1 = FloatVector.fromArray(SPECIES, spread, span + q).fma(v, s1);
                s2 = FloatVector.fromArray(SPECIES, spread, 2 * span + q).fma(v, s2);
                s3 = FloatVector.fromArray(SPECIES, spread, 3 * span + q).fma(v, s3);
            }
            s0.intoArray(partial, p0);
            s1.intoArray(partial, p0 + stride);
            s2.intoArray(partial, p0 + 2 * stride);
            s3.intoArray(partial, p0 + 3 * stride);
            return;
        }
        for (int b = 0; b < count; b++) {
            FloatVector sum = FloatVector.fromArray(SPECIES, partial, p0 + b * stride);
            for (int q = 0; q < vectorEnd; q += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, at + q);
                sum = FloatVector.fromArray(SPECIES, spread, b * span + q).fma(v, sum);
            }
            sum.intoArray(partial, p0 + b * stride);
        }
    }

    /** The input offset of each tap (c, i, j) in im2col's row order, relative to an image's first input. */
    private static int[] offsets(Conv2DKernels.Shape s) {
        Window2D g = s.window();
        int[] offsets = new int[s.k()];
        for (int c = 0, t = 0; c < s.channels(); c++) {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, t++) {
                    offsets[t] = (c * g.height() + i) * g.width() + j;
                }
            }
        }
        return offsets;
    }
}
