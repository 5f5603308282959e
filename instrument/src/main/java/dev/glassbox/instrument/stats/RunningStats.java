package dev.glassbox.instrument.stats;

import dev.glassbox.engine.kernels.Parallel;
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
    /**
     * Values per chunk of the fast path: the unit of work of one thread, and of the fixed summation order. Small
     * enough that a chunk run as a lane piece (about 15 µs) hardly delays the kernel a pool worker starts next.
     */
    static final int CHUNK = 1 << 13;
    /** Chunks a thread should have before a batch is split between threads (smaller ones run inline). */
    private static final int CHUNKS_PER_THREAD = 8;

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
    private double lastBatchSumSquares = Double.NaN;
    private float bandLow = Float.NEGATIVE_INFINITY;
    private float bandHigh = Float.POSITIVE_INFINITY;
    private long lastBatchOutside;

    // The fast path's working memory, allocated on first use and reused for every later batch.
    private final SummaryKernel kernel;
    private BatchSummary batch;
    private BatchSummary[] chunks = new BatchSummary[0];
    private final Parallel.RangeBody chunkBody = this::summarizeChunks;
    private float[] pendingValues;
    private int pendingFrom;
    private int pendingEnd;

    /** Statistics whose histogram range is taken from the first batch. */
    public RunningStats() {
        this(SummaryKernel.best());
    }

    /** Statistics with a histogram of {@code binCount} equal bins over [low, high). */
    public RunningStats(double low, double high, int binCount) {
        this(low, high, binCount, SummaryKernel.best());
    }

    RunningStats(SummaryKernel kernel) {
        this.bins = new long[DEFAULT_BINS];
        this.kernel = kernel;
    }

    RunningStats(double low, double high, int binCount, SummaryKernel kernel) {
        if (!(high > low) || binCount < 1) {
            throw new IllegalArgumentException("histogram range must have high > low and at least one bin, got ["
                    + low + ", " + high + ") with " + binCount + " bins");
        }
        this.bins = new long[binCount];
        this.low = low;
        this.high = high;
        this.rangeFixed = true;
        this.kernel = kernel;
    }

    /**
     * Also counts, per batch, the values below {@code bandLow} or above {@code bandHigh} ({@link
     * #lastBatchOutside()}): how a tanh or sigmoid layer's saturated units are counted in the same pass.
     */
    void countOutside(float bandLow, float bandHigh) {
        this.bandLow = bandLow;
        this.bandHigh = bandHigh;
        this.batch = null;
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
        if (length <= 0) {
            return;
        }
        int chunkCount = beginFinite(values[from], length);
        if (chunkCount > 0) {
            pendingValues = values;
            pendingFrom = from;
            pendingEnd = from + length;
            try {
                Parallel.forRange(chunkCount, CHUNKS_PER_THREAD, chunkBody);
            } finally {
                pendingValues = null;                    // do not keep the engine's buffer alive
            }
        }
        if (chunkCount == 0 || !finishFinite(chunkCount, length)) {
            addCarefully(values, from, length);
        }
    }

    /**
     * {@link #add(float[], int, int)} as pieces on {@code lane}, to be run there later (see
     * {@link Parallel.Lane}): one that sets the pass up, one per chunk of {@value #CHUNK} values (independent: they
     * may run side by side), then one that folds the batch in and runs {@code then}. The same numbers as {@code add},
     * whichever threads run the pieces. The values must stay as they are until the lane has run them, and nothing else
     * may use these statistics meanwhile.
     */
    void addOn(Parallel.Lane lane, float[] values, int from, int length, Runnable then) {
        int[] fastChunks = new int[1];                   // set by the first piece: 0 when the careful path runs
        lane.submit(() -> {
            if (!rangeFixed) {
                fixRangeFrom(values, from, length);
            }
            fastChunks[0] = length > 0 ? beginFinite(values[from], length) : 0;
        });
        for (int c = 0; c < (length + CHUNK - 1) / CHUNK; c++) {
            int chunk = c;                               // each chunk writes only its own summary
            lane.submitIndependent(() -> {
                if (fastChunks[0] > 0) {
                    summarizeChunk(values, from, from + length, chunk);
                }
            });
        }
        lane.submit(() -> {
            if (length > 0 && (fastChunks[0] == 0 || !finishFinite(fastChunks[0], length))) {
                addCarefully(values, from, length);
            }
            then.run();
        });
    }

    /**
     * The fast path, for batches without NaN or infinity (every batch of a healthy run): one {@link SummaryKernel}
     * pass per chunk of {@value #CHUNK} values ({@link #summarizeChunk}), chunks spread over the engine's threads
     * ({@link Parallel}) or run as pieces of a lane, and their sums added in chunk order ({@link #finishFinite}),
     * so the result does not depend on the thread count or on the threads that computed it. A NaN or infinity
     * shows in the sums afterwards; then nothing is kept and the careful path redoes the batch.
     *
     * <p>Deviations are taken from a shift near the mean (the running mean, or the batch's first value at the
     * start), so Σd² − (Σd)²/n does not cancel the way Σx² − n·m² does.
     *
     * <p>This part sets the pass parameters and readies one summary per chunk; it returns the number of chunks, or
     * 0 when the shift is not finite (the first value is a NaN or infinity: the careful path's case).
     */
    private int beginFinite(float firstValue, int length) {
        double shift = count > 0 ? mean : firstValue;
        if (!Double.isFinite(shift)) {
            return 0;
        }
        BatchSummary batch = batch();
        batch.shift = shift;
        batch.low = low;
        batch.scale = bins.length / (high - low);
        batch.clear();
        int chunkCount = (length + CHUNK - 1) / CHUNK;
        if (chunks.length < chunkCount) {
            chunks = Arrays.copyOf(chunks, chunkCount);
        }
        for (int c = 0; c < chunkCount; c++) {
            if (chunks[c] == null) {
                chunks[c] = new BatchSummary(bins.length);
            }
            chunks[c].startLike(batch);
        }
        return chunkCount;
    }

    /** Adds the chunk summaries in chunk order and folds the batch in; false (nothing kept) if it was not finite. */
    private boolean finishFinite(int chunkCount, int length) {
        BatchSummary batch = batch();
        for (int c = 0; c < chunkCount; c++) {
            batch.add(chunks[c]);
        }
        if (!batch.finite()) {
            return false;
        }
        int[] slots = batch.slots;
        underflow += slots[0];
        overflow += slots[slots.length - 1];
        for (int b = 0; b < bins.length; b++) {
            bins[b] += slots[1 + b];
        }
        zeros += batch.zeros;
        lastBatchMeanAbs = batch.sumAbs / length;
        lastBatchSumSquares = batch.sumSquares;
        lastBatchOutside = batch.outside;
        double shift = batch.shift;
        double batchMean = shift + batch.sumShifted / length;
        double m2 = Math.max(0, batch.sumShiftedSquares - batch.sumShifted * batch.sumShifted / length);
        combine(length, batchMean, m2, batch.sumAbs, batch.min, batch.max);
        return true;
    }

    /** Summarises chunks [first, end) of the pending batch, each into its own summary. */
    private void summarizeChunks(int first, int end) {
        for (int c = first; c < end; c++) {
            summarizeChunk(pendingValues, pendingFrom, pendingEnd, c);
        }
    }

    /** Summarises chunk {@code c} of the batch {@code values[from, end)} into its summary. */
    private void summarizeChunk(float[] values, int from, int end, int c) {
        int lo = from + c * CHUNK;
        kernel.summarize(values, lo, Math.min(end, lo + CHUNK), chunks[c]);
    }

    private BatchSummary batch() {
        if (batch == null) {
            batch = new BatchSummary(bins.length);
            batch.bandLow = bandLow;
            batch.bandHigh = bandHigh;
        }
        return batch;
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
        double squares = 0;                              // Σx² of every value: NaN or ∞ show in the norm
        long outside = 0;
        for (int i = from; i < from + length; i++) {
            float v = values[i];
            squares += (double) v * v;
            outside += v < bandLow || v > bandHigh ? 1 : 0;
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
            int slot = SummaryKernel.slot(SummaryKernel.slotPosition(v, low, scale), bins.length + 1);
            if (slot == 0) {
                underflow++;
            } else if (slot > bins.length) {
                overflow++;
            } else {
                bins[slot - 1]++;
            }
        }
        lastBatchMeanAbs = n == 0 ? Double.NaN : abs / n;
        lastBatchSumSquares = squares;
        lastBatchOutside = outside;
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

    /** Σx² over every value of the last batch {@link #add added}, NaN and ±∞ included (the squared norm). */
    public double lastBatchSumSquares() {
        return lastBatchSumSquares;
    }

    /** Values of the last batch below or above the band set by {@link #countOutside} (0 without a band). */
    long lastBatchOutside() {
        return lastBatchOutside;
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

    /**
     * The counts per bin (a copy); bin i covers [low + i·w, low + (i+1)·w) with w = (high − low) / bins, computed
     * in double (a value less than 2⁻⁴⁰·w below an edge counts in the bin above it: see
     * {@code SummaryKernel.ROUNDING_OFFSET}).
     */
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
