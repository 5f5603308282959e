package dev.glassbox.tsne;

/**
 * {@value #LANES} complex FFTs of one power-of-two length side by side, for the convolution of
 * {@link FftGradient}: radix-2, in place, in split layout.
 *
 * <p>Layout: a batch is a block of rows, row r holding element r of {@value #LANES} independent sequences (the
 * lanes), the real parts in one array and the imaginary parts at the same places in another:
 * {@code re[(row0 + r)·LANES + lane]}. Every butterfly then pairs two whole rows and does the same arithmetic
 * in every lane with one twiddle: element-wise over {@value #LANES} contiguous doubles, which the Vector API
 * implementation ({@code VectorLaneFft}, used when the JVM has the {@code jdk.incubator.vector} module) does as
 * one or two vector operations, with no gathers or shuffles. {@link #create} picks it; the scalar implementation
 * ({@link Scalar}) is the readable reference and computes bitwise the same values (same operations, no fused
 * multiply-adds).
 *
 * <p>No bit-reversal permutation: the forward transform is decimation in frequency, natural order in and
 * frequencies in bit-reversed order out (row p holds frequency {@link #frequency}(p)); the inverse is decimation
 * in time, bit-reversed in and natural order out. A convolution multiplies by the kernel's spectrum in between,
 * and only needs that spectrum in the same order.
 *
 * <p>Pruning, for the zero-padded sequences of a linear convolution: a sequence whose rows from
 * {@code inputRows} ≤ size/2 on are zero skips reading them, and the first stage, whose butterflies pair row j
 * with the zero row j + size/2, is just (x_j, x_j w^j); the inverse computes only the first {@code outputRows}
 * ≤ size/2 rows in its last stage.
 *
 * <p>Passes over memory: the stages go two at a time (radix 2², {@link #forwardStages}), each group of four rows
 * loaded once for both, and the last two forward and first two inverse stages, whose twiddles are 1 and ∓i, have
 * no multiplications. A length-2048 batch is 256 KB, more than the first-level cache: the stages are ordered
 * depth first, so once two stages have split the forward transform into independent quarters, each quarter is
 * finished before the next is started, and the stages on blocks of at most {@code blockRows} rows (16 KB at 128)
 * run within the first-level cache; the inverse the other way round. {@link #convolve} goes further and does a
 * block's last forward stages, the product with the spectrum and its first inverse stages in one pass.
 *
 * <p>Speed, one thread (AVX-512 Xeon), forward + inverse of 8 sequences of 2048 (pruned to half the input and
 * output): about 100 µs with the Vector API, 400 µs scalar. JTransforms, one sequence at a time and scalar,
 * took about 10 µs per length-1024 transform in the convolution it replaced: some 330 µs for the same work.
 */
abstract class LaneFft {

    /** Sequences side by side: doubles per row. */
    static final int LANES = 8;

    /** Rows of a block whose remaining stages run before the next block's: 16 KB of real and imaginary parts. */
    static final int BLOCK_ROWS = 128;

    /** The transform length, a power of two ≥ 2. */
    final int size;
    /** Half the length: the twiddles, and the bound on the pruned input and output rows. */
    final int half;
    /** The twiddles w^k = e^(−2πi k / size), k &lt; size/2: cos and sin of 2πk / size. */
    final double[] cos;
    final double[] sin;
    private final int blockRows;

    LaneFft(int size, int blockRows) {
        if (size < 2 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two >= 2, got " + size);
        }
        this.size = size;
        this.half = size / 2;
        this.blockRows = Math.max(2, blockRows);
        this.cos = new double[half];
        this.sin = new double[half];
        for (int k = 0; k < half; k++) {
            double angle = 2 * Math.PI * k / size;
            cos[k] = Math.cos(angle);
            sin[k] = Math.sin(angle);
        }
        if (half % 2 == 0) {
            cos[half / 2] = 0;              // w^(size/4) = −i exactly (Math.cos(π/2) is 6e-17),
                                            // as forwardLastTwo has it
            sin[half / 2] = 1;
        }
    }

    /** The Vector API implementation when the module is present, else the scalar one. */
    static LaneFft create(int size) {
        return VectorModule.PRESENT ? new VectorLaneFft(size, BLOCK_ROWS) : new Scalar(size, BLOCK_ROWS);
    }

    /** The frequency held by row p of a forward transform's output: p with its log2(size) bits reversed. */
    int frequency(int p) {
        return Integer.reverse(p) >>> (Integer.numberOfLeadingZeros(size) + 1);
    }

