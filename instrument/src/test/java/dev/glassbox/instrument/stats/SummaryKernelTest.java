package dev.glassbox.instrument.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.glassbox.engine.kernels.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SummaryKernelTest {

    /**
     * ReLU-like values: about half exact zeros, the rest spread over and beyond the histogram range, and runs of
     * zeros (values 200k + 100 to 200k + 199) long enough to fill whole vectors, as a dead feature map's would.
     */
    private static float[] values(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            boolean zero = i % 200 < 100 ? random.nextBoolean() : i % 200 >= 100;
            v[i] = zero ? 0f : (float) (random.nextGaussian() * 2 + 0.5);
        }
        return v;
    }

    /** The scalar kernel, and the vector kernel where this JVM has the Vector API. */
    private static List<SummaryKernel> kernels() {
        List<SummaryKernel> kernels = new ArrayList<>(List.of(SummaryKernel.SCALAR));
        if (SummaryKernel.vectorApiAvailable()) {
            kernels.add(new VectorSummaryKernel());
        }
        return kernels;
    }

    private static BatchSummary summary(SummaryKernel kernel, float[] v, int from, int to) {
        BatchSummary s = new BatchSummary(20);
        s.shift = 0.25;
        s.low = -3;
        s.scale = 20 / 6.0;
        s.bandLow = -0.99f;
        s.bandHigh = 0.99f;
        s.clear();
        kernel.summarize(v, from, to, s);
        return s;
    }

    @Test
    void vectorAndScalarKernelsAgreeOnEveryStatistic() {
        assumeTrue(SummaryKernel.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        SummaryKernel vector = new VectorSummaryKernel();
        // odd lengths and offsets: fewer values than a vector, a ragged tail, several blocks; each range once
        // inside a longer array and once ending where the array ends (the vector kernel reads a float vector
        // whose upper half lies past the range, and must not read past the array)
        int[][] ranges = {{0, 1}, {3, 17}, {1, 1000}, {5, 4099}, {0, 70_001}, {0, 24}, {7, 31}, {0, 4096}};
        for (int k = 0; k < 2 * ranges.length; k++) {
            int[] r = ranges[k / 2];
            float[] v = values(r[1] + (k % 2 == 0 ? 8 : 0), r[1]);
            BatchSummary scalar = summary(SummaryKernel.SCALAR, v, r[0], r[1]);
            BatchSummary fast = summary(vector, v, r[0], r[1]);
            String where = "values [" + r[0] + ", " + r[1] + ") of " + v.length;
            assertEquals(scalar.count, fast.count, where);
            assertEquals(scalar.zeros, fast.zeros, where);
            assertEquals(scalar.outside, fast.outside, where);
            assertEquals(scalar.min, fast.min, where);
            assertEquals(scalar.max, fast.max, where);
            assertArrayEquals(scalar.slots, fast.slots, where + " histogram");
            double n = r[1] - r[0];
            assertEquals(scalar.sumShifted, fast.sumShifted, 1e-12 * n, where);
            assertEquals(scalar.sumShiftedSquares, fast.sumShiftedSquares, 1e-12 * scalar.sumShiftedSquares, where);
            assertEquals(scalar.sumAbs, fast.sumAbs, 1e-12 * scalar.sumAbs, where);
            assertEquals(scalar.sumSquares, fast.sumSquares, 1e-12 * scalar.sumSquares, where);
        }
    }

    @Test
    void oneThreadsScratchServesHistogramsOfEverySizeAndSurvivesAPassCutShort() {
        // Both kernels count into the calling thread's scratch; passes of histograms with different slot counts
        // follow one another on this thread, and a pass that fails half-way leaves counts in the scratch, which
        // must not reach the next pass's histogram.
        float[] v = values(5_000, 12);
        for (SummaryKernel kernel : kernels()) {
            BatchSummary first = summary(kernel, v, 3, v.length);
            BatchSummary wide = new BatchSummary(RunningStats.DEFAULT_BINS);
            wide.low = -3;
            wide.scale = RunningStats.DEFAULT_BINS / 6.0;
            wide.clear();
            kernel.summarize(v, 3, v.length, wide);
            int counted = 0;
            for (int slot : wide.slots) {
                counted += slot;
            }
            assertEquals(v.length - 3, counted, "every value in one slot of the 52-slot histogram");
            assertArrayEquals(first.slots, summary(kernel, v, 3, v.length).slots, "back to 22 slots");
            // the scalar kernel counts each block of 1,024 values after reading it: the third block fails
            assertThrows(ArrayIndexOutOfBoundsException.class,
                    () -> summary(SummaryKernel.SCALAR, v, 0, v.length + 2_100));
            assertArrayEquals(first.slots, summary(kernel, v, 3, v.length).slots, "after a failed pass");
        }
    }

    @Test
    void vectorKernelCountsRunsThatFallInTheSlotOfZeroLikeTheScalarKernel() {
        assumeTrue(SummaryKernel.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        // like a late gradient: nearly every value in the bin that holds 0 ([0, 0.3) of 20 bins over [−3, 3)),
        // whole vectors and whole groups of vectors of them, broken now and then (every 89 or 97 values in the
        // first half, every 389 or 397 in the second) by a value in another bin, an exact zero (the same bin), or
        // a value outside the range; and in the second half, between runs in that bin, runs of values anywhere
        SplittableRandom random = new SplittableRandom(6);
        float[] v = new float[20_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.15 + random.nextGaussian() * 0.02);
            int apart = i < v.length / 2 ? 0 : 300;
            if (apart > 0 && i % 700 < 200) {
                v[i] = (float) (random.nextGaussian() * 2);
            } else if (i % (97 + apart) == 0) {
                v[i] = (float) (random.nextGaussian() * 2);
            } else if (i % (89 + apart) == 0) {
                v[i] = i % 2 == 0 ? 0f : 40f;
            }
        }
        BatchSummary scalar = summary(SummaryKernel.SCALAR, v, 1, v.length);
        BatchSummary fast = summary(new VectorSummaryKernel(), v, 1, v.length);
        assertArrayEquals(scalar.slots, fast.slots);
        assertTrue(scalar.slots[11] > 0.75 * v.length, "most values in the bin that holds 0, slot 11");
        assertEquals(scalar.zeros, fast.zeros);
        assertEquals(scalar.sumSquares, fast.sumSquares, 1e-12 * scalar.sumSquares);
    }

    @Test
    void floatSlotPositionsGiveTheDefinitionsSlotsNextToEveryBinEdge() {
        assumeTrue(SummaryKernel.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        // Histograms of every kind the monitor makes (ranges around 0, ranges beside it, [0, 1] of a sigmoid,
        // widths from 1e-6 to 1e4, edges that no float or double holds exactly), and values crowded onto their
        // bin edges: each edge and the floats up to 3 steps either side, values a small fraction of a bin from an
        // edge, mixed with values anywhere. The vector kernel takes its slot positions in float and must agree with
        // the double definition on every value.
        SplittableRandom random = new SplittableRandom(11);
        int histogramsInFloat = 0;
        for (int round = 0; round < 300; round++) {
            int bins = 1 + random.nextInt(64);
            double width = Math.pow(10, random.nextDouble(-6, 4));
            double low = round % 3 == 0 ? 0 : width * random.nextDouble(-1.5 * bins, 5 * bins);
            if (round % 10 == 1) {
                low = width * random.nextDouble(-5_000, 5_000);          // far from 0 for its width
            }
            double scale = bins / (bins * width);
            float[] v = new float[2 + random.nextInt(3_000)];
            for (int i = 0; i < v.length; i++) {
                int edgeIndex = random.nextInt(bins + 1);
                float edge = (float) (low + edgeIndex / scale);
                for (int step = random.nextInt(7) - 3; step != 0; step -= Integer.signum(step)) {
                    edge = step > 0 ? Math.nextUp(edge) : Math.nextDown(edge);
                }
                // 2⁻²² to 2⁻¹⁰ of a bin from an edge: the band where the float position is trusted or not
                double offset = Math.scalb(random.nextBoolean() ? 1.0 : -1.0, -11 - random.nextInt(12));
                float near = (float) (low + (edgeIndex + offset * random.nextDouble(1, 2)) / scale);
                int kind = random.nextInt(8);
                v[i] = kind < 2 ? (float) (low + random.nextDouble(-0.5, 1.5) * bins / scale) : kind < 5 ? near : edge;
            }
            BatchSummary scalar = new BatchSummary(bins);
            BatchSummary fast = new BatchSummary(bins);
            for (BatchSummary s : new BatchSummary[] {scalar, fast}) {
                s.low = low;
                s.scale = scale;
                s.clear();
            }
            SummaryKernel.SCALAR.summarize(v, 0, v.length, scalar);
            new VectorSummaryKernel().summarize(v, 0, v.length, fast);
            String where = bins + " bins from " + low + ", width " + width;
            assertArrayEquals(scalar.slots, fast.slots, where);
            assertEquals(scalar.count, fast.count, where);
            histogramsInFloat += VectorSummaryKernel.floatPositionsClose(fast) ? 1 : 0;
        }
        assertTrue(histogramsInFloat > 200, histogramsInFloat + " of 300 histograms took float positions");
    }

    @Test
    void saturatedValuesOnTheEdgesOfTheMonitorsFixedRangesGetTheDefinitionsSlots() {
        assumeTrue(SummaryKernel.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        // A saturated tanh gives exactly ±1, a sigmoid 0 and 1, a ReLU 0: values that lie on (or a hair inside)
        // the edges of the ranges LayerHealth fixes for them, so nearly every vector of such a layer takes its
        // slots from the double definition. Several blocks of them, with the floats next to them mixed in.
        double[][] ranges = {{-1, 1 + 1e-6}, {0, 1 + 1e-6}, {0, 4}};
        float[][] saturated = {{-1f, 1f, 0f}, {0f, 1f}, {0f, 0f, 0f, 1.5f}};
        SplittableRandom random = new SplittableRandom(5);
        for (int r = 0; r < ranges.length; r++) {
            float[] v = new float[5_000];
            for (int i = 0; i < v.length; i++) {
                float x = saturated[r][random.nextInt(saturated[r].length)];
                int nudge = random.nextInt(10);
                v[i] = nudge == 0 ? Math.nextUp(x) : nudge == 1 ? Math.nextDown(x) : x;
            }
            BatchSummary scalar = new BatchSummary(RunningStats.DEFAULT_BINS);
            BatchSummary fast = new BatchSummary(RunningStats.DEFAULT_BINS);
            for (BatchSummary s : new BatchSummary[] {scalar, fast}) {
                s.low = ranges[r][0];
                s.scale = RunningStats.DEFAULT_BINS / (ranges[r][1] - ranges[r][0]);
                s.clear();
            }
            SummaryKernel.SCALAR.summarize(v, 0, v.length, scalar);
            new VectorSummaryKernel().summarize(v, 0, v.length, fast);
            String where = "[" + ranges[r][0] + ", " + ranges[r][1] + ")";
            assertTrue(VectorSummaryKernel.floatPositionsClose(fast), where + " takes float positions");
            assertArrayEquals(scalar.slots, fast.slots, where);
        }
        // and the slots themselves: tanh's −1 opens the first bin, 1 closes the last, 0 ends bin 25 of 50
        BatchSummary tanh = new BatchSummary(RunningStats.DEFAULT_BINS);
        tanh.low = -1;
        tanh.scale = RunningStats.DEFAULT_BINS / (2 + 1e-6);
        tanh.clear();
        float[] v = new float[64];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 4 == 0 ? -1f : i % 4 == 1 ? 1f : 0f;
        }
        new VectorSummaryKernel().summarize(v, 0, v.length, tanh);
        assertEquals(16, tanh.slots[1], "-1 in the first bin");
        assertEquals(16, tanh.slots[RunningStats.DEFAULT_BINS], "1 in the last bin");
        assertEquals(32, tanh.slots[25], "0 in bin 25");
    }

    @Test
    void histogramsFarFromZeroTakeTheScalarKernel() {
        assumeTrue(SummaryKernel.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        BatchSummary near = new BatchSummary(50);
        near.low = -3;
        near.scale = 50 / 6.0;
        assertTrue(VectorSummaryKernel.floatPositionsClose(near), "[-3, 3) in 50 bins");
        BatchSummary sigmoid = new BatchSummary(50);
        sigmoid.low = 0;
        sigmoid.scale = 50 / (1 + 1e-6);
        assertTrue(VectorSummaryKernel.floatPositionsClose(sigmoid), "[0, 1] in 50 bins");
        BatchSummary far = new BatchSummary(50);
        far.low = 1000;
        far.scale = 50 / 1.0;
        assertFalse(VectorSummaryKernel.floatPositionsClose(far), "[1000, 1001) in 50 bins: 50,000 bins from 0");
        BatchSummary tiny = new BatchSummary(50);
        tiny.low = 0;
        tiny.scale = 1e300;
        assertFalse(VectorSummaryKernel.floatPositionsClose(tiny), "a scale beyond float range");
        // and the far histogram still gets every statistic right, from the scalar kernel
        float[] v = new float[5_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000f + (i % 1_100) / 1_000f;
        }
        BatchSummary scalar = new BatchSummary(50);
        scalar.startLike(far);
        far.clear();
        SummaryKernel.SCALAR.summarize(v, 0, v.length, scalar);
        new VectorSummaryKernel().summarize(v, 0, v.length, far);
        assertArrayEquals(scalar.slots, far.slots);
        assertEquals(scalar.sumShiftedSquares, far.sumShiftedSquares, 0.0);
    }

    @Test
    void vectorAndScalarUpdateRatioPassesAgree() {
        assumeTrue(SummaryKernel.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        SplittableRandom random = new SplittableRandom(7);
        float[] before = new float[9_001];
        float[] after = new float[before.length];
        for (int i = 0; i < before.length; i++) {
            before[i] = (float) random.nextGaussian();
            after[i] = before[i] + (float) (1e-3 * random.nextGaussian());
        }
        // short ranges, a ragged tail, and ranges that end where the arrays end
        int[][] ranges = {{0, 3}, {5, 40}, {1, 8_192}, {8_000, 9_001}, {0, 9_001}};
        for (int[] r : ranges) {
            double[] scalar = new double[4];
            double[] vector = new double[4];
            SummaryKernel.SCALAR.changeAndSize(after, before, r[0], r[1], scalar, 2);
            new VectorSummaryKernel().changeAndSize(after, before, r[0], r[1], vector, 2);
            String where = "weights [" + r[0] + ", " + r[1] + ")";
            assertTrue(scalar[2] > 0 && scalar[3] > 0, where);
            assertEquals(scalar[2], vector[2], 1e-12 * scalar[2], where + " Σ(w − before)²");
            assertEquals(scalar[3], vector[3], 1e-12 * scalar[3], where + " Σbefore²");
        }
    }

    @Test
    void vectorKernelPutsBinEdgesAndExtremeValuesInTheScalarKernelsSlots() {
        assumeTrue(SummaryKernel.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        // every bin edge of [−3, 3) in 20 bins, the floats either side of it, and values far outside the range
        // (extremes first: a tail shorter than two vectors goes to the scalar kernel)
        float[] extremes = {-Float.MAX_VALUE, Float.MAX_VALUE, -1e20f, 1e20f, -3.3f, 3.3f, Float.MIN_VALUE, -0f};
        float[] v = new float[extremes.length + 3 * 21];
        System.arraycopy(extremes, 0, v, 0, extremes.length);
        for (int edge = 0; edge <= 20; edge++) {
            float x = (float) (-3 + edge * 0.3);
            v[extremes.length + 3 * edge] = Math.nextDown(x);
            v[extremes.length + 3 * edge + 1] = x;
            v[extremes.length + 3 * edge + 2] = Math.nextUp(x);
        }
        BatchSummary scalar = summary(SummaryKernel.SCALAR, v, 0, v.length);
        BatchSummary fast = summary(new VectorSummaryKernel(), v, 0, v.length);
        assertArrayEquals(scalar.slots, fast.slots);
        assertEquals(scalar.count, fast.count);
    }

    @Test
    void minAndMaxOrderNegativeZeroBelowPositiveZeroInBothKernels() {
        // zeros of both signs in every order and lane, the only other values of one sign: the min of non-negative
        // values is −0 if a −0 is among them, the max of non-positive values +0 if a +0 is, as Math.min and
        // Math.max say, whichever zero a lane or a chain of the kernel saw first
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 40; round++) {
            int n = 2 + random.nextInt(400);
            float[] nonNegative = new float[n];
            float[] nonPositive = new float[n];
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(3);
                nonNegative[i] = kind == 0 ? 0f : kind == 1 ? -0f : 0.5f + i;
                nonPositive[i] = -nonNegative[i];
            }
            int at = random.nextInt(n);
            int other = (at + 1 + random.nextInt(n - 1)) % n;
            nonNegative[at] = -0f;                              // at least one −0 and one +0 in each
            nonPositive[at] = 0f;
            nonNegative[other] = 0f;
            nonPositive[other] = -0f;
            int zeros = 0;
            for (float x : nonNegative) {
                zeros += x == 0 ? 1 : 0;
            }
            for (SummaryKernel kernel : kernels()) {
                String where = kernel.getClass().getSimpleName() + ", " + n + " values";
                assertEquals(Float.floatToRawIntBits(-0f),
                        Float.floatToRawIntBits(summary(kernel, nonNegative, 0, n).min), where + ": min −0");
                assertEquals(Float.floatToRawIntBits(0f),
                        Float.floatToRawIntBits(summary(kernel, nonPositive, 0, n).max), where + ": max +0");
                assertEquals(zeros, summary(kernel, nonNegative, 0, n).zeros, where + ": zeros of either sign");
            }
        }
    }

    @Test
    void scalarKernelMatchesTheDefinitionOnSmallNumbers() {
        // 0, 1, 2, −4 around shift 0.25: Σd = −2, Σd² = 0.0625 + 0.5625 + 3.0625 + 18.0625 = 21.75, Σ|x| = 7,
        // Σx² = 21; slots over [−3, 3) in 20 bins of 0.3: 0 → bin 10, 1 → 13, 2 → 16, −4 → underflow
        BatchSummary s = summary(SummaryKernel.SCALAR, new float[] {0, 1, 2, -4}, 0, 4);
        assertEquals(4, s.count);
        assertEquals(-2, s.sumShifted, 1e-12);
        assertEquals(21.75, s.sumShiftedSquares, 1e-12);
        assertEquals(7, s.sumAbs, 1e-12);
        assertEquals(21, s.sumSquares, 1e-12);
        assertEquals(-4f, s.min);
        assertEquals(2f, s.max);
        assertEquals(1, s.zeros);
        assertEquals(3, s.outside, "1, 2 and −4 lie outside [−0.99, 0.99]");
        int[] expected = new int[22];
        expected[0] = 1;
        expected[11] = 1;
        expected[14] = 1;
        expected[17] = 1;
        assertArrayEquals(expected, s.slots);
    }

    @Test
    void aNanOrInfinityMakesTheSummaryNonFinite() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] v = values(100, 3);
            v[57] = bad;
            assertFalse(summary(SummaryKernel.best(), v, 0, v.length).finite(), "with " + bad);
            assertFalse(summary(SummaryKernel.SCALAR, v, 0, v.length).finite(), "with " + bad);
        }
        assertTrue(summary(SummaryKernel.best(), values(100, 3), 0, 100).finite());
    }

    @Test
    void summariesOfChunksAddUpToTheSummaryOfTheWhole() {
        float[] v = values(10_000, 4);
        BatchSummary whole = summary(SummaryKernel.SCALAR, v, 0, v.length);
        BatchSummary sum = summary(SummaryKernel.SCALAR, v, 0, 3_001);
        sum.add(summary(SummaryKernel.SCALAR, v, 3_001, v.length));
        assertEquals(whole.count, sum.count);
        assertEquals(whole.zeros, sum.zeros);
        assertEquals(whole.min, sum.min);
        assertEquals(whole.max, sum.max);
        assertArrayEquals(whole.slots, sum.slots);
        assertEquals(whole.sumShiftedSquares, sum.sumShiftedSquares, 1e-12 * whole.sumShiftedSquares);
    }

    @Test
    void statisticsOfALargeBatchHaveTheSameBitsOnOneAndTwoThreads() {
        float[] v = values(5 * RunningStats.CHUNK + 123, 5);
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            RunningStats one = new RunningStats();
            one.add(v);
            one.add(v, 7, v.length - 7);
            Parallel.setThreads(2);
            RunningStats two = new RunningStats();
            two.add(v);
            two.add(v, 7, v.length - 7);
            assertEquals(one.toString(), two.toString());
            assertEquals(Double.doubleToLongBits(one.mean()), Double.doubleToLongBits(two.mean()));
            assertEquals(Double.doubleToLongBits(one.std()), Double.doubleToLongBits(two.std()));
            assertEquals(Double.doubleToLongBits(one.meanAbs()), Double.doubleToLongBits(two.meanAbs()));
            assertEquals(Double.doubleToLongBits(one.lastBatchSumSquares()),
                    Double.doubleToLongBits(two.lastBatchSumSquares()));
            assertArrayEquals(one.histogram(), two.histogram());
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void runningStatsWithEitherKernelAgree() {
        assumeTrue(SummaryKernel.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        RunningStats scalar = new RunningStats(-5, 5, 40, SummaryKernel.SCALAR);
        RunningStats vector = new RunningStats(-5, 5, 40, new VectorSummaryKernel());
        scalar.countOutside(-1f, 1f);
        vector.countOutside(-1f, 1f);
        for (int batch = 0; batch < 4; batch++) {
            float[] v = values(3 * RunningStats.CHUNK + 17 * batch, 10 + batch);
            scalar.add(v);
            vector.add(v);
            assertEquals(scalar.lastBatchOutside(), vector.lastBatchOutside());
            assertEquals(scalar.lastBatchMeanAbs(), vector.lastBatchMeanAbs(), 1e-12);
        }
        assertEquals(scalar.count(), vector.count());
        assertEquals(scalar.mean(), vector.mean(), 1e-12);
        assertEquals(scalar.std(), vector.std(), 1e-12);
        assertEquals(scalar.min(), vector.min());
        assertEquals(scalar.max(), vector.max());
        assertEquals(scalar.zeroFraction(), vector.zeroFraction());
        assertEquals(scalar.underflow(), vector.underflow());
        assertEquals(scalar.overflow(), vector.overflow());
        assertArrayEquals(scalar.histogram(), vector.histogram());
    }
}
