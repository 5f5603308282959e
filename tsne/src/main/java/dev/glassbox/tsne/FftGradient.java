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
 * <p>Four real charge grids are packed two per complex grid (K is real, so the real and imaginary parts stay
 * apart). Spreading is sequential and the FFT rows are independent, so results are thread-count independent.
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
    private final ThreadLocal<SizedFft> fft = new ThreadLocal<>();     // one per worker: no shared scratch

    private record SizedFft(int size, DoubleFFT_1D fft) {
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

        // 2. Lagrange weights and the first node of each point's box, per dimension.
        int[] node0 = new int[2 * n];
        double[] weight = new double[2 * n * NODES_PER_BOX];
        for (int k = 0; k < 2 * n; k++) {
            double t = (y[k] - min) / boxWidth;
            int box = Math.min((int) t, boxes - 1);
            node0[k] = box * NODES_PER_BOX;
            lagrange(t - box, weight, k * NODES_PER_BOX);
        }

        // 3. Spread the charges (1, y0 | y1, |y|²) onto two complex grids [size][size], row = x node.
        double[] a = grid(0, size);
        double[] b = grid(1, size);
        for (int i = 0; i < n; i++) {
            double y0 = y[2 * i];
            double y1 = y[2 * i + 1];
            double r2 = y0 * y0 + y1 * y1;
            for (int u = 0; u < NODES_PER_BOX; u++) {
                double wu = weight[(2 * i) * NODES_PER_BOX + u];
                int row = (node0[2 * i] + u) * size;
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

        // 4. Convolve with the kernel by FFT: spectrum(K) is real because K is real and even, and symmetric in
        //    its two frequencies, so the transposed layout the forward transform leaves needs no care.
        double[] kernel = kernelSpectrum(size, spacing);
        fft2(a, size, m, true);
        fft2(b, size, m, true);
        int q = size / 2 + 1;
        parallel.forRange(size, (from, to) -> {
            for (int r = from; r < to; r++) {
                int kernelRow = fold(r, size) * q;
                for (int c = 0; c < size; c++) {
                    double k = kernel[kernelRow + fold(c, size)];
                    int cell = 2 * (r * size + c);
                    a[cell] *= k;
                    a[cell + 1] *= k;
                    b[cell] *= k;
                    b[cell + 1] *= k;
                }
            }
        });
        fft2(a, size, m, false);
        fft2(b, size, m, false);

        // 5. Interpolate the node potentials back to the points.
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
                for (int u = 0; u < NODES_PER_BOX; u++) {
                    double wu = weight[(2 * i) * NODES_PER_BOX + u];
                    int row = (node0[2 * i] + u) * size;
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
     * Charge grid {@code which} for this size, zeroed: kept between iterations, because at N = 10,000 a late
     * grid is 1024 × 1024 complex (16 MB) and allocating two per iteration keeps the collector busy.
     */
    private double[] grid(int which, int size) {
        double[] g = grids[which];
        if (g == null || g.length != size * size * 2) {
            g = new double[size * size * 2];
            grids[which] = g;
        } else {
            java.util.Arrays.fill(g, 0);
        }
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
            DoubleFFT_1D f = rowFft(size);
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
        // Column pass: each column of the row spectra, again even (row dx equals row −dx).
        double[] spectrum = new double[q * q];                    // [frequency u][frequency v]
        parallel.forRange((q + 1) / 2, (from, to) -> {
            DoubleFFT_1D f = rowFft(size);
            double[] buffer = new double[2 * size];
            for (int pair = from; pair < to; pair++) {
                int v0 = 2 * pair;
                int v1 = v0 + 1;
                for (int r = 0; r < size; r++) {
                    int row = fold(r, size) * q;
                    buffer[2 * r] = rowSpectra[row + v0];
                    buffer[2 * r + 1] = v1 < q ? rowSpectra[row + v1] : 0;
                }
                f.complexForward(buffer);
                for (int u = 0; u < q; u++) {
                    spectrum[u * q + v0] = buffer[2 * u] * scale;
                    if (v1 < q) {
                        spectrum[u * q + v1] = buffer[2 * u + 1] * scale;
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

    /** This thread's FFT of the given length (JTransforms' plans keep scratch, so one per worker). */
    private DoubleFFT_1D rowFft(int size) {
        SizedFft sized = fft.get();
        if (sized == null || sized.size() != size) {
            sized = new SizedFft(size, new DoubleFFT_1D(size));
            fft.set(sized);
        }
        return sized.fft();
    }

    /**
     * In-place 2-D complex FFT of a [size][size] interleaved grid by rows, a transpose, and rows again.
     * Forward leaves the spectrum transposed and inverse (unnormalised) undoes exactly that, so a pointwise
     * product in between needs no transposes back. Only the first {@code usedRows} rows of the spatial grid
     * are non-zero (forward) or needed (inverse), so only those are transformed in the spatial-side pass.
     */
    private void fft2(double[] grid, int size, int usedRows, boolean forward) {
        if (forward) {
            rows(grid, size, 0, usedRows, true);
            transpose(grid, size);
            rows(grid, size, 0, size, true);
        } else {
            rows(grid, size, 0, size, false);
            transpose(grid, size);
            rows(grid, size, 0, usedRows, false);
        }
    }

    private void rows(double[] grid, int size, int first, int count, boolean forward) {
        parallel.forRange(count, (from, to) -> {
            DoubleFFT_1D f = rowFft(size);
            for (int r = first + from; r < first + to; r++) {
                if (forward) {
                    f.complexForward(grid, 2 * r * size);
                } else {
                    f.complexInverse(grid, 2 * r * size, false);
                }
            }
        });
    }

    /** Tile side of the transpose: two 32 × 32 complex tiles (32 KB) stay in L1 while they swap. */
    private static final int TILE = 32;

    /**
     * In-place transpose of a [size][size] complex grid, tile pair by tile pair: a plain row-by-column swap
     * walks one side with a stride of a whole row and misses the cache on every element once rows are long.
     * Each thread owns whole tile rows (the tiles on and right of the diagonal), so no element is swapped twice.
     */
    private void transpose(double[] grid, int size) {
        int tiles = (size + TILE - 1) / TILE;
        parallel.forRange(tiles, (from, to) -> {
            for (int tr = from; tr < to; tr++) {
                int r0 = tr * TILE;
                int r1 = Math.min(r0 + TILE, size);
                for (int c0 = r0; c0 < size; c0 += TILE) {
                    int c1 = Math.min(c0 + TILE, size);
                    for (int r = r0; r < r1; r++) {
                        for (int c = Math.max(c0, r + 1); c < c1; c++) {
                            int x = 2 * (r * size + c);
                            int t = 2 * (c * size + r);
                            double re = grid[x];
                            double im = grid[x + 1];
                            grid[x] = grid[t];
                            grid[x + 1] = grid[t + 1];
                            grid[t] = re;
                            grid[t + 1] = im;
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