    /**
     * Forward transforms, X_k = Σ_r x_r e^(−2πi kr / size), of the batch at rows {@code row0 … row0 + size − 1},
     * in place, output in bit-reversed order. Rows from {@code inputRows} on are taken as zero (not read) when
     * {@code inputRows} ≤ size/2; a larger {@code inputRows} transforms all rows as they are.
     */
    final void forward(double[] re, double[] im, int row0, int inputRows) {
        if (inputRows > half) {
            forwardBlock(re, im, row0, size);
            return;
        }
        splitFirst(re, im, row0, inputRows);
        forwardBlock(re, im, row0, half);
        forwardBlock(re, im, row0 + half, half);
    }

    /**
     * Inverse transforms without the 1/size, x_r = Σ_k X_k e^(2πi kr / size), from bit-reversed input at rows
     * {@code row0 …}, in place; only rows {@code 0 … outputRows − 1} are written when {@code outputRows} ≤
     * size/2 (the others are left meaningless), all of them otherwise.
     */
    final void inverse(double[] re, double[] im, int row0, int outputRows) {
        if (outputRows > half) {
            inverseBlock(re, im, row0, size);
            return;
        }
        inverseBlock(re, im, row0, half);
        inverseBlock(re, im, row0 + half, half);
        joinLast(re, im, row0, outputRows);
    }

    /**
     * The circular convolutions of the batch's sequences with a kernel given by its spectrum: {@link #forward},
     * row p times row {@code factorRow0 + p} of {@code factors} (a real spectrum in the forward transform's
     * order, rows of {@value #LANES}), {@link #inverse}, with {@code rows} as both's {@code inputRows} and
     * {@code outputRows}. The same values as the three one after the other, but interleaved block by block: once
     * the forward transform has split the batch into blocks of at most {@link #blockRows} rows, each block gets
     * its remaining forward stages, the product and its first inverse stages while it is in the first-level
     * cache, the stages next to the product fused into one pass with it.
     */
    final void convolve(double[] re, double[] im, int row0, int rows, double[] factors, int factorRow0) {
        int offset = factorRow0 - row0;          // batch row r is multiplied by factor row r + offset
        if (rows > half) {
            convolveBlock(re, im, row0, size, factors, offset);
            return;
        }
        splitFirst(re, im, row0, rows);
        convolveBlock(re, im, row0, half, factors, offset);
        convolveBlock(re, im, row0 + half, half, factors, offset);
        joinLast(re, im, row0, rows);
    }

    private void convolveBlock(double[] re, double[] im, int row0, int length, double[] factors, int offset) {
        if (length > blockRows) {
            forwardStages(re, im, row0, length, length / 2);
            for (int quarter = 0; quarter < 4; quarter++) {
                convolveBlock(re, im, row0 + quarter * (length / 4), length / 4, factors, offset);
            }
            inverseStages(re, im, row0, length, length / 2);
            return;
        }
        int span = length / 2;
        for (; span > 2; span /= 4) {
            forwardStages(re, im, row0, length, span);
        }
        if (span == 2) {
            productTwo(re, im, row0, length, factors, row0 + offset);
            span = 4;
        } else if (span == 1) {
            productOne(re, im, row0, length, factors, row0 + offset);
            span = 2;
        } else {
            multiply(re, im, row0, length, factors, row0 + offset);
            span = 1;
        }
        for (; span < length; span *= 4) {
            inverseStages(re, im, row0, length, 2 * span);
        }
    }

    /**
     * {@link #forwardLastTwo}, {@link #multiply} and {@link #inverseFirstTwo} on rows {@code row0 …
     * row0 + length − 1}, factor rows from {@code factorRow}: in one pass, each group of four rows loaded and
     * stored once.
     */
    abstract void productTwo(double[] re, double[] im, int row0, int length, double[] factors, int factorRow);

    /** {@link #forwardLast}, {@link #multiply} and {@link #inverseFirst} in one pass (see {@link #productTwo}). */
    abstract void productOne(double[] re, double[] im, int row0, int length, double[] factors, int factorRow);

