package dev.glassbox.tsne;

import static dev.glassbox.tsne.LaneFft.LANES;

/**
 * The convolution step of {@link FftGradient}: four real charge grids on an m × m lattice of nodes, each
 * convolved with the t-SNE kernel K(d) = 1 / (1 + d²)² sampled on the lattice,
 * <pre>
 *   out_c(x, y) = Σ_{x', y' &lt; m} K(h·(x − x'), h·(y − y')) · charge_c(x', y')      (h the node spacing),
 * </pre>
 * by FFT on a zero-padded size × size grid (size ≥ 2m, so the circular convolution does not wrap).
 *
 * <p>Layout. The grids are stored as real planes, {@link #plane}(c), charges 0 and 1 forming the real and
 * imaginary parts of one complex grid and charges 2 and 3 of another (K is real, so the parts stay apart). Node
 * (x, y) is at {@link #index}(x, y): the x nodes are grouped in strips of {@value LaneFft#LANES}, a strip holds
 * its nodes' size-long y columns side by side, lane x mod LANES of row y (and a row of padding, see
 * {@link #stripRows}). That is the layout {@link LaneFft} transforms in place: the y transforms of a strip's
 * {@value LaneFft#LANES} nodes are one batch, every butterfly a whole row. The x transforms, across strips, are
 * batches of {@value LaneFft#LANES} y frequencies copied into a thread's scratch, each strip's contribution one
 * 8 × 8 transposed tile.
 *
 * <p>Steps, each over independent strips or blocks (results bitwise independent of the thread count):
 * <ol>
 *   <li>y forward: each strip's columns, m charges → size frequencies (bit-reversed order);</li>
 *   <li>per block of {@value LaneFft#LANES} y frequencies: gather the block's x sequences, x forward, times K's
 *       spectrum, x inverse back to the first m x's ({@link LaneFft#convolve}, which interleaves the three),
 *       scatter them back;</li>
 *   <li>y inverse: each strip's columns back to the first m y's.</li>
 * </ol>
 * Only the m ≤ size/2 x's and y's that hold nodes are transformed in and out; the zero padding is never stored
 * for x and never read for y (see {@link LaneFft}'s pruning).
 *
 * <p>K's spectrum changes with the node spacing, so it is computed here too, by the same transforms (see
 * {@link #spectrum}), and kept until the spacing changes.
 *
 * <p>Doubles throughout: storing the transformed grids as floats, which halves the memory traffic of the three
 * passes, was 8 % faster at N = 70,000 but moved the gradient by 2.5·10⁻⁴ (relative), the potentials' large
 * common parts (|y|² ≈ 10⁴ at a 200-wide map) cancelling in the repulsion and in Z.
 */
final class LatticeConvolution {

    private final Parallel parallel;
    private int size;
    private int m;
    private int strips;
    private LaneFft fft;
    private final double[][] planes = new double[4][];
    private final ThreadLocal<double[][]> scratch = new ThreadLocal<>();   // per thread: re and im of a batch

    private double[][] spectrum;         // K's spectrum, see spectrum()
    private double[] rowSpectra;         // its first step
    private double spectrumSpacing = Double.NaN;

    LatticeConvolution(Parallel parallel) {
        this.parallel = parallel;
    }

    /**
     * Sets the lattice to m × m nodes on a size × size FFT grid and zeroes the charges. size: a power of two
     * ≥ max(2m, 2·LANES).
     */
    void reset(int size, int m) {
        if (Integer.bitCount(size) != 1 || size < 2 * LANES || 2 * m > size) {
            throw new IllegalArgumentException("size " + size + " for " + m + " nodes");
        }
        if (size != this.size) {
            this.size = size;
            this.fft = LaneFft.create(size);
            this.spectrum = null;
            this.rowSpectra = null;
            this.spectrumSpacing = Double.NaN;
        }
        this.m = m;
        this.strips = (m + LANES - 1) / LANES;
        int length = strips * stripRows() * LANES;
        for (int c = 0; c < 4; c++) {
            if (planes[c] == null || planes[c].length < length) {
                // Kept between iterations: a late grid at N = 70,000 is 4 × 16 MB, which allocating anew every
                // iteration would keep the collector busy with.
                planes[c] = new double[length];
            }
        }
        // Only the first m rows of each strip hold charges; the transform writes the rest before reading them.
        parallel.forRange(strips, (from, to) -> {
            for (int s = from; s < to; s++) {
                for (double[] plane : planes) {
                    java.util.Arrays.fill(plane, s * stripRows() * LANES, (s * stripRows() + m) * LANES, 0);
                }
            }
        });
    }

