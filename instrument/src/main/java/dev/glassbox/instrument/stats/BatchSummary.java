package dev.glassbox.instrument.stats;

import java.util.Arrays;

/**
 * What one pass over a run of float values leaves behind, before {@link RunningStats} folds it into its totals: the
 * sums around a fixed shift, Σ|x|, Σx², min, max, the numbers of zeros and of values outside a band, and the
 * histogram slot counts. A {@link SummaryKernel} fills it; summaries of neighbouring runs that share the same
 * shift and histogram edges are added with {@link #add}, so a long tensor can be cut into chunks, summed chunk by
 * chunk (on several threads), and added up in chunk order: the same numbers for any thread count.
 *
 * <p>The pass parameters are set once per batch: {@code shift} (deviations d = x − shift), the histogram's
 * {@code low} and {@code scale} = bins / (high − low), and the band [{@code bandLow}, {@code bandHigh}] outside of
 * which a value counts as saturated. Histogram slot 0 is the underflow, slot bins + 1 the overflow.
 */
final class BatchSummary {
    double shift;
    double low;
    double scale;
    float bandLow = Float.NEGATIVE_INFINITY;
    float bandHigh = Float.POSITIVE_INFINITY;

    long count;
    double sumShifted;                                  // Σ (x − shift)
    double sumShiftedSquares;                           // Σ (x − shift)²
    double sumAbs;                                      // Σ |x|
    double sumSquares;                                  // Σ x²
    float min;
    float max;
    long zeros;
    long outside;                                       // values below bandLow or above bandHigh
    final int[] slots;                                  // [underflow, bins..., overflow]

    BatchSummary(int bins) {
        this.slots = new int[bins + 2];
        clear();
    }

    /** Takes the pass parameters of {@code other} (shift, histogram edges, band) and clears the results. */
    void startLike(BatchSummary other) {
        shift = other.shift;
        low = other.low;
        scale = other.scale;
        bandLow = other.bandLow;
        bandHigh = other.bandHigh;
        clear();
    }

    /** Forgets the results, keeps the pass parameters. */
    void clear() {
        count = 0;
        sumShifted = 0;
        sumShiftedSquares = 0;
        sumAbs = 0;
        sumSquares = 0;
        min = Float.POSITIVE_INFINITY;
        max = Float.NEGATIVE_INFINITY;
        zeros = 0;
        outside = 0;
        Arrays.fill(slots, 0);
    }

    /** Adds the results of {@code other}, which was computed with the same pass parameters. */
    void add(BatchSummary other) {
        count += other.count;
        sumShifted += other.sumShifted;
        sumShiftedSquares += other.sumShiftedSquares;
        sumAbs += other.sumAbs;
        sumSquares += other.sumSquares;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        zeros += other.zeros;
        outside += other.outside;
        for (int i = 0; i < slots.length; i++) {
            slots[i] += other.slots[i];
        }
    }

    /** False when a NaN or an infinity went into the sums: the results are then meaningless. */
    boolean finite() {
        return Double.isFinite(sumShiftedSquares) && Double.isFinite(sumAbs) && Double.isFinite(sumSquares);
    }
}