    /**
     * The decimation-in-frequency stages of one block of {@code length} rows, depth first, two at a time: a
     * block larger than {@link #blockRows} gets its first two stages, which split it into four independent
     * quarters, and each quarter is finished before the next.
     */
    private void forwardBlock(double[] re, double[] im, int row0, int length) {
        if (length <= blockRows) {
            int span = length / 2;
            for (; span > 2; span /= 4) {
                forwardStages(re, im, row0, length, span);
            }
            if (span == 2) {
                forwardLastTwo(re, im, row0, length);
            } else if (span == 1) {
                forwardLast(re, im, row0, length);
            }
            return;
        }
        forwardStages(re, im, row0, length, length / 2);
        for (int quarter = 0; quarter < 4; quarter++) {
            forwardBlock(re, im, row0 + quarter * (length / 4), length / 4);
        }
    }

    /** The decimation-in-time stages of one block of {@code length} rows: {@link #forwardBlock} backwards. */
    private void inverseBlock(double[] re, double[] im, int row0, int length) {
        if (length <= blockRows) {
            int span;
            if (length == 1) {
                return;
            } else if (Integer.numberOfTrailingZeros(length) % 2 == 1) {
                inverseFirst(re, im, row0, length);
                span = 2;
            } else {
                inverseFirstTwo(re, im, row0, length);
                span = 4;
            }
            for (; span < length; span *= 4) {
                inverseStages(re, im, row0, length, 2 * span);
            }
            return;
        }
        for (int quarter = 0; quarter < 4; quarter++) {
            inverseBlock(re, im, row0 + quarter * (length / 4), length / 4);
        }
        inverseStages(re, im, row0, length, length / 2);
    }

    /**
     * Two decimation-in-frequency stages on rows {@code row0 … row0 + length − 1}, spans {@code span} and then
     * span/2 (span ≥ 2). The stage of span s: for every group of 2s rows and j &lt; s, with a = row j and
     * b = row j + s of the group and w = w^(j · size / (2s)), (a, b) ← (a + b, (a − b) w). The vector
     * implementation does both in one pass over the rows, each group of four rows j, j + span/2, j + span,
     * j + 3·span/2 kept in registers between the two, which halves the loads and stores; the scalar one does them
     * one after the other, the same operations on every value.
     */
    abstract void forwardStages(double[] re, double[] im, int row0, int length, int span);

    /**
     * The inverses (times 2) of the stages of spans span/2 and then {@code span}: (a, b) ← (a + b w̄, a − b w̄),
     * in one pass (see {@link #forwardStages}).
     */
    abstract void inverseStages(double[] re, double[] im, int row0, int length, int span);

    /**
     * The last two forward stages, spans 2 and 1, whose twiddles are 1 and −i: no multiplications. Each group of
     * rows r0 … r3: (x0, x2) = (r0 + r2, r0 − r2), (x1, x3) = (r1 + r3, (r1 − r3)(−i)), then (r0, r1) =
     * (x0 + x1, x0 − x1) and (r2, r3) = (x2 + x3, x2 − x3).
     */
    abstract void forwardLastTwo(double[] re, double[] im, int row0, int length);

    /** The last forward stage, span 1, alone (an odd number of stages): (a, b) ← (a + b, a − b). */
    abstract void forwardLast(double[] re, double[] im, int row0, int length);

    /** The first two inverse stages, spans 1 and 2, whose twiddles are 1 and i: {@link #forwardLastTwo} undone. */
    abstract void inverseFirstTwo(double[] re, double[] im, int row0, int length);

    /** The first inverse stage, span 1, alone: (a, b) ← (a + b, a − b). */
    abstract void inverseFirst(double[] re, double[] im, int row0, int length);

    /**
     * The first forward stage when rows {@code inputRows … size − 1} are zero: row j + size/2 ← x_j w^j for
     * j &lt; inputRows; rows inputRows … size/2 − 1 of both halves ← 0; rows j &lt; inputRows keep x_j.
     */
    abstract void splitFirst(double[] re, double[] im, int row0, int inputRows);

    /** The last inverse stage, first {@code outputRows} rows only: row j ← row j + row (j + size/2) · w̄^j. */
    abstract void joinLast(double[] re, double[] im, int row0, int outputRows);

    /**
     * Multiplies rows {@code row0 + p}, p &lt; {@code rows}, lane by lane by row {@code factorRow0 + p} of
     * {@code factors} (rows of {@value #LANES}), in the real and imaginary parts: times a real spectrum.
     */
    abstract void multiply(double[] re, double[] im, int row0, int rows, double[] factors, int factorRow0);

    /**
     * Row {@code row} (from 0) of two batches ← the t-SNE kernel K = 1 / (1 + r²)² at squared distances
     * {@code dx2[lane] + dy2} in {@code re} and {@code dx2[LANES + lane] + dy2} in {@code im}: a row of K on the
     * lattice for 2·LANES x offsets (an infinite dx2 gives 0). For {@link LatticeConvolution}'s spectrum.
     */
    abstract void kernelRow(double[] re, double[] im, int row, double[] dx2, double dy2);