    /** Charge grid c (0 … 3): values at {@link #index}; filled by the caller, convolved in place. */
    double[] plane(int c) {
        return planes[c];
    }

    /** Where node (x, y) is in a {@link #plane}. */
    int index(int x, int y) {
        return ((x / LANES) * stripRows() + y) * LANES + x % LANES;
    }

    /** Convolves the four planes with K at node spacing h, in place. */
    void convolve(double spacing) {
        if (spectrumSpacing != spacing) {
            spectrum(spacing);
            spectrumSpacing = spacing;
        }
        double[] aRe = planes[0];
        double[] aIm = planes[1];
        double[] bRe = planes[2];
        double[] bIm = planes[3];
        // 1. y forward, one batch per strip and complex grid.
        parallel.forRange(2 * strips, (from, to) -> {
            for (int t = from; t < to; t++) {
                int s = t >> 1;
                if ((t & 1) == 0) {
                    fft.forward(aRe, aIm, s * stripRows(), m);
                } else {
                    fft.forward(bRe, bIm, s * stripRows(), m);
                }
            }
        });
        // 2. x forward, spectrum, x inverse, per block of LANES y frequencies and complex grid.
        int blocks = size / LANES;
        parallel.forRange(2 * blocks, (from, to) -> {
            double[][] work = scratch();
            for (int t = from; t < to; t++) {
                int v0 = (t >> 1) * LANES;
                double[] re = (t & 1) == 0 ? aRe : bRe;
                double[] im = (t & 1) == 0 ? aIm : bIm;
                transposeBlocks(re, im, work[0], work[1], v0, true);
                int block = v0 / LANES;
                fft.convolve(work[0], work[1], 0, strips * LANES, spectrum[block & 1], (block >> 1) * size);
                transposeBlocks(re, im, work[0], work[1], v0, false);
            }
        });
        // 3. y inverse.
        parallel.forRange(2 * strips, (from, to) -> {
            for (int t = from; t < to; t++) {
                int s = t >> 1;
                if ((t & 1) == 0) {
                    fft.inverse(aRe, aIm, s * stripRows(), m);
                } else {
                    fft.inverse(bRe, bIm, s * stripRows(), m);
                }
            }
        });
    }

    /**
     * Copies rows v0 … v0 + LANES − 1 of every strip into the batch (x sequences in lanes of y frequency) or
     * back: strip s's 8 × 8 block, row = y frequency and lane = x, becomes rows s·LANES … of the batch, row = x
     * and lane = y frequency.
     */
    private void transposeBlocks(double[] re, double[] im, double[] batchRe, double[] batchIm, int v0,
                                 boolean gather) {
        for (int s = 0; s < strips; s++) {
            int block = (s * stripRows() + v0) * LANES;
            int batch = s * LANES * LANES;
            if (gather) {
                transposeTile(re, block, batchRe, batch);
                transposeTile(im, block, batchIm, batch);
            } else {
                transposeTile(batchRe, batch, re, block);
                transposeTile(batchIm, batch, im, block);
            }
        }
    }

    /**
     * out[to + LANES·i + j] = in[from + LANES·j + i]: an 8 × 8 tile transposed, one output row at a time (written
     * out in full, which the compiler keeps to eight loads and stores without index arithmetic in between).
     */
    private static void transposeTile(double[] in, int from, double[] out, int to) {
        for (int i = 0; i < LANES; i++) {
            int o = to + i * LANES;
            int k = from + i;
            out[o] = in[k];
            out[o + 1] = in[k + LANES];
            out[o + 2] = in[k + 2 * LANES];
            out[o + 3] = in[k + 3 * LANES];
            out[o + 4] = in[k + 4 * LANES];
            out[o + 5] = in[k + 5 * LANES];
            out[o + 6] = in[k + 6 * LANES];
            out[o + 7] = in[k + 7 * LANES];
        }
    }

    private double[][] scratch() {
        double[][] work = scratch.get();
        if (work == null || work[0].length != size * LANES) {
            work = new double[][] {new double[size * LANES], new double[size * LANES]};
            scratch.set(work);
        }
        return work;
    }

