package dev.glassbox.instrument.stats;

import java.util.Arrays;

/**
 * Statistics of a stream of values in constant memory: count, mean, standard deviation, mean |x|, min, max, a
 * histogram with fixed bins, the number of exact zeros, and the number of NaN and infinite values.
 *
 * <p>Each batch is summed in one pass around a shift near the running mean, and batches (or two whole
 * {@code RunningStats}) are combined with Chan et al.'s pairwise formula (Welford's update generalised from one
 * value to a batch): with counts n_a, n_b, means m_a, m_b and sums of squared deviations M_a, M_b,
 * <pre>
 *   n = n_a + n_b,   δ = m_b − m_a,   m = m_a + δ·n_b/n,   M = M_a + M_b + δ²·n_a·n_b/n
 * </pre>
 * which stays accurate where the textbook Σx² − n·m² cancels catastrophically. The sums are taken in double.
 * NaN and ±Inf are counted but left out of every other statistic, so one bad value does not hide the rest.
 *
 * <p>The histogram's bin edges are fixed when it is created ({@link #RunningStats(double, double, int)}) or, when
 * no range is given, from the first batch seen (its min and max, widened by 10 %). Values outside the range are
 * counted in {@link #underflow()} and {@link #overflow()}. Two histograms merge only when their edges agree.
 */
public final class RunningStats {
    /** Number of histogram bins unless another is asked for. */
    public static final int DEFAULT_BINS = 50;

    private long count;
    private double mean;
    private double sumSquaredDeviations;
    private double sumAbs;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long zeros;
    private long nans;
    private long infinities;
    private double low;
    private double high;
    private final long[] bins;
    private long underflow;
    private long overflow;
    private boolean rangeFixed;
    private double lastBatchMeanAbs = Double.NaN;
    private int[] scratch;                               // per-batch histogram counts of the fast path

    /** Statistics whose histogram range is taken from the first batch. */
    public RunningStats() {
        this.bins = new long[DEFAULT_BINS];
    }

    /** Statistics with a histogram of {@code binCount} equal bins over [low, high). */
    public RunningStats(double low, double high, int binCount) {
        if (!(high > low) || binCount < 1) {
            throw new IllegalArgumentException("histogram range must have high > low and at least one bin, got ["
                    + low + ", " + high + ") with " + binCount + " bins");
        }
        this.bins = new long[binCount];
        this.low = low;
        this.high = high;
        this.rangeFixed = true;
    }

    /** Adds every value of {@code values} (not modified). */
    public void add(float[] values) {
        add(values, 0, values.length);
    }

    /** Adds {@code values[from, from + length)} (not modified) as one batch. */
    public void add(float[] values, int from, int length) {
        if (!rangeFixed) {
            fixRangeFrom(values, from, length);
        }
        if (length > 0 && !addFinite(values, from, length)) {
            addCarefully(values, from, length);
        }
    }

