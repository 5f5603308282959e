package dev.glassbox.instrument.stats;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SummaryKernel} with the Vector API: {@code LANES} floats at a time are widened to doubles (one double
 * vector holds them all, e.g. 8 floats in 256 bits become 8 doubles in 512), so every sum is taken in double as
 * in the scalar kernel; min, max, zeros and the band are compared in float; the histogram slot position is
 * computed in double with the operations of {@link SummaryKernel#slotPosition}, in the same order, so both kernels
 * count every value in the same slot. (Clamping and the cast to int are left to the scalar counting loop: the
 * Java 17 compiler turns double min, max and blend into calls that allocate.)
 *
 * <p>Two sets of vector accumulators take alternate vectors, so an addition does not wait for the previous one.
 * After each block they are added lane by lane into {@code out.lanes}, and at the end the lanes are added in a
 * fixed order (lane 0, 1, ...), not by {@code reduceLanes}, whose order is unspecified: the same input gives the
 * same bits on every run.
 */
final class VectorSummaryKernel extends SummaryKernel {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = DOUBLES.length();
    private static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(LANES * Float.SIZE));

    @Override
    void summarize(float[] values, int from, int to, BatchSummary out) {
        double[] lanes = out.lanes;                     // Σd, Σd², Σ|x|, Σx², each LANES wide
        java.util.Arrays.fill(lanes, 0, 4 * LANES, 0.0);
        int vectorEnd = from + (to - from) / (2 * LANES) * (2 * LANES);
        int zeroSlot = slot(slotPosition(0.0, out.low, out.scale), out.slots.length - 1);
        for (int blockStart = from; blockStart < vectorEnd; blockStart += BLOCK) {
            int blockEnd = Math.min(vectorEnd, blockStart + BLOCK);
            int positions = summarizeBlock(values, blockStart, blockEnd, out);
            countSlots(out, positions);
            out.counters[zeroSlot] += blockEnd - blockStart - positions;
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
     * that is all zeros (common after a ReLU, and in a max-pool's gradient) writes no slot positions: the caller
     * counts those values in the slot of 0. Returns the number of positions written.
     */
    private static int summarizeBlock(float[] values, int blockStart, int blockEnd, BatchSummary out) {
        DoubleVector shift = DoubleVector.broadcast(DOUBLES, out.shift);
        DoubleVector low = DoubleVector.broadcast(DOUBLES, out.low);
        DoubleVector scale = DoubleVector.broadcast(DOUBLES, out.scale);
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        FloatVector bandLow = FloatVector.broadcast(FLOATS, out.bandLow);
        FloatVector bandHigh = FloatVector.broadcast(FLOATS, out.bandHigh);
        DoubleVector sum0 = zero;
        DoubleVector sum1 = zero;
        DoubleVector squares0 = zero;
        DoubleVector squares1 = zero;
        DoubleVector abs0 = zero;
        DoubleVector abs1 = zero;
        DoubleVector raw0 = zero;
        DoubleVector raw1 = zero;
        FloatVector min = FloatVector.broadcast(FLOATS, out.min);
        FloatVector max = FloatVector.broadcast(FLOATS, out.max);
        long zeros = 0;
        long outside = 0;
        double[] positions = out.slotPositions;
        int written = 0;
        for (int i = blockStart; i < blockEnd; i += 2 * LANES) {
            // two vectors per turn, written out so each set of accumulators stays in registers
            FloatVector f0 = FloatVector.fromArray(FLOATS, values, i);
            FloatVector f1 = FloatVector.fromArray(FLOATS, values, i + LANES);
            DoubleVector x0 = (DoubleVector) f0.convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector x1 = (DoubleVector) f1.convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector d0 = x0.sub(shift);
            DoubleVector d1 = x1.sub(shift);
            sum0 = sum0.add(d0);
            sum1 = sum1.add(d1);
            squares0 = squares0.add(d0.mul(d0));
            squares1 = squares1.add(d1.mul(d1));
            abs0 = abs0.add(x0.abs());
            abs1 = abs1.add(x1.abs());
            raw0 = raw0.add(x0.mul(x0));
            raw1 = raw1.add(x1.mul(x1));
            min = min.min(f0).min(f1);
            max = max.max(f0).max(f1);
            int pairZeros = f0.eq(0f).trueCount() + f1.eq(0f).trueCount();
            zeros += pairZeros;
            VectorMask<Float> out0 = f0.lt(bandLow).or(f0.compare(VectorOperators.GT, bandHigh));
            VectorMask<Float> out1 = f1.lt(bandLow).or(f1.compare(VectorOperators.GT, bandHigh));
            outside += out0.trueCount() + out1.trueCount();
            if (pairZeros < 2 * LANES) {
                x0.sub(low).mul(scale).add(one).intoArray(positions, written);
                x1.sub(low).mul(scale).add(one).intoArray(positions, written + LANES);
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

    /** Σ of {@code LANES} lanes from {@code offset}, in lane order. */
    private static double laneSum(double[] lanes, int offset) {
        double total = 0;
        for (int k = 0; k < LANES; k++) {
            total += lanes[offset + k];
        }
        return total;
    }
}
