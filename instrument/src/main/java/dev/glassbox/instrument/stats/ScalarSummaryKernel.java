package dev.glassbox.instrument.stats;

/**
 * {@link SummaryKernel} in plain Java: the definition, one value at a time. Values at even and odd positions go
 * to two sets of sums, so consecutive values do not wait for each other's additions.
 */
final class ScalarSummaryKernel extends SummaryKernel {

    @Override
    void summarize(float[] values, int from, int to, BatchSummary out) {
        double sumEven = 0;
        double sumOdd = 0;
        double squaresEven = 0;
        double squaresOdd = 0;
        double absEven = 0;
        double absOdd = 0;
        double rawEven = 0;
        double rawOdd = 0;
        int minKey = orderedKey(out.min);
        int maxKey = orderedKey(out.max);
        long zeros = 0;
        long outside = 0;
        KernelScratch work = KernelScratch.of(out);
        for (int blockStart = from; blockStart < to; blockStart += BLOCK) {
            int blockEnd = Math.min(to, blockStart + BLOCK);
            for (int i = blockStart; i < blockEnd; i++) {
                float v = values[i];
                double x = v;
                double d = x - out.shift;
                if (((i - from) & 1) == 0) {
                    sumEven += d;
                    squaresEven += d * d;
                    absEven += Math.abs(x);
                    rawEven += x * x;
                } else {
                    sumOdd += d;
                    squaresOdd += d * d;
                    absOdd += Math.abs(x);
                    rawOdd += x * x;
                }
                // the float order (−0 below +0) as ints: a NaN needs no care (it poisons the sums, and the caller
                // then redoes the batch value by value), and an int min or max compiles to a branch-free select
                int key = orderedKey(v);
                minKey = Math.min(minKey, key);
                maxKey = Math.max(maxKey, key);
                zeros += v == 0f ? 1 : 0;
                outside += v < out.bandLow || v > out.bandHigh ? 1 : 0;
                work.slotPositions[i - blockStart] = slotPosition(x, out.low, out.scale);
            }
            countSlots(work, blockEnd - blockStart);
        }
        foldCounters(work, out);
        out.count += to - from;
        out.sumShifted += sumEven + sumOdd;
        out.sumShiftedSquares += squaresEven + squaresOdd;
        out.sumAbs += absEven + absOdd;
        out.sumSquares += rawEven + rawOdd;
        out.min = fromOrderedKey(minKey);
        out.max = fromOrderedKey(maxKey);
        out.zeros += zeros;
        out.outside += outside;
    }
}