    /**
     * K's 2-D spectrum on the circular size × size lattice (offset d at d ≥ 0, at size + d for d &lt; 0), times
     * the 1/size² the unnormalised inverse transforms leave out, in the transforms' row orders. K is real and
     * even in both offsets, so its spectrum is real and even: the forward transform of an even sequence plus i
     * times another is the first's spectrum in the real parts and the second's in the imaginary parts, two
     * sequences per complex one, 2·LANES per batch.
     * <ol>
     *   <li>y: the size/2 + 1 distinct x offsets a, each over all size y offsets, into {@link #rowSpectra}, stored
     *       in tiles [y row / 2·LANES][a][y row mod 2·LANES], so that step 2 reads its batch contiguously;</li>
     *   <li>x: every y row over all x offsets (row a of step 1 for offset a, size − a for −a), in place in
     *       {@link #spectrum}, [y row / LANES][x row][y row mod LANES] with the even blocks in one array and the
     *       odd ones in the other: each block is the batch that the x pass of {@link #convolve} multiplies,
     *       contiguous.</li>
     * </ol>
     */
    private void spectrum(double spacing) {
        int q = size / 2 + 1;
        int pair = 2 * LANES;
        if (spectrum == null) {
            spectrum = new double[][] {new double[size * size / 2], new double[size * size / 2]};
            rowSpectra = new double[size / pair * q * pair];
        }
        // A power of two: multiplying by it before the transforms is exact, as after them.
        double scale = 1.0 / ((double) size * size);
        parallel.forRange((q + pair - 1) / pair, (from, to) -> {
            double[][] work = scratch();
            double[] re = work[0];
            double[] im = work[1];
            double[] dx2 = new double[pair];
            for (int batch = from; batch < to; batch++) {
                int a0 = batch * pair;
                for (int l = 0; l < pair; l++) {
                    double dx = (a0 + l) * spacing;
                    dx2[l] = a0 + l < q ? dx * dx : Double.POSITIVE_INFINITY;     // K = 0: no such offset
                }
                // K is even in the y offset too: rows b and size − b are the same.
                for (int b = 0; b <= size / 2; b++) {
                    double dy = b * spacing;
                    fft.kernelRow(re, im, b, dx2, dy * dy);
                }
                for (int b = size / 2 + 1; b < size; b++) {
                    System.arraycopy(re, (size - b) * LANES, re, b * LANES, LANES);
                    System.arraycopy(im, (size - b) * LANES, im, b * LANES, LANES);
                }
                fft.forward(re, im, 0, size);
                for (int tile = 0; tile < size / pair; tile++) {
                    for (int l = 0; l < pair && a0 + l < q; l++) {
                        double[] part = l < LANES ? re : im;
                        int out = (tile * q + a0 + l) * pair;
                        int in = tile * pair * LANES + l % LANES;
                        for (int k = 0; k < pair; k++) {
                            rowSpectra[out + k] = part[in + k * LANES] * scale;
                        }
                    }
                }
            }
        });
        parallel.forRange(size / pair, (from, to) -> {
            // Transformed in place: y rows 2·LANES·batch … go to block 2·batch (spectrum[0]), the next LANES to
            // block 2·batch + 1 (spectrum[1]), both at row batch·size.
            for (int batch = from; batch < to; batch++) {
                int tile = batch * q * pair;
                int out = batch * size * LANES;
                for (int a = 0; a < size; a++) {
                    int row = tile + fold(a) * pair;
                    System.arraycopy(rowSpectra, row, spectrum[0], out + a * LANES, LANES);
                    System.arraycopy(rowSpectra, row + LANES, spectrum[1], out + a * LANES, LANES);
                }
                fft.forward(spectrum[0], spectrum[1], batch * size, size);
            }
        });
    }

    /**
     * Rows per strip: the size plus one row of padding. Strips of a
     * power-of-two length would put the blocks the x pass gathers at addresses a power of two apart, all in the
     * same few cache sets, evicting one another before the pass is done with them.
     */
    private int stripRows() {
        return size + STRIP_PAD;
    }

    /** The padding of {@link #stripRows}: one row of {@value LaneFft#LANES} doubles, 64 bytes. */
    static final int STRIP_PAD = 1;

    /** K = 1 / (1 + r²)² at squared distance r². */
    static double kernel(double r2) {
        double w = 1 / (1 + r2);
        return w * w;
    }

    /** Circular index k of the grid as |offset|: k for k ≤ size/2, size − k above. */
    private int fold(int k) {
        return k <= size / 2 ? k : size - k;
    }
}