    /**
     * The fast path, for batches without NaN or infinity (every batch of a healthy run): one branch-free pass with
     * two sets of accumulators (so consecutive values do not wait for each other's additions) and two interleaved
     * histograms (so a run of equal values, e.g. ReLU zeros, does not serialise on one counter). A NaN or infinity
     * shows in the sums afterwards; then nothing is kept and the careful path redoes the batch.
     *
     * <p>Deviations are taken from a shift near the mean (the running mean, or the batch's first value at the
     * start), so Σd² − (Σd)²/n does not cancel the way Σx² − n·m² does.
     */
    private boolean addFinite(float[] values, int from, int length) {
        double shift = count > 0 ? mean : values[from];
        if (!Double.isFinite(shift)) {
            return false;
        }
        int slots = bins.length + 2;                        // [underflow, bins..., overflow]
        if (scratch == null) {
            scratch = new int[2 * slots];
        }
        java.util.Arrays.fill(scratch, 0);
        double scale = bins.length / (high - low);
        double sum0 = 0;
        double sum1 = 0;
        double squares0 = 0;
        double squares1 = 0;
        double abs0 = 0;
        double abs1 = 0;
        float batchMin = Float.POSITIVE_INFINITY;
        float batchMax = Float.NEGATIVE_INFINITY;
        long batchZeros = 0;
        int last = slots - 1;
        int end = from + length;
        int i = from;
        int zeros0 = 0;
        int zeros1 = 0;
        for (; i + 1 < end; i += 2) {
            float v0 = values[i];
            float v1 = values[i + 1];
            double d0 = v0 - shift;
            double d1 = v1 - shift;
            sum0 += d0;
            sum1 += d1;
            squares0 += d0 * d0;
            squares1 += d1 * d1;
            abs0 += Math.abs(v0);
            abs1 += Math.abs(v1);
            // plain comparisons, not Math.min/max: NaN needs no care here (it poisons the sums and sends the batch
            // to the careful path), and the comparisons compile to branch-free selects
            float low01 = v0 < v1 ? v0 : v1;
            float high01 = v0 > v1 ? v0 : v1;
            batchMin = low01 < batchMin ? low01 : batchMin;
            batchMax = high01 > batchMax ? high01 : batchMax;
            zeros0 += v0 == 0f ? 1 : 0;
            zeros1 += v1 == 0f ? 1 : 0;
            // slot = floor(x) + 1 for x = (v − low)·scale, clamped: 0 is underflow, bins + 1 overflow
            scratch[Math.max(0, Math.min(last, (int) ((v0 - low) * scale + 1)))]++;
            scratch[slots + Math.max(0, Math.min(last, (int) ((v1 - low) * scale + 1)))]++;
        }
        batchZeros += zeros0 + zeros1;
        if (i < end) {
            float v = values[i];
            double d = v - shift;
            sum0 += d;
            squares0 += d * d;
            abs0 += Math.abs(v);
            batchMin = v < batchMin ? v : batchMin;
            batchMax = v > batchMax ? v : batchMax;
            batchZeros += v == 0f ? 1 : 0;
            scratch[Math.max(0, Math.min(last, (int) ((v - low) * scale + 1)))]++;
        }
        double sumShifted = sum0 + sum1;
        double sumShiftedSquares = squares0 + squares1;
        double abs = abs0 + abs1;
        if (!Double.isFinite(sumShiftedSquares) || !Double.isFinite(abs)) {
            return false;
        }
        underflow += scratch[0] + scratch[slots];
        overflow += scratch[last] + scratch[slots + last];
        for (int b = 0; b < bins.length; b++) {
            bins[b] += scratch[1 + b] + scratch[slots + 1 + b];
        }
        zeros += batchZeros;
        lastBatchMeanAbs = abs / length;
        double batchMean = shift + sumShifted / length;
        double m2 = Math.max(0, sumShiftedSquares - sumShifted * sumShifted / length);
        combine(length, batchMean, m2, abs, batchMin, batchMax);
        return true;
    }