    /** The readable implementation: one lane at a time. */
    static final class Scalar extends LaneFft {

        Scalar(int size, int blockRows) {
            super(size, blockRows);
        }

        @Override
        void forwardStages(double[] re, double[] im, int row0, int length, int span) {
            forwardStage(re, im, row0, length, span);
            forwardStage(re, im, row0, length, span / 2);
        }

        @Override
        void inverseStages(double[] re, double[] im, int row0, int length, int span) {
            inverseStage(re, im, row0, length, span / 2);
            inverseStage(re, im, row0, length, span);
        }

        /** One decimation-in-frequency stage of span {@code span} (see {@link #forwardStages}). */
        private void forwardStage(double[] re, double[] im, int row0, int length, int span) {
            int step = half / span;                        // size / (2·span)
            for (int group = row0; group < row0 + length; group += 2 * span) {
                for (int j = 0; j < span; j++) {
                    double c = cos[j * step];
                    double s = sin[j * step];
                    int a = (group + j) * LANES;
                    int b = (group + j + span) * LANES;
                    for (int l = 0; l < LANES; l++) {
                        double ar = re[a + l];
                        double ai = im[a + l];
                        double br = re[b + l];
                        double bi = im[b + l];
                        double dr = ar - br;
                        double di = ai - bi;
                        re[a + l] = ar + br;
                        im[a + l] = ai + bi;
                        re[b + l] = dr * c + di * s;       // (dr + i di)(c − i s)
                        im[b + l] = di * c - dr * s;
                    }
                }
            }
        }

        /** The inverse (times 2) of {@link #forwardStage}: (a, b) ← (a + b w̄, a − b w̄). */
        private void inverseStage(double[] re, double[] im, int row0, int length, int span) {
            int step = half / span;
            for (int group = row0; group < row0 + length; group += 2 * span) {
                for (int j = 0; j < span; j++) {
                    double c = cos[j * step];
                    double s = sin[j * step];
                    int a = (group + j) * LANES;
                    int b = (group + j + span) * LANES;
                    for (int l = 0; l < LANES; l++) {
                        double br = re[b + l];
                        double bi = im[b + l];
                        double tr = br * c - bi * s;       // (br + i bi)(c + i s)
                        double ti = bi * c + br * s;
                        double ar = re[a + l];
                        double ai = im[a + l];
                        re[a + l] = ar + tr;
                        im[a + l] = ai + ti;
                        re[b + l] = ar - tr;
                        im[b + l] = ai - ti;
                    }
                }
            }
        }

        @Override
        void forwardLastTwo(double[] re, double[] im, int row0, int length) {
            for (int group = row0; group < row0 + length; group += 4) {
                int r0 = group * LANES;
                for (int l = r0; l < r0 + LANES; l++) {
                    double x0r = re[l] + re[l + 2 * LANES];
                    double x0i = im[l] + im[l + 2 * LANES];
                    double x2r = re[l] - re[l + 2 * LANES];
                    double x2i = im[l] - im[l + 2 * LANES];
                    double x1r = re[l + LANES] + re[l + 3 * LANES];
                    double x1i = im[l + LANES] + im[l + 3 * LANES];
                    double x3r = im[l + LANES] - im[l + 3 * LANES];           // (d_r + i d_i)(−i) = d_i − i d_r
                    double x3i = re[l + 3 * LANES] - re[l + LANES];
                    re[l] = x0r + x1r;
                    im[l] = x0i + x1i;
                    re[l + LANES] = x0r - x1r;
                    im[l + LANES] = x0i - x1i;
                    re[l + 2 * LANES] = x2r + x3r;
                    im[l + 2 * LANES] = x2i + x3i;
                    re[l + 3 * LANES] = x2r - x3r;
                    im[l + 3 * LANES] = x2i - x3i;
                }
            }
        }

        @Override
        void productTwo(double[] re, double[] im, int row0, int length, double[] factors, int factorRow) {
            forwardLastTwo(re, im, row0, length);
            multiply(re, im, row0, length, factors, factorRow);
            inverseFirstTwo(re, im, row0, length);
        }

        @Override
        void productOne(double[] re, double[] im, int row0, int length, double[] factors, int factorRow) {
            forwardLast(re, im, row0, length);
            multiply(re, im, row0, length, factors, factorRow);
            inverseFirst(re, im, row0, length);
        }

