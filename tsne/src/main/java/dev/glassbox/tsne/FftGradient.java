package dev.glassbox.tsne;

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
 * <p>The box width is rounded up to a ladder of steps 0.14 % apart ({@link #ladderWidth}): K's spectrum depends
 * on it, and late in a run, when the map grows slowly, it is then reused for several iterations. (Steps of 1.1 %
 * made a Fashion-MNIST run of 70,000 points 75 s instead of 92 s, but led the 10,000-point run to another
 * optimum, KL (exact P) 1.664, beyond the 1.65 the project asks for; with 0.14 %: 84.4 s and 1.628.)
 *
 * <p>The convolution, the bulk of the work once the map has spread (at N = 70,000 the grid reaches 2048 × 2048),
 * is {@link LatticeConvolution}'s: the four real charge grids packed two per complex grid (K is real, so the real
 * and imaginary parts stay apart), transformed by our own FFT ({@link LaneFft}), which does eight sequences side
 * by side so that every butterfly is element-wise over whole rows (vector operations with the Vector API), with
 * pruned transforms that never transform the zero padding, and K's spectrum computed with the same transforms.
 * (Before, JTransforms did it one sequence at a time, in scalar code: a late iteration at N = 70,000, grid
 * 2048², took about 2.4 times as long on one thread, and the 1,000 gradients of a Fashion-MNIST run 1.9 times as
 * long on two, 143.6 s against 75.0 s.)
 *
 * <p>Spreading runs in parallel over box rows, which share no nodes, the points sorted box by box and each grid
 * cell summing its charges in point order; the transforms' batches are independent: results are bitwise
 * independent of the thread count.
 */
final class FftGradient implements Gradient {

    /** Lagrange nodes per box and dimension (FIt-SNE's default). */
    static final int NODES_PER_BOX = 3;
    /** At least this many boxes per dimension (FIt-SNE's default). */
    static final int MIN_BOXES = 50;
    /** Boxes per unit of embedding extent: box width at most 1 (FIt-SNE's default). */
    static final double BOXES_PER_UNIT = 1;

    private final Attraction attraction;    // the sparse half, over P's non-zeros
    private final int n;
    private final Parallel parallel;
    private final double[] phi;            // [n, 4] potentials per point
    // Per-iteration scratch, kept between iterations: at N = 70,000 some 5 MB, whose allocation and zeroing
    // took a few of the 8-14 ms that setting up and spreading the charges takes on one thread.
    private final int[] node0;             // [n, 2] first node of each point's box, per dimension
    private final double[] weight;         // [n, 2, NODES_PER_BOX] Lagrange weights
    private final int[] order;             // the points, box by box
    private int[] boxStart = new int[0];   // [boxes² + 1] where each box's points start in order
    private int[] next = new int[0];       // counting sort's cursors
    private final LatticeConvolution convolution;

    FftGradient(Affinities.Sparse p, Parallel parallel) {
        this.attraction = new Attraction(p, 2);
        this.n = p.n();
        this.parallel = parallel;
        this.phi = new double[n * 4];
        this.node0 = new int[2 * n];
        this.weight = new double[2 * n * NODES_PER_BOX];
        this.order = new int[n];
        this.convolution = new LatticeConvolution(parallel);
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
            attraction.add(y, exaggeration, gradient, from, to);
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
        // itself, and a power of two, which our radix-2 FFT needs. Then as many boxes as that size holds:
        // narrower boxes, a more accurate interpolation, same FFT cost. (Sizes of 2s, 3s and 5s between the
        // powers of two were tried: the boxes they hold are up to 1.7 times wider, and the gradient error, which
        // grows with the cube of the width, went from 1 % to 5 % at extent 100 — not worth the time.)
        int size = Integer.highestOneBit(2 * minBoxes * NODES_PER_BOX - 1) << 1;
        int boxes = Math.max(minBoxes, size / (2 * NODES_PER_BOX));
        double boxWidth = ladderWidth(extent / boxes);
        int m = boxes * NODES_PER_BOX;         // nodes per dimension
        double spacing = boxWidth / NODES_PER_BOX;

        // 2. Lagrange weights and the first node of each point's box, per dimension.
        double origin = min;
        parallel.forRange(2 * n, (from, to) -> {
            for (int k = from; k < to; k++) {
                double t = (y[k] - origin) / boxWidth;
                int box = Math.min((int) t, boxes - 1);
                node0[k] = box * NODES_PER_BOX;
                lagrange(t - box, weight, k * NODES_PER_BOX);
            }
        });

        // The points box by box, box rows (x) outside, each box in index order: a stable counting sort. Boxes
        // share no nodes, so the points of different box rows write to different grid rows and can be spread in
        // parallel, while every grid cell still adds its charges in index order, whatever the number of threads;
        // and consecutive points mostly share their nine nodes, which stay in cache between them.
        if (boxStart.length != boxes * boxes + 1) {
            boxStart = new int[boxes * boxes + 1];
            next = new int[boxes * boxes];
        } else {
            java.util.Arrays.fill(boxStart, 0);
        }
        int[] boxStart = this.boxStart;
        for (int i = 0; i < n; i++) {
            boxStart[box(node0, i, boxes) + 1]++;
        }
        for (int box = 0; box < boxes * boxes; box++) {
            boxStart[box + 1] += boxStart[box];
        }
        System.arraycopy(boxStart, 0, next, 0, boxes * boxes);
        for (int i = 0; i < n; i++) {
            order[next[box(node0, i, boxes)]++] = i;
        }

        // 3. Spread the charges 1, y0, y1, |y|² onto the four charge grids, row = x node, column = y node.
        convolution.reset(size, m);
        double[] q0 = convolution.plane(0);
        double[] q1 = convolution.plane(1);
        double[] q2 = convolution.plane(2);
        double[] q3 = convolution.plane(3);
        LatticeConvolution lattice = convolution;
        parallel.forRange(boxes, (fromBox, toBox) -> {
            for (int e = boxStart[fromBox * boxes]; e < boxStart[toBox * boxes]; e++) {
                int i = order[e];
                double y0 = y[2 * i];
                double y1 = y[2 * i + 1];
                double r2 = y0 * y0 + y1 * y1;
                for (int u = 0; u < NODES_PER_BOX; u++) {
                    double wu = weight[(2 * i) * NODES_PER_BOX + u];
                    for (int v = 0; v < NODES_PER_BOX; v++) {
                        double w = wu * weight[(2 * i + 1) * NODES_PER_BOX + v];
                        int cell = lattice.index(node0[2 * i] + u, node0[2 * i + 1] + v);
                        q0[cell] += w;
                        q1[cell] += w * y0;
                        q2[cell] += w * y1;
                        q3[cell] += w * r2;
                    }
                }
            }
        });

        // 4. Convolve with the kernel.
        convolution.convolve(spacing);

        // 5. Interpolate the node potentials back to the points.
        //    Box order, so that consecutive points read the same nodes.
        parallel.forRange(n, (from, to) -> {
            for (int e = from; e < to; e++) {
                int i = order[e];
                double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
                for (int u = 0; u < NODES_PER_BOX; u++) {
                    double wu = weight[(2 * i) * NODES_PER_BOX + u];
                    for (int v = 0; v < NODES_PER_BOX; v++) {
                        double w = wu * weight[(2 * i + 1) * NODES_PER_BOX + v];
                        int cell = lattice.index(node0[2 * i] + u, node0[2 * i + 1] + v);
                        p0 += w * q0[cell];
                        p1 += w * q1[cell];
                        p2 += w * q2[cell];
                        p3 += w * q3[cell];
                    }
                }
                phi[4 * i] = p0;
                phi[4 * i + 1] = p1;
                phi[4 * i + 2] = p2;
                phi[4 * i + 3] = p3;
            }
        });
    }

    /** Box widths are rounded up to a power of 2^(1/WIDTH_STEPS): see {@link #ladderWidth}. */
    static final int WIDTH_STEPS = 512;

    /**
     * The box width for a grid of boxes just covering the map, {@code width}, rounded up to the next power of
     * 2^(1/{@value #WIDTH_STEPS}) (0.14 % apart), unless that would make it wider than 1 / {@link #BOXES_PER_UNIT}.
     * The kernel's spectrum depends on the width and is as costly to compute as a tenth of an iteration at
     * N = 70,000; late in a run the map grows by less than that per iteration, so with the width on this ladder
     * the spectrum is reused for several iterations, for boxes at most 0.14 % wider (an interpolation error at
     * most about 0.4 % larger). StrictMath: the same width on every run.
     */
    static double ladderWidth(double width) {
        double steps = Math.ceil(StrictMath.log(width) / StrictMath.log(2) * WIDTH_STEPS);
        double rounded = StrictMath.pow(2, steps / WIDTH_STEPS);
        if (rounded < width) {                       // log rounded down across a step
            rounded = StrictMath.pow(2, (steps + 1) / WIDTH_STEPS);
        }
        return rounded > 1 / BOXES_PER_UNIT && width <= 1 / BOXES_PER_UNIT ? width : rounded;
    }

    /** Point i's box, numbered x box · boxes + y box, from the first nodes of its box. */
    private static int box(int[] node0, int i, int boxes) {
        return node0[2 * i] / NODES_PER_BOX * boxes + node0[2 * i + 1] / NODES_PER_BOX;
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

    @Override
    public double klDivergence(double[] y, double z) {
        return attraction.klDivergence(y, z, parallel);
    }
}