    /** The careful path: counts NaN and ±Inf value by value and leaves them out of everything else. */
    private void addCarefully(float[] values, int from, int length) {
        double shift = count > 0 ? mean : firstFinite(values, from, length);
        long n = 0;
        double sumShifted = 0;
        double sumShiftedSquares = 0;
        double abs = 0;
        double batchMin = Double.POSITIVE_INFINITY;
        double batchMax = Double.NEGATIVE_INFINITY;
        double scale = bins.length / (high - low);
        for (int i = from; i < from + length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                nans++;
                continue;
            }
            if (Float.isInfinite(v)) {
                infinities++;
                continue;
            }
            n++;
            double d = v - shift;
            sumShifted += d;
            sumShiftedSquares += d * d;
            abs += Math.abs(v);
            if (v == 0f) {
                zeros++;
            }
            batchMin = Math.min(batchMin, v);
            batchMax = Math.max(batchMax, v);
            int slot = (int) ((v - low) * scale + 1);
            if (slot <= 0) {
                underflow++;
            } else if (slot > bins.length) {
                overflow++;
            } else {
                bins[slot - 1]++;
            }
        }
        lastBatchMeanAbs = n == 0 ? Double.NaN : abs / n;
        if (n == 0) {
            return;
        }
        double batchMean = shift + sumShifted / n;
        double m2 = Math.max(0, sumShiftedSquares - sumShifted * sumShifted / n);
        combine(n, batchMean, m2, abs, batchMin, batchMax);
    }

    /** Adds everything {@code other} has seen; its histogram must have the same edges. */
    public void merge(RunningStats other) {
        if (other.count == 0 && other.nans == 0 && other.infinities == 0) {
            return;
        }
        if (!rangeFixed && other.rangeFixed) {
            low = other.low;
            high = other.high;
            rangeFixed = true;
        } else if (other.rangeFixed && (low != other.low || high != other.high || bins.length != other.bins.length)) {
            throw new IllegalArgumentException("cannot merge histograms over [" + low + ", " + high + ") x"
                    + bins.length + " and [" + other.low + ", " + other.high + ") x" + other.bins.length);
        }
        for (int i = 0; i < bins.length; i++) {
            bins[i] += other.bins[i];
        }
        underflow += other.underflow;
        overflow += other.overflow;
        zeros += other.zeros;
        nans += other.nans;
        infinities += other.infinities;
        if (other.count > 0) {
            combine(other.count, other.mean, other.sumSquaredDeviations, other.sumAbs, other.min, other.max);
        }
    }

    private void combine(long n, double batchMean, double m2, double abs, double batchMin, double batchMax) {
        long total = count + n;
        double delta = batchMean - mean;
        mean += delta * n / total;
        sumSquaredDeviations += m2 + delta * delta * ((double) count * n / total);
        count = total;
        sumAbs += abs;
        min = Math.min(min, batchMin);
        max = Math.max(max, batchMax);
    }

    private static double firstFinite(float[] values, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (Float.isFinite(values[i])) {
                return values[i];
            }
        }
        return 0;
    }

    private void fixRangeFrom(float[] values, int from, int length) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + length; i++) {
            float v = values[i];
            if (!Float.isNaN(v) && !Float.isInfinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            return;                                  // nothing finite yet: wait for a batch that has a range
        }
        double margin = Math.max(0.1 * (hi - lo), Math.max(1e-6, 1e-3 * Math.abs(hi)));
        low = lo - margin;
        high = hi + margin;
        rangeFixed = true;
    }

    /** Finite values seen. */
    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Population standard deviation (divides by n, as numpy's default does). */
    public double std() {
        return count == 0 ? Double.NaN : Math.sqrt(sumSquaredDeviations / count);
    }

    public double meanAbs() {
        return count == 0 ? Double.NaN : sumAbs / count;
    }

    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    public double max() {
        return count == 0 ? Double.NaN : max;
    }

    /** Mean |x| of the finite values of the last batch {@link #add added} (NaN when it had none). */
    public double lastBatchMeanAbs() {
        return lastBatchMeanAbs;
    }

    /** Fraction of the finite values that are exactly 0. */
    public double zeroFraction() {
        return count == 0 ? Double.NaN : (double) zeros / count;
    }

    public long nanCount() {
        return nans;
    }

    public long infinityCount() {
        return infinities;
    }

    /** The counts per bin (a copy); bin i covers [low + i·w, low + (i+1)·w) with w = (high − low) / bins. */
    public long[] histogram() {
        return bins.clone();
    }

    public double histogramLow() {
        return low;
    }

    public double histogramHigh() {
        return high;
    }

    public long underflow() {
        return underflow;
    }

    public long overflow() {
        return overflow;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "n=%d mean=%.4g std=%.4g mean|x|=%.4g min=%.4g max=%.4g "
                + "zeros=%.3f nan=%d inf=%d hist=%s", count, mean(), std(), meanAbs(), min(), max(), zeroFraction(),
                nans, infinities, Arrays.toString(bins));
    }
}