        @Override
        void forwardLast(double[] re, double[] im, int row0, int length) {
            inverseFirst(re, im, row0, length);              // the same butterfly: twiddle 1 either way
        }

        @Override
        void inverseFirstTwo(double[] re, double[] im, int row0, int length) {
            for (int group = row0; group < row0 + length; group += 4) {
                int r0 = group * LANES;
                for (int l = r0; l < r0 + LANES; l++) {
                    double x0r = re[l] + re[l + LANES];
                    double x0i = im[l] + im[l + LANES];
                    double x1r = re[l] - re[l + LANES];
                    double x1i = im[l] - im[l + LANES];
                    double x2r = re[l + 2 * LANES] + re[l + 3 * LANES];
                    double x2i = im[l + 2 * LANES] + im[l + 3 * LANES];
                    double x3r = re[l + 2 * LANES] - re[l + 3 * LANES];
                    double x3i = im[l + 2 * LANES] - im[l + 3 * LANES];
                    re[l] = x0r + x2r;
                    im[l] = x0i + x2i;
                    re[l + 2 * LANES] = x0r - x2r;
                    im[l + 2 * LANES] = x0i - x2i;
                    re[l + LANES] = x1r - x3i;                             // x1 + i·x3
                    im[l + LANES] = x1i + x3r;
                    re[l + 3 * LANES] = x1r + x3i;                         // x1 − i·x3
                    im[l + 3 * LANES] = x1i - x3r;
                }
            }
        }

        @Override
        void inverseFirst(double[] re, double[] im, int row0, int length) {
            for (int group = row0; group < row0 + length; group += 2) {
                int r0 = group * LANES;
                for (int l = r0; l < r0 + LANES; l++) {
                    double ar = re[l];
                    double ai = im[l];
                    double br = re[l + LANES];
                    double bi = im[l + LANES];
                    re[l] = ar + br;
                    im[l] = ai + bi;
                    re[l + LANES] = ar - br;
                    im[l + LANES] = ai - bi;
                }
            }
        }

        @Override
        void splitFirst(double[] re, double[] im, int row0, int inputRows) {
            for (int j = 0; j < inputRows; j++) {
                double c = cos[j];
                double s = sin[j];
                int a = (row0 + j) * LANES;
                int b = (row0 + j + half) * LANES;
                for (int l = 0; l < LANES; l++) {
                    double xr = re[a + l];
                    double xi = im[a + l];
                    re[b + l] = xr * c + xi * s;
                    im[b + l] = xi * c - xr * s;
                }
            }
            for (int j = inputRows; j < half; j++) {
                java.util.Arrays.fill(re, (row0 + j) * LANES, (row0 + j + 1) * LANES, 0);
                java.util.Arrays.fill(im, (row0 + j) * LANES, (row0 + j + 1) * LANES, 0);
                java.util.Arrays.fill(re, (row0 + j + half) * LANES, (row0 + j + half + 1) * LANES, 0);
                java.util.Arrays.fill(im, (row0 + j + half) * LANES, (row0 + j + half + 1) * LANES, 0);
            }
        }

        @Override
        void joinLast(double[] re, double[] im, int row0, int outputRows) {
            for (int j = 0; j < outputRows; j++) {
                double c = cos[j];
                double s = sin[j];
                int a = (row0 + j) * LANES;
                int b = (row0 + j + half) * LANES;
                for (int l = 0; l < LANES; l++) {
                    double br = re[b + l];
                    double bi = im[b + l];
                    re[a + l] = re[a + l] + (br * c - bi * s);
                    im[a + l] = im[a + l] + (bi * c + br * s);
                }
            }
        }

        @Override
        void kernelRow(double[] re, double[] im, int row, double[] dx2, double dy2) {
            for (int l = 0; l < LANES; l++) {
                double wRe = 1 / (1 + (dx2[l] + dy2));
                double wIm = 1 / (1 + (dx2[LANES + l] + dy2));
                re[row * LANES + l] = wRe * wRe;
                im[row * LANES + l] = wIm * wIm;
            }
        }

        @Override
        void multiply(double[] re, double[] im, int row0, int rows, double[] factors, int factorRow0) {
            for (int p = 0; p < rows; p++) {
                int row = (row0 + p) * LANES;
                int f = (factorRow0 + p) * LANES;
                for (int l = 0; l < LANES; l++) {
                    re[row + l] *= factors[f + l];
                    im[row + l] *= factors[f + l];
                }
            }
        }
    }
}
