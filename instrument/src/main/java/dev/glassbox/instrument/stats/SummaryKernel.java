package dev.glassbox.instrument.stats;

import dev.glassbox.engine.kernels.Blas;

/**
 * The one pass over a tensor that every statistic comes from. It adds to a {@link BatchSummary}: Σ(x − shift),
 * Σ(x − shift)², Σ|x|, Σx², min, max, zeros, values outside the saturation band, and the histogram slot of each
 * value. All sums are taken in double, as the two-pass definitions are. Min and max follow {@link Math#min} and
 * {@link Math#max} (−0 below +0; NaN needs no rule here: it voids the pass, see {@link #summarize}), through
 * {@link #orderedKey}.
 *
 * <p>Two implementations compute the same thing: {@link #SCALAR}, plain loops that read as the definition, and a
 * Vector API one ({@code VectorSummaryKernel}), used when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}. Their counts, min, max and histograms agree exactly, and their sums
 * to double rounding (the lanes add in a different order).
 *
 * <p>Histogram slots are counted in two steps: a block of {@value #BLOCK} values gets its slot positions
 * ({@link #slotPosition}, in double), which, rounded to integers and clamped to the slots, are counted into
 * {@value #COPIES} copies of the counters (in the calling thread's {@link KernelScratch}), value k into copy k mod
 * {@value #COPIES}. A run of values in one slot (small activations, a gradient that training has shrunk) would
 * otherwise wait on one counter, each increment on the previous one's store; with {@value #COPIES} copies sixteen
 * increments lie between two to the same counter.
 * The scalar kernel leaves the rounding to the counting loop; the vector kernel rounds in the vector, and takes
 * the positions in float where that provably gives the same slots (see {@code VectorSummaryKernel}).
 */
abstract class SummaryKernel {
    /** Values whose slot positions are computed before they are counted. */
    static final int BLOCK = 1024;
    /** Interleaved copies of the histogram counters. */
    static final int COPIES = 16;

    /** The readable reference: one value at a time. */
    static final SummaryKernel SCALAR = new ScalarSummaryKernel();

    private static final SummaryKernel BEST = vectorApiAvailable() ? new VectorSummaryKernel() : SCALAR;

    /** The Vector API kernel when the module is present, else the scalar one. */
    static SummaryKernel best() {
        return BEST;
    }

    /** True when the JVM has the {@code jdk.incubator.vector} module, so the vector kernel can be loaded. */
    static boolean vectorApiAvailable() {
        return Blas.vectorApiAvailable();
    }

    /**
     * Adds {@code values[from, to)} (not modified) to {@code out} (modified), using its pass parameters. A NaN or
     * infinity makes the sums non-finite ({@link BatchSummary#finite()}), and everything else meaningless.
     */
    abstract void summarize(float[] values, int from, int to, BatchSummary out);

    /**
     * An int that orders as the float {@code v} does ({@link Float#compare}'s order, −0 below +0): the bits of a
     * float with its sign clear grow with the float, as ints do; a negative float's bits, as an int, are negative
     * and grow as the float shrinks, so for those the 31 bits below the sign are flipped. The transformation is
     * its own inverse ({@link #fromOrderedKey}). Comparing keys is an integer min or max, one instruction, where a
     * float min or max that orders −0 below +0 takes several.
     */
    static int orderedKey(float v) {
        return flipNegative(Float.floatToRawIntBits(v));
    }

    /** The float whose {@link #orderedKey} is {@code key}. */
    static float fromOrderedKey(int key) {
        return Float.intBitsToFloat(flipNegative(key));
    }

    /** {@code bits} with the 31 bits below the sign flipped when the sign is set: both ways of the key. */
    private static int flipNegative(int bits) {
        return bits ^ (bits >> 31 >>> 1);
    }

    /**
     * Added to (x − low)·scale to make the slot position: ½ + 2⁻⁴⁰. A position is rounded to the nearest integer
     * to give the slot, and rounding (x − low)·scale + ½ is taking the integer part of (x − low)·scale + 1 (slot
     * 0 is the underflow), except at ties: the extra 2⁻⁴⁰ sends a value exactly on a bin edge up into the bin
     * that the edge starts, as the definition says. Only values less than 2⁻⁴⁰ of a bin width below an edge
     * land a bin higher than their integer part. Why rounding rather than the integer part: adding 2⁵² to a
     * double rounds it to an integer in one vector instruction, and the integer part would need three more.
     */
    static final double ROUNDING_OFFSET = 0.5 + 0x1p-40;

    /**
     * The histogram slot position of x: (x − low)·scale + ½ + 2⁻⁴⁰, which, rounded to the nearest integer (half
     * to even) and clamped to [0, bins + 1], is the slot (0 underflow, 1 .. bins the bins, bins + 1 overflow).
     * The vector kernel computes the same operations in the same order, and rounds the same way.
     */
    static double slotPosition(double x, double low, double scale) {
        return (x - low) * scale + ROUNDING_OFFSET;
    }

    /**
     * The pass of an update ratio: Σ(w − before)² into {@code sums[at]} and Σbefore² into {@code sums[at + 1]},
     * over {@code [from, to)}, in double. Here one value at a time; the vector kernel takes 0.24–0.28 ms for the
     * seed CNN's 431,080 weights where this loop takes 0.87–0.96 ms, every step.
     */
    void changeAndSize(float[] w, float[] before, int from, int to, double[] sums, int at) {
        double change = 0;
        double size = 0;
        for (int i = from; i < to; i++) {
            double d = (double) w[i] - before[i];
            change += d * d;
            size += (double) before[i] * before[i];
        }
        sums[at] = change;
        sums[at + 1] = size;
    }

    /** The slot of a position: the nearest integer, clamped to [0, last] (a NaN position gives 0). */
    static int slot(double position, int last) {
        double rounded = Math.rint(position);
        return rounded > 0 ? (rounded < last ? (int) rounded : last) : 0;
    }

    /** Counts the slots of {@code work.slotPositions[0, n)} into the interleaved counters. */
    static void countSlots(KernelScratch work, int n) {
        int[] counters = work.counters;
        double[] positions = work.slotPositions;
        int stride = work.stride;
        int last = stride - 1;
        for (int k = 0; k < n; k++) {
            counters[k % COPIES * stride + slot(positions[k], last)]++;
        }
    }

    /**
     * Adds the interleaved counters into {@code out.slots} and clears them, a copy at a time: the inner loop runs
     * over adjacent counters, which the compiler turns into vector additions (it runs once per call, for every
     * tensor however small).
     */
    static void foldCounters(KernelScratch work, BatchSummary out) {
        int[] counters = work.counters;
        int[] slots = out.slots;
        int stride = slots.length;
        for (int copy = 0; copy < COPIES; copy++) {
            int start = copy * stride;
            for (int s = 0; s < stride; s++) {
                slots[s] += counters[start + s];
            }
            java.util.Arrays.fill(counters, start, start + stride, 0);
        }
        work.countersCleared();
    }
}
