package dev.glassbox.instrument.stats;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SummaryKernel} with the Vector API. A block of values (at most {@value SummaryKernel#BLOCK}, so it stays in
 * the L1 cache) is read by a few short loops, each with few live vectors:
 * <ul>
 * <li>{@link #outside}: the values outside the saturation band, only for statistics that have a band;</li>
 * <li>{@link #sumsAndSlots}: the sums, taken in double as in the scalar kernel; min, max and zeros, in integer
 * arithmetic on the values' {@link SummaryKernel#orderedKey ordered keys}; and the histogram slot of every value,
 * computed in float (twice the values per instruction) and turned into a counter index in the vector, so that the
 * scalar counting loop ({@link #countSlotIndices}) only adds one to a counter per value. A batch whose histogram
 * lies too far from 0 for float positions to be close goes to the scalar kernel whole.</li>
 * <li>{@link #keptSlots}: where a float position may round otherwise than {@link SummaryKernel#slotPosition}, the
 * slots by that definition; and a group of {@value #GROUP} vectors whose values all fall in the slot of 0 keeps
 * no indices: the caller counts them there. That slot takes the zeros of a ReLU and of a max-pool's gradient, and
 * nearly all of a gradient once training has shrunk it below the histogram's first range (on the seed CNN at
 * step 100, 94–99 % of the runs of sixteen values of every layer's output gradient; 0–12 % of the outputs'
 * runs). Groups are coarser than the single vectors tested before: of the seed CNN's relu1 outputs at its first
 * step, 10.6 % of the vectors fall wholly in that slot, 0.3 % of the groups; but a mask test for every vector is
 * what made the loop slow ({@link #sumsAndSlots}), and the counting it would spare there is 0.25 ns a value for a
 * tenth of one layer's values.</li>
 * </ul>
 *
 * <p>Why several loops and not one: the Java 17 compiler keeps a vector in a register only while it can inline
 * every Vector API call around it, and its inlining budget runs out in a long loop body. A single loop that did
 * all of this compiled well in some JVMs and into slow, allocating code in others (2.4 to 8.7 ns a value on one
 * training step's tensors, from one JVM to the next). For the same reason a double vector is made from the lower
 * half of a float vector read at its own offset (conversion part 0) rather than from the upper half of a wider
 * one (part 1). Min, max and zeros had a loop of their own while they took compares and blends; as integer
 * min, max and arithmetic they joined the sums loop, which then took the kernel from 0.61–0.67 to 0.57–0.59 ns a
 * value on the seed CNN's tensors of one training step (AVX-512, three JVMs each, alternating; with 256-bit
 * vectors 0.68–0.79 against 0.73–0.74).
 *
 * <p>Two sets of double accumulators take alternate halves, so an addition does not wait for the previous one.
 * After each block they are added lane by lane into the scratch's {@code lanes}, and at the end the lanes are
 * added in a fixed order (lane 0, 1, ...), not by {@code reduceLanes}, whose order is unspecified: the same input
 * gives the same bits on every run.
 *
 * <p>Java 17's compiler turns some Vector API operations into slow library calls: float-to-int and double-to-int
 * conversions among them. Every operation here compiles to a few instructions: compares, blends, arithmetic,
 * float-to-double widening, reinterpreting the bits, integer shifts, min and max.
 */
final class VectorSummaryKernel extends SummaryKernel {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = DOUBLES.length();
    /**
     * The engine's float species, and the only float shape here: with the Java 17 Vector API a second float shape
     * in the same JVM shares the library's call sites and type profiles with the engine's kernels, and the JIT
     * then sometimes fails to intrinsify those and falls back to allocating Java code (a seed-CNN training step
     * measured twice as slow after a 256-bit statistics kernel had run beside the engine's 512-bit one). A float
     * vector holds as many values as two double vectors.
     */
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int FLOAT_LANES = FLOATS.length();

    static {
        if (FLOAT_LANES != 2 * LANES) {                 // both preferred species have the machine's vector size
            throw new AssertionError(FLOAT_LANES + " float lanes against " + LANES + " double lanes");
        }
    }
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /**
     * 2²³: for 0 ≤ p < 2²², p + 2²³ is the float nearest p among those whose last mantissa bit is worth 1, so its
     * bits minus the bits of 2²³ are p rounded to the nearest integer (half to even, as {@link Math#rint}).
     */
    private static final float ROUNDING = 0x1p23f;
    /**
     * Vectors whose slots {@link #keptSlots} judges with one test (0.20–0.23 ns a value at 8 to 16, 0.27 at 4);
     * {@link #farthest} and {@link #allAre} are written out for eight.
     */
    private static final int GROUP = 8;

    @Override
    void summarize(float[] values, int from, int to, BatchSummary out) {
        if (!floatPositionsClose(out)) {
            SCALAR.summarize(values, from, to, out);
            return;
        }
        KernelScratch work = KernelScratch.of(out);
        double[] lanes = work.lanes;                    // Σd, Σd², Σ|x|, Σx², each LANES wide
        java.util.Arrays.fill(lanes, 0, 4 * LANES, 0.0);
        int vectorEnd = pairsEnd(from, to, values.length);
        int zeroSlot = slot(slotPosition(0.0, out.low, out.scale), out.slots.length - 1);
        boolean band = out.bandLow != Float.NEGATIVE_INFINITY || out.bandHigh != Float.POSITIVE_INFINITY;
        for (int blockStart = from; blockStart < vectorEnd; blockStart += BLOCK) {
            int blockEnd = Math.min(vectorEnd, blockStart + BLOCK);
            if (band) {
                out.outside += outside(values, blockStart, blockEnd, out.bandLow, out.bandHigh);
            }
            int written = sumsAndSlots(values, blockStart, blockEnd, zeroSlot, out, work);
            countSlotIndices(work, written);
            work.counters[zeroSlot] += blockEnd - blockStart - written;
        }
        foldCounters(work, out);
        out.count += vectorEnd - from;
        out.sumShifted += laneSum(lanes, 0);
        out.sumShiftedSquares += laneSum(lanes, LANES);
        out.sumAbs += laneSum(lanes, 2 * LANES);
        out.sumSquares += laneSum(lanes, 3 * LANES);
        if (vectorEnd < to) {
            SCALAR.summarize(values, vectorEnd, to, out);       // the last few values
        }
    }

    /**
     * Where the vector loops over {@code [from, to)} of an array of {@code length} floats stop: after the last
     * whole pair of double vectors whose second half, read as a float vector starting {@code LANES} later (its
     * upper half unused), still lies inside the array. The scalar kernel takes the values from there to
     * {@code to}.
     */
    private static int pairsEnd(int from, int to, int length) {
        int readable = Math.min(to, length - FLOAT_LANES + LANES);
        return from + Math.max(0, readable - from) / (2 * LANES) * (2 * LANES);
    }

    /** {@link SummaryKernel#orderedKey} of every lane of {@code x}. */
    private static IntVector orderedKeys(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        return bits.lanewise(VectorOperators.XOR,
                bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1));
    }

    /**
     * The number of values of {@code values[start, end)}, a whole number of float vectors, below {@code bandLow}
     * or above {@code bandHigh}.
     */
    private static long outside(float[] values, int start, int end, float bandLow, float bandHigh) {
        FloatVector low = FloatVector.broadcast(FLOATS, bandLow);
        FloatVector high = FloatVector.broadcast(FLOATS, bandHigh);
        FloatVector none = FloatVector.zero(FLOATS);
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        FloatVector counts = none;
        for (int i = start; i < end; i += FLOAT_LANES) {
            FloatVector x = FloatVector.fromArray(FLOATS, values, i);
            counts = counts.add(none.blend(one, x.lt(low).or(x.compare(VectorOperators.GT, high))));
        }
        return (long) counts.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The double sums, min, max, zeros and the counter index of every value of {@code values[start, end)}, a whole
     * number of double-vector pairs: the sums leave the loop as lanes added into {@code work.lanes}, min, max and
     * zeros go to {@code out}, the indices to {@code work.slotIndices}, except those of groups of vectors that all
     * fall in {@code zeroSlot}. Returns the number of indices kept.
     *
     * <p>Min, max and zeros are taken on the values' {@link SummaryKernel#orderedKey ordered keys}: a min and a
     * max of ints are one instruction each, and a value is a zero exactly when its key is 0 (+0) or −1 (−0), so
     * (key + 1) >>> 1 is 0 for the zeros and positive for every other value, and its min with 1 counts the values
     * that are not zeros. A float min or max with Java's rules (a NaN wins, −0 below +0) takes several
     * instructions, and the compare-and-blend used before it runs on few of the core's ports and waits about ten
     * cycles before the next compare can use its result.
     *
     * <p>The slot positions are taken in float, sixteen to a 512-bit vector where the double definition takes
     * eight: p = x·scale + bias by one fused multiply-add, with bias = ½ + 2⁻⁴⁰ − low·scale. Where
     * {@link #floatPositionsClose} holds, p is within a bound e ≤ 2⁻¹³ of the exact position of every value that
     * can fall inside the histogram ({@link #positionErrorBound}), and so is the double
     * {@link SummaryKernel#slotPosition} (within about 2⁻⁴⁵): both round to the same integer unless the exact
     * position lies within e of a rounding boundary (half an integer). So a vector in which some p lies within
     * {@link #edgeMargin} (2e or a little more) of a boundary takes its slots from the definition
     * ({@link #exactSlots}), and every other slot is the definition's. A value far outside the histogram has a p
     * far beyond the last slot or below 0, and lands in the same end slot either way.
     *
     * <p>The rounding is c = p + 2²³: for 0 ≤ p < 2²², c is p rounded to the nearest integer r plus 2²³, and the
     * bits of c are those of 2²³ plus r. The bits of a positive float grow with it, so the clamping is done on the
     * bits, between those of 2²³ and 2²³ + last slot: a negative p gives c ≤ 2²³ (slot 0, the underflow; c
     * negative, and its bits too as an int, when p < −2²³), and a p beyond the last slot gives c beyond it. Only
     * then are the bits of 2²³ taken away, and the start of the lane's copy of the counters added, which gives the
     * index the counting loop increments.
     *
     * <p>The loop has no branch: each vector's indices and its distances |p − r| from the rounded positions (as
     * the bits of non-negative floats, which order as ints do) are stored, and {@link #keptSlots} judges them
     * afterwards, a group of vectors at a time. Asking of every vector whether a lane lies near an edge or outside
     * the slot of 0 took two mask tests, which Java 17 compiles to several instructions each: the loop took 0.34 ns
     * a value with them and 0.20–0.23 without (AVX-512).
     */
    private static int sumsAndSlots(float[] values, int start, int end, int zeroSlot, BatchSummary out,
                                    KernelScratch work) {
        DoubleVector shift = DoubleVector.broadcast(DOUBLES, out.shift);
        FloatVector scale = FloatVector.broadcast(FLOATS, (float) out.scale);
        FloatVector bias = FloatVector.broadcast(FLOATS, (float) (ROUNDING_OFFSET - out.low * out.scale));
        FloatVector rounding = FloatVector.broadcast(FLOATS, ROUNDING);
        int roundingBits = Float.floatToRawIntBits(ROUNDING);
        IntVector firstSlot = IntVector.broadcast(INTS, roundingBits);
        IntVector lastSlot = IntVector.broadcast(INTS, roundingBits + out.slots.length - 1);
        IntVector indexBase = IntVector.broadcast(INTS, roundingBits)
                .sub(IntVector.fromArray(INTS, work.copyStarts, 0));
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        DoubleVector sum0 = zero;
        DoubleVector sum1 = zero;
        DoubleVector squares0 = zero;
        DoubleVector squares1 = zero;
        DoubleVector abs0 = zero;
        DoubleVector abs1 = zero;
        DoubleVector raw0 = zero;
        DoubleVector raw1 = zero;
        int[] slots = work.slotIndices;
        int[] distances = work.edgeDistances;
        IntVector one = IntVector.broadcast(INTS, 1);
        IntVector minKeys = IntVector.broadcast(INTS, orderedKey(out.min));
        IntVector maxKeys = IntVector.broadcast(INTS, orderedKey(out.max));
        IntVector nonzeros = IntVector.zero(INTS);
        for (int i = start; i < end; i += FLOAT_LANES) {
            FloatVector x = FloatVector.fromArray(FLOATS, values, i);
            IntVector keys = orderedKeys(x);
            minKeys = minKeys.min(keys);
            maxKeys = maxKeys.max(keys);
            nonzeros = nonzeros.add(keys.add(one).lanewise(VectorOperators.LSHR, 1).min(one));
            DoubleVector x0 = (DoubleVector) x.convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector x1 = (DoubleVector) FloatVector.fromArray(FLOATS, values, i + LANES)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
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
            FloatVector position = x.fma(scale, bias);
            FloatVector rounded = position.add(rounding);
            rounded.reinterpretAsInts().max(firstSlot).min(lastSlot).sub(indexBase).intoArray(slots, i - start);
            position.sub(rounded.sub(rounding)).abs().reinterpretAsInts().intoArray(distances, i - start);
        }
        out.min = fromOrderedKey(minKeys.reduceLanes(VectorOperators.MIN));
        out.max = fromOrderedKey(maxKeys.reduceLanes(VectorOperators.MAX));
        out.zeros += end - start - nonzeros.reduceLanes(VectorOperators.ADD);
        double[] lanes = work.lanes;
        DoubleVector.fromArray(DOUBLES, lanes, 0).add(sum0.add(sum1)).intoArray(lanes, 0);
        DoubleVector.fromArray(DOUBLES, lanes, LANES).add(squares0.add(squares1)).intoArray(lanes, LANES);
        DoubleVector.fromArray(DOUBLES, lanes, 2 * LANES).add(abs0.add(abs1)).intoArray(lanes, 2 * LANES);
        DoubleVector.fromArray(DOUBLES, lanes, 3 * LANES).add(raw0.add(raw1)).intoArray(lanes, 3 * LANES);
        return keptSlots(values, start, end - start, zeroSlot, out, work);
    }

    /**
     * Judges the indices and edge distances {@link #sumsAndSlots} stored for the {@code n} values from
     * {@code values[start]}, {@value #GROUP} vectors at a time: a group with a distance beyond ½ −
     * {@link #edgeMargin} takes the slots of its vectors that have one from the definition, and a group whose
     * indices all lie in {@code zeroSlot} is dropped (the caller counts the values it did not keep there). The
     * kept indices are moved together to the front; returns how many there are. With one test a group, a group of
     * eight vectors (128 values with AVX-512) has a value near an edge about once in sixteen groups on data spread
     * over the histogram; the slot of 0 takes whole groups of a shrunken gradient as it took whole vectors. A
     * block's last group, when it has fewer vectors, is judged vector by vector and kept.
     */
    private static int keptSlots(float[] values, int start, int n, int zeroSlot, BatchSummary out,
                                 KernelScratch work) {
        int[] slots = work.slotIndices;
        int[] distances = work.edgeDistances;
        int last = out.slots.length - 1;
        IntVector edge = IntVector.broadcast(INTS, Float.floatToRawIntBits(0.5f - edgeMargin(out)));
        IntVector zeroIndex = IntVector.fromArray(INTS, work.copyStarts, 0).add(zeroSlot);
        int kept = 0;
        for (int group = 0; group < n; group += GROUP * FLOAT_LANES) {
            int groupEnd = Math.min(n, group + GROUP * FLOAT_LANES);
            boolean whole = groupEnd - group == GROUP * FLOAT_LANES;
            boolean nearEdge = !whole || farthest(distances, group).compare(VectorOperators.GT, edge).anyTrue();
            if (nearEdge) {
                for (int k = group; k < groupEnd; k += FLOAT_LANES) {
                    if (IntVector.fromArray(INTS, distances, k).compare(VectorOperators.GT, edge).anyTrue()) {
                        exactSlots(values, start + k, out, work, last, k);
                    }
                }
            }
            if (nearEdge || !allAre(slots, group, zeroIndex)) {
                if (kept != group) {
                    System.arraycopy(slots, group, slots, kept, groupEnd - group);
                }
                kept += groupEnd - group;
            }
        }
        return kept;
    }

    /**
     * The lane-wise max of the {@value #GROUP} vectors of {@code a} from {@code at}, written out. With a loop
     * over the group's vectors instead (this and {@link #allAre}), the kernel took 0.58–0.60 ns a value on the
     * seed CNN's tensors of one training step where it takes 0.56, and 0.35–0.37 on its output gradients where it
     * takes 0.33 (AVX-512, side by side in one JVM, two runs).
     */
    private static IntVector farthest(int[] a, int at) {
        int f = FLOAT_LANES;
        return IntVector.fromArray(INTS, a, at).max(IntVector.fromArray(INTS, a, at + f))
                .max(IntVector.fromArray(INTS, a, at + 2 * f)).max(IntVector.fromArray(INTS, a, at + 3 * f))
                .max(IntVector.fromArray(INTS, a, at + 4 * f)).max(IntVector.fromArray(INTS, a, at + 5 * f))
                .max(IntVector.fromArray(INTS, a, at + 6 * f)).max(IntVector.fromArray(INTS, a, at + 7 * f));
    }

    /**
     * True when the {@value #GROUP} vectors of {@code a} from {@code at} all equal {@code v} lane by lane: when
     * the lane-wise OR and AND of the vectors both equal it (a bit set in any vector but not in v shows in the OR,
     * a bit of v missing from any vector in the AND). Written out, as {@link #farthest}.
     */
    private static boolean allAre(int[] a, int at, IntVector v) {
        int f = FLOAT_LANES;
        IntVector a0 = IntVector.fromArray(INTS, a, at);
        IntVector a1 = IntVector.fromArray(INTS, a, at + f);
        IntVector a2 = IntVector.fromArray(INTS, a, at + 2 * f);
        IntVector a3 = IntVector.fromArray(INTS, a, at + 3 * f);
        IntVector a4 = IntVector.fromArray(INTS, a, at + 4 * f);
        IntVector a5 = IntVector.fromArray(INTS, a, at + 5 * f);
        IntVector a6 = IntVector.fromArray(INTS, a, at + 6 * f);
        IntVector a7 = IntVector.fromArray(INTS, a, at + 7 * f);
        IntVector any = a0.or(a1).or(a2).or(a3).or(a4).or(a5).or(a6).or(a7);
        IntVector all = a0.and(a1).and(a2).and(a3).and(a4).and(a5).and(a6).and(a7);
        return any.eq(v).and(all.eq(v)).allTrue();
    }

    /**
     * The counter indices of the {@code FLOAT_LANES} values from {@code values[i]}, from their slot positions taken
     * in double by {@link SummaryKernel#slotPosition}'s operations in its order (a subtraction, a multiplication and
     * an addition, each rounded, no fused multiply-add), into {@code work.slotIndices} from {@code at}. For the
     * vectors whose float positions come too close to a bin edge: few in most tensors, but nearly all where the
     * values sit on an edge themselves, as a saturated tanh's ±1, a sigmoid's 0 and 1 and a ReLU's 0 do on the
     * edges of their fixed ranges. There the value-by-value definition inside the loop took 12–15 ns a value,
     * eight to ten times the kernel's cost elsewhere; this takes 3–4 (measured side by side in one JVM, AVX-512).
     *
     * <p>Clamping to [0, last] before rounding gives the definition's slot, since both ends are integers; and a
     * clamped position c rounds to the nearest integer (half to even, as {@link Math#rint}) when 2⁵² is added,
     * where doubles are a unit apart, and taken away again. The vector does not turn doubles into ints (a slow
     * library call in Java 17, above); its rounded positions go to a small buffer and are cast one by one.
     */
    private static void exactSlots(float[] values, int i, BatchSummary out, KernelScratch work, int last, int at) {
        DoubleVector low = DoubleVector.broadcast(DOUBLES, out.low);
        DoubleVector scale = DoubleVector.broadcast(DOUBLES, out.scale);
        DoubleVector offset = DoubleVector.broadcast(DOUBLES, ROUNDING_OFFSET);
        DoubleVector first = DoubleVector.zero(DOUBLES);
        DoubleVector lastSlot = DoubleVector.broadcast(DOUBLES, last);
        DoubleVector unit = DoubleVector.broadcast(DOUBLES, 0x1p52);
        double[] rounded = work.exactSlots;
        for (int half = 0; half < 2; half++) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(FLOATS, values, i + half * LANES)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector position = x.sub(low).mul(scale).add(offset);
            position.max(first).min(lastSlot).add(unit).sub(unit).intoArray(rounded, half * LANES);
        }
        int[] slots = work.slotIndices;
        for (int lane = 0; lane < FLOAT_LANES; lane++) {
            slots[at + lane] = work.copyStarts[lane] + (int) rounded[lane];
        }
    }

    /**
     * A bound on how far the float slot position p = x·scale + bias of a value whose position lies in
     * [−1, slots + 1] can be from the exact one, in slots: 2⁻²⁴ times |x|·scale (the rounding of scale) + |bias|
     * (the rounding of bias) + |p| (the rounding of the multiply-add), each below its term of
     * 3·|low|·scale + 3·slots + 9, this reach. With 50 bins and a histogram around 0 the reach is about 240 and
     * the bound 2⁻¹⁶.
     */
    private static double positionErrorBound(BatchSummary out) {
        return (3 * Math.abs(out.low) * out.scale + 3 * out.slots.length + 9) * 0x1p-24;
    }

    /**
     * True when float slot positions are close enough to the definition's for {@link #sumsAndSlots}: their
     * {@link #positionErrorBound} at most 2⁻¹³. It fails for a histogram far from 0 compared with its width (|low|
     * more than about 600 bin widths, 12 histogram widths, away from 0 with 50 bins), whose batches the scalar
     * kernel takes.
     */
    static boolean floatPositionsClose(BatchSummary out) {
        float scale = (float) out.scale;
        return scale >= Float.MIN_NORMAL && scale < Float.POSITIVE_INFINITY && positionErrorBound(out) <= 0x1p-13;
    }

    /**
     * How close to a rounding boundary a float slot position must come for the definition to decide its slot: the
     * least power of two at least twice the {@link #positionErrorBound} of this histogram (at most 2⁻¹², where
     * {@link #floatPositionsClose} holds). A fixed margin of 2⁻¹², twice the largest bound, sent many vectors of a
     * shrunken gradient to {@link #exactSlots}, 3–4 ns a value: on the seed CNN at step 100, with fc1's weight
     * gradient clustered within a few millionths of 0 and a bin edge a millionth from 0, a quarter of its vectors
     * (0.99 ns a value for the tensor against 0.67 with this margin, which is 2⁻¹⁵ there).
     */
    private static float edgeMargin(BatchSummary out) {
        double twiceBound = 2 * positionErrorBound(out);
        double margin = Math.scalb(1.0, Math.getExponent(twiceBound));
        return (float) (margin < twiceBound ? 2 * margin : margin);
    }

    /**
     * {@link SummaryKernel#changeAndSize} a pair of double vectors at a time, two sets of sums (the same reading
     * of the float arrays as {@link #sumsAndSlots}); the lanes are added in lane order, the last few values by
     * the scalar loop.
     */
    @Override
    void changeAndSize(float[] w, float[] before, int from, int to, double[] sums, int at) {
        int vectorEnd = pairsEnd(from, to, Math.min(w.length, before.length));
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        DoubleVector change0 = zero;
        DoubleVector change1 = zero;
        DoubleVector size0 = zero;
        DoubleVector size1 = zero;
        for (int i = from; i < vectorEnd; i += 2 * LANES) {
            DoubleVector b0 = (DoubleVector) FloatVector.fromArray(FLOATS, before, i)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector b1 = (DoubleVector) FloatVector.fromArray(FLOATS, before, i + LANES)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FLOATS, w, i)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0)).sub(b0);
            DoubleVector d1 = ((DoubleVector) FloatVector.fromArray(FLOATS, w, i + LANES)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0)).sub(b1);
            change0 = d0.fma(d0, change0);
            change1 = d1.fma(d1, change1);
            size0 = b0.fma(b0, size0);
            size1 = b1.fma(b1, size1);
        }
        double[] lanes = new double[2 * LANES];
        change0.add(change1).intoArray(lanes, 0);
        size0.add(size1).intoArray(lanes, LANES);
        SCALAR.changeAndSize(w, before, vectorEnd, to, sums, at);   // the last few values
        sums[at] += laneSum(lanes, 0);
        sums[at + 1] += laneSum(lanes, LANES);
    }

    /**
     * Counts {@code work.slotIndices[0, n)} into the interleaved counters: each is already a slot, clamped, plus the
     * start of the copy of the counters its lane counts into (lane i into copy i mod {@value #COPIES}).
     */
    private static void countSlotIndices(KernelScratch work, int n) {
        int[] counters = work.counters;
        int[] indices = work.slotIndices;
        // Every index is already below counters.length, a power of two: the mask changes nothing but lets the
        // compiler drop the bounds check of each increment.
        int mask = counters.length - 1;
        for (int k = 0; k < n; k++) {
            counters[indices[k] & mask]++;
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
