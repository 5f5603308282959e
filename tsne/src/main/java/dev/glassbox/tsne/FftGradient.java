package dev.glassbox.tsne;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The t-SNE gradient by FFT-accelerated interpolation (FIt-SNE, Linderman et al. 2019), in 2-D.
 *
 * <p>The repulsion needs, for every point i, sums over all j of the kernel K(y_i, y_j) = w_ij² =
 * 1 / (1 + |y_i − y_j|²)² times the "charges" 1, y_j,x, y_j,y and |y_j|²:
 * <pre>
 *   φ_c(i) = Σ_j K(y_i, y_j) charge_c(j)
 *   Z      = Σ_i [ (1 + |y_i|²) φ_0 − 2 y_i·(φ_1, φ_2) + φ_3 ](i) − N      (Σ_j w_ij = Σ_j w_ij² (1 + d_ij²))
 *   rep_i  = ( y_i φ_0(i) − (φ_1, φ_2)(i) ) / Z                            (= Σ_j w_ij² (y_i − y_j) / Z)
 * </pre>
 * K is smooth, so it is interpolated: the embedding's bounding square is cut into equal boxes, each with
 * {@link #NODES_PER_BOX}² equispaced Lagrange nodes. (1) Each point spreads its charges onto the nodes of its
 * box with the Lagrange weights; (2) the potentials at all nodes are the node charges convolved with K sampled
 * on the node lattice — a Toeplitz sum done by FFT on a grid of twice the size (zero-padded, circular);
 * (3) each point reads its potentials back from its box's nodes with the same weights. Cost per iteration:
 * O(N) for (1) and (3), O(G² log G) for (2), with G ∝ the embedding's extent, not N.
 *
 * <p>Accuracy: three nodes per box interpolate the kernel's peak (K(0) = 1, K(1) = 1/4) with an error that
 * grows about as the cube of the box width, so the grid takes as many boxes as its power-of-two FFT size holds
 * (never wider than 1). On random 2-D clouds of 2,000 points the gradient is within 1e-5 of the exact one at
 * extent 7, 0.1 % at extent 35, 1 % at extent 100 and 1.4 % at extent 200 — Barnes-Hut with θ = 0.5 is within
 * 1-2 % on the same clouds.
 *
 * <p>The convolution, the bulk of the work once the map has spread (at N = 70,000 the grid reaches 2048 × 2048),
 * is done with as little transforming and data movement as it allows:
 * <ul>
 *   <li>Four real charge grids are packed two per complex grid (K is real, so the real and imaginary parts stay
 *       apart).</li>
 *   <li>Of the zero-padded size × size grid only the m ≤ size/2 rows and columns that hold nodes carry data in
 *       and are read out, so every length-size transform is pruned to two of half the length
 *       ({@link #convolveColumns}), and only the m node rows are stored.</li>
 *   <li>The columns are transformed, multiplied by K's spectrum and transformed back block by block, with no
 *       transpose of the grid.</li>
 *   <li>K's spectrum, new every iteration while the node spacing changes, is real and even: only its distinct
 *       quarter is computed, with size/2 + 1 transforms in place of 2·size ({@link #evenSpectrum}).</li>
 * </ul>
 *
 * <p>Spreading runs in parallel over box rows, which share no nodes, with each grid cell summing its charges in
 * point order; the FFT rows and columns are independent: results are bitwise independent of the thread count.
 */
final class FftGradient implements Gradient {

    /** Lagrange nodes per box and dimension (FIt-SNE's default). */
    static final int NODES_PER_BOX = 3;
    /** At least this many boxes per dimension (FIt-SNE's default). */
    static final int MIN_BOXES = 50;
    /** Boxes per unit of embedding extent: box width at most 1 (FIt-SNE's default). */
    static final double BOXES_PER_UNIT = 1;

    private final Affinities.Sparse p;
    private final int n;
    private final Parallel parallel;
    private final double[] phi;            // [n, 4] potentials per point
    private final ThreadLocal<Worker> workers = new ThreadLocal<>();    // one per thread: no shared scratch

    /**
     * A thread's FFTs of length size and size/2 (JTransforms' plans keep scratch), its column-pass scratch, and
     * the twiddles e^(−2πi r / size), r &lt; size/2, as (cos, sin) pairs.
     */
    private record Worker(int size, DoubleFFT_1D fft, DoubleFFT_1D halfFft, double[] columns, double[] twiddles) {
    }

    FftGradient(Affinities.Sparse p, Parallel parallel) {
        this.p = p;
        this.n = p.n();
        this.parallel = parallel;
        this.phi = new double[n * 4];
    }

    @Override
    public double compute(double[] y, double exaggeration, double[] gradient) {
        potentials(y);
        double z = -n;
        for (int i = 0; i < n; i++) {
            double y0 = y[2 * i];
            double y1 = y[2 * i + 1];
            z += (1 + y0 * y0 + y1 * y1) * phi[4 * i] - 2 * (y0 * phi[4 * i + 1] + y1 * phi[4 * i + 2])
                    + phi[4 * i + 3];
        }
        double invZ = 1 / z;
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                gradient[2 * i] = -(y[2 * i] * phi[4 * i] - phi[4 * i + 1]) * invZ;
                gradient[2 * i + 1] = -(y[2 * i + 1] * phi[4 * i] - phi[4 * i + 2]) * invZ;
            }
            Attraction.add(p, y, 2, exaggeration, gradient, from, to);
        });
        return z;
    }

    /** Fills {@link #phi} with the four interpolated potentials of every point. */
    void potentials(double[] y) {
        // 1. The grid: a square of equal boxes over the bounding box, sized for fast FFTs.
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double extent = Math.max(max - min, 1e-9);
        int minBoxes = (int) Math.max(MIN_BOXES, Math.ceil(extent * BOXES_PER_UNIT));
        // FFT size per dimension: at least 2m − 1 for m nodes, so the circular convolution does not wrap onto
        // itself, and a power of two, which JTransforms transforms fastest. Then as many boxes as that size
        // holds: narrower boxes, a more accurate interpolation, same FFT cost. (Sizes of 2s, 3s and 5s between
        // the powers of two were tried: the boxes they hold are up to 1.7 times wider, and the gradient error,
        // which grows with the cube of the width, went from 1 % to 5 % at extent 100 — not worth the time.)
        int size = Integer.highestOneBit(2 * minBoxes * NODES_PER_BOX - 1) << 1;
        int boxes = Math.max(minBoxes, size / (2 * NODES_PER_BOX));
        double boxWidth = extent / boxes;
        int m = boxes * NODES_PER_BOX;         // nodes per dimension
        double spacing = boxWidth / NODES_PER_BOX;
        int stride = stride(size);             // complex values per grid row

        // 2. Lagrange weights and the first node of each point's box, per dimension.
        int[] node0 = new int[2 * n];
        double[] weight = new double[2 * n * NODES_PER_BOX];
        double origin = min;
        parallel.forRange(2 * n, (from, to) -> {
            for (int k = from; k < to; k++) {
                double t = (y[k] - origin) / boxWidth;
                int box = Math.min((int) t, boxes - 1);
                node0[k] = box * NODES_PER_BOX;
                lagrange(t - box, weight, k * NODES_PER_BOX);
            }
        });

        // The points by box row (x box), each row in index order: a stable counting sort. Boxes share no nodes,
        // so the points of different box rows write to different grid rows and can be spread in parallel, while
        // every grid cell still adds its charges in index order, whatever the number of threads.
        int[] rowStart = new int[boxes + 1];
        for (int i = 0; i < n; i++) {
            rowStart[node0[2 * i] / NODES_PER_BOX + 1]++;
        }
        for (int box = 0; box < boxes; box++) {
            rowStart[box + 1] += rowStart[box];
        }
        int[] order = new int[n];
        int[] next = java.util.Arrays.copyOf(rowStart, boxes);
        for (int i = 0; i < n; i++) {
            order[next[node0[2 * i] / NODES_PER_BOX]++] = i;
        }

        // 3. Spread the charges (1, y0 | y1, |y|²) onto two complex grids [m][size], row = x node, column = y node;
        //    columns m … size − 1 stay zero, the padding of the row transforms.
        double[] a = grid(0, m, size);
        double[] b = grid(1, m, size);
        parallel.forRange(boxes, (fromBox, toBox) -> {
            for (int e = rowStart[fromBox]; e < rowStart[toBox]; e++) {
                int i = order[e];
                double y0 = y[2 * i];
                double y1 = y[2 * i + 1];
                double r2 = y0 * y0 + y1 * y1;
                for (int u = 0; u < NODES_PER_BOX; u++) {
                    double wu = weight[(2 * i) * NODES_PER_BOX + u];
                    int row = (node0[2 * i] + u) * stride;
                    for (int v = 0; v < NODES_PER_BOX; v++) {
                        double w = wu * weight[(2 * i + 1) * NODES_PER_BOX + v];
                        int cell = 2 * (row + node0[2 * i + 1] + v);
                        a[cell] += w;
                        a[cell + 1] += w * y0;
                        b[cell] += w * y1;
                        b[cell + 1] += w * r2;
                    }
                }
            }
        });

        // 4. Convolve with the kernel by FFT: rows forward, then each column forward, times the kernel's spectrum,
        //    back; then rows back. Spectrum(K) is real because K is real and even.
        double[] kernel = kernelSpectrum(size, spacing);
        rows(a, size, m, true);
        rows(b, size, m, true);
        convolveColumns(a, b, size, m, kernel);
        rows(a, size, m, false);
        rows(b, size, m, false);

        // 5. Interpolate the node potentials back to the points.
        //    Box-row order, so that neighbouring points read neighbouring grid rows.
        parallel.forRange(n, (from, to) -> {
            for (int e = from; e < to; e++) {
                int i = order[e];
                double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
                for (int u = 0; u < NODES_PER_BOX; u++) {
                    double wu = weight[(2 * i) * NODES_PER_BOX + u];
                    int row = (node0[2 * i] + u) * stride;
                    for (int v = 0; v < NODES_PER_BOX; v++) {
                        double w = wu * weight[(2 * i + 1) * NODES_PER_BOX + v];
                        int cell = 2 * (row + node0[2 * i + 1] + v);
                        p0 += w * a[cell];
                        p1 += w * a[cell + 1];
                        p2 += w * b[cell];
                        p3 += w * b[cell + 1];
                    }
                }
                phi[4 * i] = p0;
                phi[4 * i + 1] = p1;
                phi[4 * i + 2] = p2;
                phi[4 * i + 3] = p3;
            }
        });
    }

    /** The four potentials of point i after {@link #potentials}: Σ_j w_ij² times 1, y_j,x, y_j,y, |y_j|². */
    double potential(int i, int c) {
        return phi[4 * i + c];
    }

    /**
     * The Lagrange basis on the nodes (k + ½)/3, k = 0, 1, 2, of a unit box, at t ∈ [0, 1]:
     * L_k(t) = Π_{l≠k} (t − x_l) / (x_k − x_l).
     */
    static void lagrange(double t, double[] out, int offset) {
        double x0 = 1.0 / 6;
        double x1 = 0.5;
        double x2 = 5.0 / 6;
        out[offset] = (t - x1) * (t - x2) / ((x0 - x1) * (x0 - x2));
        out[offset + 1] = (t - x0) * (t - x2) / ((x1 - x0) * (x1 - x2));
        out[offset + 2] = (t - x0) * (t - x1) / ((x2 - x0) * (x2 - x1));
    }

    private final double[][] grids = new double[2][];

    /**
     * Charge grid {@code which}, [m][size] complex with rows {@link #stride} apart, zeroed in the columns
     * 0 … size/2 − 1 the charges and the row transforms' padding use (see {@link #rows}): kept between iterations,
     * because at N = 70,000 a late grid is 1023 × 2048 complex (32 MB) and allocating two per iteration keeps the
     * collector busy. Only the m rows that hold nodes are stored: the zero-padded rows m … size − 1 exist only
     * inside the column pass.
     */
    private double[] grid(int which, int m, int size) {
        int length = 2 * m * stride(size);
        if (grids[which] == null || grids[which].length != length) {
            grids[which] = new double[length];
            return grids[which];
        }
        double[] g = grids[which];
        int stride = stride(size);
        parallel.forRange(m, (from, to) -> {
            for (int r = from; r < to; r++) {
                java.util.Arrays.fill(g, 2 * r * stride, 2 * r * stride + size, 0);
            }
        });
        return g;
    }

    private double[] cachedSpectrum;
    private int cachedSize;
    private double cachedSpacing;

    /**
     * The 2-D DFT of K on the node lattice, laid out circularly (offset dx at dx for dx ≥ 0, at size + dx for
     * dx &lt; 0), times the 1 / size² of the inverse FFT; reused while the grid size and node spacing stay the
     * same. K is real and even in both offsets, so its spectrum is too: only the quarter of frequencies
     * 0 … size/2 in each dimension is distinct, stored as [size/2 + 1][size/2 + 1] reals
     * (see {@link #fold}). The spacing changes every iteration while the map grows, so this is on the hot path.
     */
    private double[] kernelSpectrum(int size, double spacing) {
        if (cachedSpectrum == null || cachedSize != size || cachedSpacing != spacing) {
            cachedSpectrum = evenSpectrum(size, spacing);
            cachedSize = size;
            cachedSpacing = spacing;
        }
        return cachedSpectrum;
    }

    /**
     * The quarter spectrum of {@link #kernelSpectrum}, by rows then columns. The DFT of a real even sequence is
     * real (and even), so the complex FFT of one even sequence plus i times another returns the first's
     * transform in the real parts and the second's in the imaginary parts: two sequences per transform, and
     * only the size/2 + 1 distinct rows, then columns, need one. That is size/2 + 1 complex FFTs in all,
     * where a plain 2-D complex FFT of the circular grid takes 2·size.
     */
    private double[] evenSpectrum(int size, double spacing) {
        int half = size / 2;
        int q = half + 1;
        double scale = 1.0 / ((double) size * size);
        // Row pass: rows dx = 0 … half of K over all size circular column offsets.
        double[] rowSpectra = new double[q * q];                  // [dx][frequency v]
        parallel.forRange((q + 1) / 2, (from, to) -> {
            DoubleFFT_1D f = worker(size).fft();
            double[] buffer = new double[2 * size];
            for (int pair = from; pair < to; pair++) {
                int r0 = 2 * pair;
                int r1 = r0 + 1;
                double dx0 = r0 * spacing;
                double dx1 = r1 * spacing;
                for (int c = 0; c < size; c++) {
                    double dy = fold(c, size) * spacing;
                    buffer[2 * c] = kernel(dx0 * dx0 + dy * dy);
                    buffer[2 * c + 1] = r1 < q ? kernel(dx1 * dx1 + dy * dy) : 0;
                }
                f.complexForward(buffer);
                for (int v = 0; v < q; v++) {
                    rowSpectra[r0 * q + v] = buffer[2 * v];
                    if (r1 < q) {
                        rowSpectra[r1 * q + v] = buffer[2 * v + 1];
                    }
                }
            }
        });
        // Column pass: each column of the row spectra, again even (row dx equals row −dx), COLUMN_BLOCK / 2 pairs
        // of columns at a time, so that each row of the row spectra is read a cache line at a time rather than a
        // value. The result is stored transposed, [v][u], so that it is written contiguously too: as the column
        // pass of the convolution reads it, row v for grid columns of frequency v.
        double[] spectrum = new double[q * q];                    // [frequency v][frequency u]
        int pairs = (q + 1) / 2;
        int pairsPerBlock = COLUMN_BLOCK / 2;
        parallel.forRange((pairs + pairsPerBlock - 1) / pairsPerBlock, (from, to) -> {
            Worker worker = worker(size);
            DoubleFFT_1D f = worker.fft();
            double[] buffers = worker.columns();                 // COLUMN_BLOCK / 2 buffers of size complex
            int stride = stride(size);
            for (int block = from; block < to; block++) {
                int firstPair = block * pairsPerBlock;
                int blockPairs = Math.min(pairsPerBlock, pairs - firstPair);
                for (int r = 0; r < size; r++) {
                    int row = fold(r, size) * q;
                    for (int j = 0; j < blockPairs; j++) {
                        int v0 = 2 * (firstPair + j);
                        int buffer = 2 * (j * stride + r);
                        buffers[buffer] = rowSpectra[row + v0];
                        buffers[buffer + 1] = v0 + 1 < q ? rowSpectra[row + v0 + 1] : 0;
                    }
                }
                for (int j = 0; j < blockPairs; j++) {
                    int v0 = 2 * (firstPair + j);
                    int buffer = 2 * j * stride;
                    f.complexForward(buffers, buffer);
                    for (int u = 0; u < q; u++) {
                        spectrum[v0 * q + u] = buffers[buffer + 2 * u] * scale;
                        if (v0 + 1 < q) {
                            spectrum[(v0 + 1) * q + u] = buffers[buffer + 2 * u + 1] * scale;
                        }
                    }
                }
            }
        });
        return spectrum;
    }

    /** K = 1 / (1 + r²)² at squared distance r². */
    private static double kernel(double r2) {
        double w = 1 / (1 + r2);
        return w * w;
    }

    /** Circular index k of a grid of the given size as |offset|: k for k ≤ size/2, size − k above. */
    private static int fold(int k, int size) {
        return k <= size / 2 ? k : size - k;
    }

    /** This thread's worker for FFTs of the given length. */
    private Worker worker(int size) {
        Worker w = workers.get();
        if (w == null || w.size() != size) {
            double[] twiddles = new double[size];
            for (int r = 0; r < size / 2; r++) {
                double angle = 2 * Math.PI * r / size;
                twiddles[2 * r] = Math.cos(angle);
                twiddles[2 * r + 1] = Math.sin(angle);
            }
            w = new Worker(size, new DoubleFFT_1D(size), new DoubleFFT_1D(size / 2),
                    new double[2 * COLUMN_BLOCK * stride(size)], twiddles);
            workers.set(w);
        }
        return w;
    }

    /**
     * In-place FFTs (forward, or inverse unnormalised) of the m rows of a [m][size] complex grid, pruned as the
     * columns are (see {@link #convolveColumns}): a row holds m ≤ size/2 values, so forward it becomes the two
     * half-length transforms of x and x_r w^r, the even frequencies stored in columns 0 … size/2 − 1 and the odd
     * ones in size/2 … size − 1 (the column pass knows this order); inverse it goes back to the first m values,
     * all the interpolation reads. So only columns 0 … size/2 − 1 need to be zero before the charges are spread.
     */
    private void rows(double[] grid, int size, int m, boolean forward) {
        int stride = stride(size);
        int half = size / 2;
        parallel.forRange(m, (from, to) -> {
            Worker worker = worker(size);
            DoubleFFT_1D f = worker.halfFft();
            double[] twiddles = worker.twiddles();
            for (int r = from; r < to; r++) {
                int even = 2 * r * stride;
                int odd = even + size;
                if (forward) {
                    for (int c = 0; c < m; c++) {
                        double re = grid[even + 2 * c];
                        double im = grid[even + 2 * c + 1];
                        grid[odd + 2 * c] = re * twiddles[2 * c] + im * twiddles[2 * c + 1];
                        grid[odd + 2 * c + 1] = im * twiddles[2 * c] - re * twiddles[2 * c + 1];
                    }
                    java.util.Arrays.fill(grid, odd + 2 * m, odd + 2 * half, 0);
                    f.complexForward(grid, even);
                    f.complexForward(grid, odd);
                } else {
                    f.complexInverse(grid, even, false);
                    f.complexInverse(grid, odd, false);
                    for (int c = 0; c < m; c++) {
                        double re = grid[odd + 2 * c];
                        double im = grid[odd + 2 * c + 1];
                        grid[even + 2 * c] += re * twiddles[2 * c] - im * twiddles[2 * c + 1];
                        grid[even + 2 * c + 1] += im * twiddles[2 * c] + re * twiddles[2 * c + 1];
                    }
                }
            }
        });
    }

    /**
     * Complex values per row of a charge grid or column of the column-pass scratch: the size, plus one cache line.
     * Rows of a power-of-two length would put a column's values at addresses a power of two apart, all in the same
     * few cache sets, evicting one another while a block of columns is gathered or written back.
     */
    static int stride(int size) {
        return size + ROW_PAD;
    }

    /** Padding of {@link #stride}: 4 complex values, 64 bytes. */
    static final int ROW_PAD = 4;

    /** Columns gathered together in the column pass: 8 complex values, two cache lines, per grid row read. */
    static final int COLUMN_BLOCK = 8;

    /**
     * The column half of the 2-D convolution, on both grids: each column is transformed, multiplied by its column
     * of the kernel's spectrum, transformed back, and its first m values, the only ones the interpolation reads,
     * are written back. A block of columns is copied into contiguous scratch first: a column of the grid is
     * strided by a whole row, and reading it element by element would miss the cache on each. (Transposing the
     * whole grid twice, as a textbook 2-D FFT does, moves twice the data, and the product with the spectrum would
     * be one more pass over it.)
     *
     * <p>A column holds m ≤ size/2 values and zero padding, and only its first m values are wanted back, so its
     * length-size transforms are pruned to half-length ones (decimation in frequency): with w = e^(−2πi/size),
     * <pre>
     *   X[2k] = FFT_{size/2}(x)[k],   X[2k+1] = FFT_{size/2}(x_r w^r)[k],
     *   x_r   = IFFT_{size/2}(X[2k])[r] + w^(−r) IFFT_{size/2}(X[2k+1])[r]      (r &lt; size/2, unnormalised)
     * </pre>
     * — the padding beyond size/2 is never written, nor transformed.
     */
    private void convolveColumns(double[] a, double[] b, int size, int m, double[] kernel) {
        int q = size / 2 + 1;
        int half = size / 2;
        int blocks = (size + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        int stride = stride(size);
        parallel.forRange(blocks, (from, to) -> {
            Worker worker = worker(size);
            DoubleFFT_1D f = worker.halfFft();
            double[] columns = worker.columns();
            double[] twiddles = worker.twiddles();
            for (int block = from; block < to; block++) {
                int c0 = block * COLUMN_BLOCK;
                int width = Math.min(COLUMN_BLOCK, size - c0);
                for (double[] grid : new double[][] {a, b}) {
                    // Column j of the block: x at 2·j·stride, x_r w^r size/2 complex values later.
                    for (int r = 0; r < m; r++) {
                        int cell = 2 * (r * stride + c0);
                        double cos = twiddles[2 * r];
                        double sin = twiddles[2 * r + 1];
                        for (int j = 0; j < width; j++) {
                            double re = grid[cell + 2 * j];
                            double im = grid[cell + 2 * j + 1];
                            int even = 2 * (j * stride + r);
                            columns[even] = re;
                            columns[even + 1] = im;
                            columns[even + size] = re * cos + im * sin;
                            columns[even + size + 1] = im * cos - re * sin;
                        }
                    }
                    for (int j = 0; j < width; j++) {
                        int even = 2 * j * stride;
                        int odd = even + size;
                        java.util.Arrays.fill(columns, even + 2 * m, even + size, 0);
                        java.util.Arrays.fill(columns, odd + 2 * m, odd + size, 0);
                        f.complexForward(columns, even);
                        f.complexForward(columns, odd);
                        // Grid column c holds row frequency v = 2c (c < size/2) or 2(c − size/2) + 1 (see rows);
                        // its spectrum values are row v of the quarter, contiguous.
                        int c = c0 + j;
                        int kernelRow = fold(c < half ? 2 * c : 2 * (c - half) + 1, size) * q;
                        for (int k = 0; k < half; k++) {
                            double ke = kernel[kernelRow + fold(2 * k, size)];
                            double ko = kernel[kernelRow + fold(2 * k + 1, size)];
                            columns[even + 2 * k] *= ke;
                            columns[even + 2 * k + 1] *= ke;
                            columns[odd + 2 * k] *= ko;
                            columns[odd + 2 * k + 1] *= ko;
                        }
                        f.complexInverse(columns, even, false);
                        f.complexInverse(columns, odd, false);
                    }
                    for (int r = 0; r < m; r++) {
                        int cell = 2 * (r * stride + c0);
                        double cos = twiddles[2 * r];
                        double sin = twiddles[2 * r + 1];
                        for (int j = 0; j < width; j++) {
                            int even = 2 * (j * stride + r);
                            double re = columns[even + size];
                            double im = columns[even + size + 1];
                            grid[cell + 2 * j] = columns[even] + re * cos - im * sin;
                            grid[cell + 2 * j + 1] = columns[even + 1] + im * cos + re * sin;
                        }
                    }
                }
            }
        });
    }

    @Override
    public double klDivergence(double[] y, double z) {
        return Attraction.klDivergence(p, y, 2, z, parallel);
    }
}
