package dev.glassbox.instrument.stats;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SummaryKernel} with the Vector API. Each turn of the loop takes a pair of vectors' worth of values,
 * {@code 2 × LANES} floats (16 with 512-bit vectors):
 * <ul>
 * <li>min, max, zeros and the band are compared in float, all {@code 2 × LANES} values in one wide vector;</li>
 * <li>the sums are taken in double, as in the scalar kernel: each half is widened to one double vector;</li>
 * <li>the histogram slot is computed in double with the operations of {@link SummaryKernel#slotPosition}, in the
 * same order, and turned into an integer in the vector (see {@link #summarizeBlock}), so the scalar counting
 * loop only adds one to a counter per value.</li>
 * </ul>
 *
 * <p>Two sets of double accumulators take the two halves, so an addition does not wait for the previous one.
 * After each block they are added lane by lane into {@code out.lanes}, and at the end the lanes are added in a
 * fixed order (lane 0, 1, ...), not by {@code reduceLanes}, whose order is unspecified: the same input gives the
 * same bits on every run.
 *
 * <p>Java 17's compiler turns some Vector API operations into slow library calls: float-to-int and double-to-int
 * conversions among them. Every operation here compiles to a few instructions: compares, blends, arithmetic,
 * reinterpreting the bits, integer min and max.
 */
final class VectorSummaryKernel extends SummaryKernel {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = DOUBLES.length();
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    /**
     * The engine's float species, and the only float shape here: with the Java 17 Vector API a second float shape
     * in the same JVM shares the library's call sites and type profiles with the engine's kernels, and the JIT
     * then sometimes fails to intrinsify those and falls back to allocating Java code (a seed-CNN training step
     * measured twice as slow after a 256-bit statistics kernel had run beside the engine's 512-bit one). A float
     * vector holds as many values as two double vectors, which take its halves.
     */
    private static final VectorSpecies<Float> WIDE_FLOATS = FloatVector.SPECIES_PREFERRED;
    /**
     * 2⁵²: for 0 ≤ q < 2⁵², q + 2⁵² is the double nearest q among those whose last mantissa bit is worth 1, so
     * its bits minus the bits of 2⁵² are q rounded to the nearest integer (half to even, as {@link Math#rint}).
     */
    private static final double ROUNDING = 0x1p52;

    @Override
    void summarize(float[] values, int from, int to, BatchSummary out) {
        double[] lanes = out.lanes;                     // Σd, Σd², Σ|x|, Σx², each LANES wide
        java.util.Arrays.fill(lanes, 0, 4 * LANES, 0.0);
        int vectorEnd = from + (to - from) / (2 * LANES) * (2 * LANES);
        int zeroSlot = slot(slotPosition(0.0, out.low, out.scale), out.slots.length - 1);
        for (int blockStart = from; blockStart < vectorEnd; blockStart += BLOCK) {
            int blockEnd = Math.min(vectorEnd, blockStart + BLOCK);
            int slots = summarizeBlock(values, blockStart, blockEnd, out);
            countSlotIndices(out, slots);
            out.counters[zeroSlot] += blockEnd - blockStart - slots;
        }
        foldCounters(out);
        out.count += vectorEnd - from;
        out.sumShifted += laneSum(lanes, 0);
        out.sumShiftedSquares += laneSum(lanes, LANES);
        out.sumAbs += laneSum(lanes, 2 * LANES);
        out.sumSquares += laneSum(lanes, 3 * LANES);
        if (vectorEnd < to) {
            SCALAR.summarize(values, vectorEnd, to, out);       // the last few values, fewer than two vectors
        }
    }

    /**
     * One block, a whole number of vector pairs: its vectors live only in this loop, and leave it as lanes added
     * into {@code out.lanes}. (Kept apart from the counting so that no vector is live across a call or an outer
     * loop, where the Java 17 compiler would keep it in a heap object instead of a register.) A pair of vectors
     * that is all zeros (common after a ReLU, and in a max-pool's gradient) writes no slots: the caller counts
     * those values in the slot of 0. Returns the number of slots written.
     *
     * <p>The slot of a position q is q rounded to the nearest integer (see {@link SummaryKernel#ROUNDING_OFFSET}),
     * clamped to the slots. For 0 ≤ q < 2⁵², c = q + 2⁵² is that integer r plus 2⁵², and the bits of c are
     * those of 2⁵² plus r. The bits of a positive double grow with it, so the clamping is done on the bits,
     * between those of 2⁵² and 2⁵² + last slot: a negative q gives c < 2⁵² (the underflow), however negative
     * (then c is negative, and so are its bits as a long), and a q beyond the last slot gives c beyond it,
     * however large. Only then are the bits of 2⁵² taken away, and the start of the lane's copy of the counters
     * added, which gives the index the counting loop increments.
     */
    private static int summarizeBlock(float[] values, int blockStart, int blockEnd, BatchSummary out) {
        DoubleVector shift = DoubleVector.broadcast(DOUBLES, out.shift);
        DoubleVector low = DoubleVector.broadcast(DOUBLES, out.low);
        DoubleVector scale = DoubleVector.broadcast(DOUBLES, out.scale);
        DoubleVector roundingOffset = DoubleVector.broadcast(DOUBLES, ROUNDING_OFFSET);
        DoubleVector rounding = DoubleVector.broadcast(DOUBLES, ROUNDING);
        long roundingBits = Double.doubleToRawLongBits(ROUNDING);
        LongVector firstSlot = LongVector.broadcast(LONGS, roundingBits);
        LongVector lastSlot = LongVector.broadcast(LONGS, roundingBits + out.slots.length - 1);
        LongVector indexBase = LongVector.broadcast(LONGS, roundingBits)
                .sub(LongVector.fromArray(LONGS, out.copyStarts, 0));
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        FloatVector bandLow = FloatVector.broadcast(WIDE_FLOATS, out.bandLow);
        FloatVector bandHigh = FloatVector.broadcast(WIDE_FLOATS, out.bandHigh);
        DoubleVector sum0 = zero;
        DoubleVector sum1 = zero;
        DoubleVector squares0 = zero;
        DoubleVector squares1 = zero;
        DoubleVector abs0 = zero;
        DoubleVector abs1 = zero;
        DoubleVector raw0 = zero;
        DoubleVector raw1 = zero;
        FloatVector min = FloatVector.broadcast(WIDE_FLOATS, out.min);
        FloatVector max = FloatVector.broadcast(WIDE_FLOATS, out.max);
        long zeros = 0;
        long outside = 0;
        long[] slots = out.slotIndices;
        int written = 0;
        for (int i = blockStart; i < blockEnd; i += 2 * LANES) {
            FloatVector w = FloatVector.fromArray(WIDE_FLOATS, values, i);
            // compare and blend, not min() and max(): those also order −0 before 0 and pass NaNs on, which
            // takes several instructions per call, and a NaN voids the batch anyway
            min = min.blend(w, w.lt(min));
            max = max.blend(w, w.compare(VectorOperators.GT, max));
            int pairZeros = w.eq(0f).trueCount();
            zeros += pairZeros;
            outside += w.lt(bandLow).or(w.compare(VectorOperators.GT, bandHigh)).trueCount();

            // its two halves, each widened to doubles for the sums
            DoubleVector x0 = (DoubleVector) w.convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector x1 = (DoubleVector) w.convertShape(VectorOperators.F2D, DOUBLES, 1);
            DoubleVector d0 = x0.sub(shift);
            DoubleVector d1 = x1.sub(shift);
            sum0 = sum0.add(d0);
            sum1 = sum1.add(d1);
            squares0 = d0.fma(d0, squares0);
            squares1 = d1.fma(d1, squares1);
            abs0 = abs0.add(x0.abs());
            abs1 = abs1.add(x1.abs());
            raw0 = x0.fma(x0, raw0);
            raw1 = x1.fma(x1, raw1);

            if (pairZeros < 2 * LANES) {
                x0.sub(low).mul(scale).add(roundingOffset).add(rounding).reinterpretAsLongs()
                        .max(firstSlot).min(lastSlot).sub(indexBase).intoArray(slots, written);
                x1.sub(low).mul(scale).add(roundingOffset).add(rounding).reinterpretAsLongs()
                        .max(firstSlot).min(lastSlot).sub(indexBase).intoArray(slots, written + LANES);
                written += 2 * LANES;
            }
        }
        double[] lanes = out.lanes;
        DoubleVector.fromArray(DOUBLES, lanes, 0).add(sum0.add(sum1)).intoArray(lanes, 0);
        DoubleVector.fromArray(DOUBLES, lanes, LANES).add(squares0.add(squares1)).intoArray(lanes, LANES);
        DoubleVector.fromArray(DOUBLES, lanes, 2 * LANES).add(abs0.add(abs1)).intoArray(lanes, 2 * LANES);
        DoubleVector.fromArray(DOUBLES, lanes, 3 * LANES).add(raw0.add(raw1)).intoArray(lanes, 3 * LANES);
        out.min = min.reduceLanes(VectorOperators.MIN);
        out.max = max.reduceLanes(VectorOperators.MAX);
        out.zeros += zeros;
        out.outside += outside;
        return written;
    }

    /**
     * Counts {@code out.slotIndices[0, n)} into the interleaved counters: each is already a slot, clamped, plus the
     * start of the copy of the counters its lane counts into (lane i into copy i mod {@value #COPIES}).
     */
    private static void countSlotIndices(BatchSummary out, int n) {
        int[] counters = out.counters;
        long[] indices = out.slotIndices;
        // Every index is already below counters.length, a power of two: the mask changes nothing but lets the
        // compiler drop the bounds check of each increment.
        int mask = counters.length - 1;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            counters[(int) indices[k] & mask]++;
            counters[(int) indices[k + 1] & mask]++;
            counters[(int) indices[k + 2] & mask]++;
            counters[(int) indices[k + 3] & mask]++;
        }
        for (; k < n; k++) {
            counters[(int) indices[k] & mask]++;
        }
    }

    /** Σ of {@code LANES} lanes from {@code offset}, in lane order. */
    private static double laneSum(double[] lanes, int offset) {
        double total = 0;
        for (int k = 0; k < LANES; k++) {
            total += lanes[offset + k];
        }
        return total;
    }
}
