package dev.glassbox.engine.kernels;

/**
 * The classic packed GEMM (Goto and van de Geijn, "Anatomy of High-Performance Matrix Multiplication", 2008, as
 * in BLIS and OpenBLAS), with the innermost micro-kernel left to subclasses.
 *
 * <p><b>Why blocking.</b> A naive triple loop streams whole rows of B through the cache for every row of A, so it
 * is bound by memory bandwidth. Here C is computed in {@code mr × nr} tiles whose accumulators live in registers
 * for a whole run of {@code kc} multiply-adds, and the operands are cut into blocks that stay in cache while they
 * are reused:
 * <pre>
 * for jc in n step NC                 a column block of B and C
 *   for pc in k step KC               pack op(B)[pc:pc+KC, jc:jc+NC] into kc × nr panels (L2, or L3 when deep)
 *     for ic in m step MC             pack op(A)[ic:ic+MC, pc:pc+KC] into mr × kc panels
 *       for ir in MC step mr          one mr × kc panel of A (lives in L1 during the next loop)
 *         for jr in NC step nr        micro-kernel: C[ir:ir+mr, jr:jr+nr] += A panel · B panel (B streaming)
 * </pre>
 * KC here is the depth of a k-block, which follows the product's rows ({@link #blockDepth}): C is read and
 * written once a block, so a tall C, which lies in L3, gets deeper blocks.
 * <b>Which panel stays in L1.</b> The micro-kernel reads, per k index, {@code mr} broadcast values of A and
 * {@code nr} values of B. With {@link VectorSgemm}'s tiles the B panel is the wide one (32 floats a k index
 * against 12), so the small A panel (12 × 512 floats, 24 KB) is kept in L1 and the B panels stream from L2,
 * whose hardware prefetcher follows them. The other order (BLIS's, where the micro-kernel's broadcast operand is
 * the one streamed) kept a 32 KB B panel in L1 beside the streaming A panels, 44 KB of a 48 KB L1, and was
 * slower: measured, both orders alternating in one JVM with each timing paired with an FMA-peak slice (AVX-512,
 * 48 KB L1, 2 MB L2), 1024³ on one thread 0.672 → 0.698 of the peak, 512³ on two 0.716 → 0.771, the seed CNN's
 * conv1 product 0.367 → 0.407 and its conv2 weight gradient 0.385 → 0.416, conv2 and fc1 unchanged. The order of
 * these two loops does not change any element's sums, so the product is bit for bit the same.
 * <b>Why packing.</b> Copying each block into the order the micro-kernel reads it makes every load a short,
 * fixed step from the last, whatever the transposes, offsets and leading dimensions of the caller; and padding the
 * last panels with zeros lets the micro-kernel always run full tiles, so edge tiles differ only in how much they
 * store. A B panel holds the {@code nr} values of each k index side by side (the kernel loads them as vectors); an
 * A panel holds its {@code mr} rows one after another, {@code kc} floats apart (the kernel broadcasts its values
 * one at a time; {@link #packA} says why rows).
 * <b>When B is not packed.</b> A packed B value is used once for every row panel of A; with few rows (at most
 * {@link #DIRECT_B_MAX_ROWS} in a thread's part of C) that is a handful of uses, and copying B cost as much as
 * they did. So a B stored row by row is then read where it lies: the kernel takes each k index's {@code nr}
 * values {@code ldb} floats after the last instead of {@code nr} (only a narrower last panel is still packed, for
 * its zeros). Measured on the AMD EPYC, both ways alternating, each GEMM paired with an FMA-peak slice: the seed
 * CNN's conv1 product (20 × 36864 × 25) 0.35–0.38 → 0.47–0.48 of the peak on one thread and 0.28–0.31 → 0.37–0.38
 * on two, conv2's (50 × 4096 × 500) 0.52–0.54 → 0.57–0.65 on one, 64³ 0.58–0.59 → 0.63–0.65, 128³ 0.77–0.78 → 0.82,
 * 256³ 0.84–0.86 → 0.89; 512³ and 1024³ unchanged. With every product read that way, 1024³ fell from 0.83 to 0.68
 * (its B rows 4 KB apart share a handful of L1 sets, and each packed panel serves 85 row panels), hence the
 * limit. The same values are multiplied in the same order, so the product is the same to the bit.
 *
 * <p><b>Alpha and beta.</b> The micro-kernel only sums products into a tile buffer; {@link #storeTile} then writes
 * {@code alpha · sum + beta · C} for the first k-block (without reading C when beta is 0) and
 * {@code alpha · sum + C} for the later ones, with one fused multiply-add per element.
 *
 * <p><b>Threads and determinism.</b> Large products are split over output tiles only, by fixed ranges of column
 * panels (or of row panels when C has more of those), and each thread runs the whole loop nest above on its own
 * part with its own packing buffers. Products large both ways ({@link #SHARED_B_MIN_SIZE}) instead pack each
 * k-block of B once, shared out among the threads, and split the rows ({@link #multiplySharingB}). Every element
 * of C then sees the same k-blocks in the same order whatever the split, so results are bitwise identical for any
 * thread count. k is never split.
 */
abstract class PackedSgemm implements Sgemm {

    /** Below this many multiply-adds ({@code m·n·k}) a second thread costs more than it saves. */
    static final long PARALLEL_MIN_WORK = 1L << 21;

    /**
     * Up to this many rows of C (of one thread's part), a B stored row by row is read where it lies instead of
     * packed: see "When B is not packed" in the class comment.
     */
    static final int DIRECT_B_MAX_ROWS = 256;

    /** The deepest k-block of a product with at most {@link #DIRECT_B_MAX_ROWS} rows: see {@link #blockDepth}. */
    static final int SHALLOW_DEPTH = 256;

    /** A B whose rows lie a multiple of this many floats apart is packed after all: see {@link #bRowsCollide}. */
    static final int ALIASING_LDB = 4096;

    /** Row panels of A from which such a B is packed: see {@link #bRowsCollide}. */
    static final int ALIASING_MIN_PANELS = 5;

    /**
     * Products with at least this many rows and columns share B's packed blocks between threads
     * ({@link #multiplySharingB}). Measured on the AMD EPYC (Zen 5, 2 threads, each against the FMA peak timed
     * beside it, four runs each way alternating): 1024³ 0.825–0.840 → 0.841–0.858 of the peak, 512³ 0.823–0.850 →
     * 0.825–0.859. Smaller products (a small CNN's, whose A has 20 to 64 rows) keep the column split: their A costs
     * little to pack twice, and a k-block's two hand-overs would cost more than they save.
     */
    static final int SHARED_B_MIN_SIZE = 512;

    /**
     * Fewest rows or columns of C worth a thread. A thread that owns a strip of C must pack the whole of the other
     * operand for itself, and packing moves each element through memory at a cost of several FMAs (even with the
     * vector copies and gathers of {@link VectorSgemm}); each packed element must be reused this many times before
     * the copy pays (the long, narrow weight gradients of a small CNN would otherwise get slower on two threads).
     */
    static final int PARALLEL_MIN_STRIP = 64;

    /**
     * {@code A · Bᵀ} with {@code k >= 256}, {@code m <= 64} and {@code n < 32} may be computed as plain dot
     * products by {@link #multiplyLongReduction}. Measured on AVX-512 (a 6 × 32 tile): there, the narrow C of
     * fc2 (64 × 10 × 500) and of conv1's weight gradient (20 × 25 × 36864) ran twice as fast as dot products,
     * while 32 × 32 and 64 × 64 outputs stayed faster packed.
     */
    static final int LONG_REDUCTION_MIN_K = 256;
    static final int LONG_REDUCTION_MAX_M = 64;
    static final int LONG_REDUCTION_MAX_N = 31;

    private final int mr;
    private final int nr;
    private final int mc;
    private final int kc;
    private final int nc;
    private final ThreadLocal<PackingBuffers> buffers = ThreadLocal.withInitial(PackingBuffers::new);

    /**
     * @param mr rows of a register tile        @param nr columns of a register tile
     * @param mc rows of a packed A block (a multiple of mr)
     * @param kc depth of a k-block              @param nc columns of a packed B block (a multiple of nr)
     */
    PackedSgemm(int mr, int nr, int mc, int kc, int nc) {
        if (mc % mr != 0 || nc % nr != 0) {
            throw new IllegalArgumentException("block sizes must be multiples of the tile: mc=" + mc + " mr=" + mr
                    + " nc=" + nc + " nr=" + nr);
        }
        this.mr = mr;
        this.nr = nr;
        this.mc = mc;
        this.kc = kc;
        this.nc = nc;
    }

    /**
     * Computes one register tile, {@code tile[r · nr + j] = Σ_l aPack[aIndex + r · KC + l] · bPack[bIndex + l ·
     * bStride + j]} over {@code kc} values of l, into {@code tile} (modified; {@code mr · nr} floats, row-major), where
     * KC is the block depth given to the constructor (the A panels' rows are that far apart whatever this block's
     * depth: see {@link #packA}) and {@code bStride} is {@code nr} for a packed B panel, B's {@code ldb} for a B read
     * where it lies. Only this loop runs the hot FMAs; keeping it free of branches on alpha, beta and tile edges
     * keeps the JIT from recompiling it when a rare case first shows up.
     */
    abstract void microKernel(int kc, float[] aPack, int aIndex, float[] bPack, int bIndex, int bStride, float[] tile);

    /**
     * {@link #microKernel} for a last panel of A with only {@code rows} (fewer than {@code mr}) real rows: only
     * the tile's first {@code rows} rows are read afterwards, so an implementation may compute fewer (the rows past
     * {@code rows} are zero in the panel). Each computed element must get the same FMAs in the same order as in
     * {@code microKernel}, so the product stays bitwise the same.
     */
    void microKernelLastRows(int rows, int kc, float[] aPack, int aIndex, float[] bPack, int bIndex, int bStride,
                             float[] tile) {
        microKernel(kc, aPack, aIndex, bPack, bIndex, bStride, tile);
    }

    /**
     * Optionally computes {@code C = alpha · A · Bᵀ + beta · C} (A stored m × k, B stored n × k, both with k
     * contiguous) for a narrow C and a long k without packing; returns false to use the packed path. Packing
     * copies both operands, each packed value would be used only m or n times, and a narrow C would fill only
     * part of each register tile.
     * The choice depends on the shape only, never on the thread count.
     */
    boolean multiplyLongReduction(int m, int n, int k, float alpha, float[] a, int aOffset, int lda,
                                  float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        return false;
    }

    /**
     * Optionally packs one whole transposed B panel, {@code pack[base + l·nr + q] = src[from + q·ld + l]} for
     * q &lt; nr and l &lt; length, faster than {@link #interleave}; returns false to leave it to interleave.
     * (The weight gradient of a convolution packs its whole column matrix this way, once per product.)
     */
    boolean packTransposedPanel(float[] src, int from, int ld, int length, float[] pack, int base) {
        return false;
    }

    /**
     * Optionally packs one whole B panel read row by row, {@code pack[base + l·nr + q] = src[from + l·ld + q]} for
     * q &lt; nr and l &lt; length, faster than a copy call per row; returns false to leave it to those copies.
     * (The im2col matrix of a convolution's forward pass is packed this way.)
     */
    boolean packPanel(float[] src, int from, int ld, int length, float[] pack, int base) {
        return false;
    }

    /**
     * {@code C[r, j] = alpha · tile[r · nr + j] + beta · C[r, j]} for {@code r < rows, j < cols}, with one
     * rounding per element (a fused multiply-add). With beta 0 C is not read; beta 1 uses C as it is. Subclasses
     * may vectorise full tiles but must give bitwise the same values as this element-by-element version.
     */
    void storeTile(float[] tile, int rows, int cols, float[] c, int cIndex, int ldc, float alpha, float beta) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int at = cIndex + r * ldc + j;
                float old = beta == 0f ? 0f : beta == 1f ? c[at] : beta * c[at];
                c[at] = Math.fma(alpha, tile[r * nr + j], old);
            }
        }
    }

    @Override
    public final void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                            float beta, float[] c, int cOffset, int ldc) {
        if (!GemmArgs.prepare(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb,
                beta, c, cOffset, ldc)) {
            return;
        }
        if (!transA && transB && k >= LONG_REDUCTION_MIN_K && m <= LONG_REDUCTION_MAX_M
                && n <= LONG_REDUCTION_MAX_N
                && multiplyLongReduction(m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc)) {
            return;
        }
        Problem p = new Problem(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb,
                beta, c, cOffset, ldc);
        int rowPanels = (m + mr - 1) / mr;
        int colPanels = (n + nr - 1) / nr;
        if ((long) m * n * k < PARALLEL_MIN_WORK || Parallel.threads() == 1) {
            multiply(p, 0, m, 0, n);
        } else if (m >= SHARED_B_MIN_SIZE && n >= SHARED_B_MIN_SIZE) {
            multiplySharingB(p);
        } else if (colPanels >= rowPanels) {
            int minPanels = (PARALLEL_MIN_STRIP + nr - 1) / nr;
            Parallel.forRange(colPanels, minPanels, (lo, hi) -> multiply(p, 0, m, lo * nr, Math.min(hi * nr, n)));
        } else {
            int minPanels = (PARALLEL_MIN_STRIP + mr - 1) / mr;
            Parallel.forRange(rowPanels, minPanels, (lo, hi) -> multiply(p, lo * mr, Math.min(hi * mr, m), 0, n));
        }
    }

    /** Runs the loop nest of the class comment on the block {@code C[rowLo:rowHi, colLo:colHi]}. */
    private void multiply(Problem p, int rowLo, int rowHi, int colLo, int colHi) {
        PackingBuffers w = buffers.get();
        float[] bPack = w.bPack.atLeast(kc * roundUp(Math.min(nc, colHi - colLo), nr));
        // Few rows: B's whole panels are read where they lie, and only a narrower last panel is packed (class
        // comment); not in blocks deeper than a product with few rows has (blockDepth), which would read more of B's
        // rows, ldb apart, for each panel than the caches and the TLB hold, nor where those rows collide in the
        // caches (bRowsCollide).
        int depth = blockDepth(p.m);
        int deepest = Math.min(depth, p.k);                     // the deepest block this product has
        int rows = rowHi - rowLo;
        boolean direct = !p.transB && rows <= DIRECT_B_MAX_ROWS && deepest <= SHALLOW_DEPTH
                && !bRowsCollide(p.ldb, rows, deepest);
        for (int jc = colLo; jc < colHi; jc += nc) {
            int nCur = Math.min(nc, colHi - jc);
            int packedFrom = direct ? nCur / nr * nr : 0;
            for (int pc = 0; pc < p.k; pc += depth) {
                int kCur = Math.min(depth, p.k - pc);
                if (packedFrom < nCur) {
                    packB(p, pc, kCur, jc + packedFrom, nCur - packedFrom, bPack, 0);
                }
                multiplyRows(p, rowLo, rowHi, jc, nCur, pc, kCur, bPack, packedFrom);
            }
        }
    }

    /**
     * True when B's rows, read where they lie, would keep evicting each other from the caches: rows a multiple of
     * {@link #ALIASING_LDB} floats (16 KB) apart start in the same few sets of L1 and L2, so the 256 rows of a
     * block's panel do not stay in cache for the next row panel of A, and every panel reads them from L3. From
     * {@link #ALIASING_MIN_PANELS} row panels on, packing B once costs less than those reads. Measured on the AMD
     * EPYC, each shape read in place and packed alternating in one JVM: packed took 0.977 (one thread) and 0.948
     * (two) of the time for 50 × 4096 × 500 (the seed CNN's conv2 over a batch of 64, as the suite times it; the
     * layer itself lowers 16 images at a time, 1,024 columns), 0.875 / 0.932 for 64 × 4096 × 500, 0.858 /
     * 0.914 for 128 × 4096 × 256, 0.79 / 0.77 for 128 × 16384 × 576 (a wider CNN's layer), 0.81 / 0.82 for 256 ×
     * 4096 × 256; with AVX2's 6-row tile ({@code -XX:UseAVX=2}) 0.62–0.80 from 30 rows (five panels) on. With
     * fewer panels, shallower blocks or other strides, reading in place stayed ahead or even: packed took 1.06 of
     * its time for 48 × 4096 × 256 (four panels), 1.00 for 32 × 4096 × 256, 1.14 for 64 × 2048 × 256 (rows 8 KB
     * apart), 1.04 for 50 × 4096 × 64 (one block of 64). Either way the same values are multiplied in the same
     * order: the same bits.
     */
    boolean bRowsCollide(int ldb, int rows, int blockDepth) {
        return ldb % ALIASING_LDB == 0 && (rows + mr - 1) / mr >= ALIASING_MIN_PANELS && blockDepth >= SHALLOW_DEPTH;
    }

    /**
     * The depth of the k-blocks of a product with {@code m} rows: the constructor's {@code kc} for more than
     * {@link #DIRECT_B_MAX_ROWS} rows, at most {@link #SHALLOW_DEPTH} for fewer. C is read and written once a
     * k-block, and a tall C lies in L3 or memory: with VectorSgemm's kc = 512 instead of 256, 1024³ took 0.945–0.966
     * of the time and 512³ 0.974–0.988, on one thread and on two. A product with few rows keeps its C in L2, and its
     * B is read where it lies or packed into a block that deeper blocks would push out of L2: there 512 measured
     * 1.03–1.17 × the time of 256 (64 × 4096 × 1024, 50 × 4096 × 500, 50 × 500 × 4096 Bᵀ). A k-block's end is where
     * each element's sum is rounded into C, so the depth follows the shape only, never a thread's part of it: the
     * product is bitwise the same on any number of threads.
     */
    private int blockDepth(int m) {
        return m > DIRECT_B_MAX_ROWS ? kc : Math.min(kc, SHALLOW_DEPTH);
    }

    /**
     * Two or more threads on a product large both ways: each k-block of B is packed once, its panels shared out
     * among the threads, and then each thread computes its own rows of C against the whole packed block, packing
     * only its own rows of A. Split by columns instead (as smaller products are), every thread would pack the
     * whole of A for its share of the FMAs. Each element of C still sees the same k-blocks in the same order, so
     * the product is bitwise the one-thread product. The two {@link Parallel#forRange} calls of each block hand
     * the packed panels over (the second starts after the first has finished on every thread).
     */
    private void multiplySharingB(Problem p) {
        float[] bPack = buffers.get().bPack.atLeast(kc * roundUp(Math.min(nc, p.n), nr));
        int rowPanels = (p.m + mr - 1) / mr;
        int minRowPanels = (PARALLEL_MIN_STRIP + mr - 1) / mr;
        int depth = blockDepth(p.m);
        for (int jc = 0; jc < p.n; jc += nc) {
            int blockColumn = jc;
            int nCur = Math.min(nc, p.n - jc);
            for (int pc = 0; pc < p.k; pc += depth) {
                int blockStart = pc;
                int kCur = Math.min(depth, p.k - pc);
                Parallel.forRange((nCur + nr - 1) / nr, 1, (lo, hi) -> packB(p, blockStart, kCur,
                        blockColumn + lo * nr, Math.min(hi * nr, nCur) - lo * nr, bPack, lo * nr * kCur));
                Parallel.forRange(rowPanels, minRowPanels, (lo, hi) -> multiplyRows(p, lo * mr,
                        Math.min(hi * mr, p.m), blockColumn, nCur, blockStart, kCur, bPack, 0));
            }
        }
    }

    /**
     * The three inner loops of the class comment for one k-block: {@code C[rowLo:rowHi, jc:jc+nCur] += op(A) ·
     * op(B)} over k in {@code [pc, pc+kCur)}, with this thread's A panels and tile and B's panels from
     * {@code bPack} (from column {@code packedFrom} on; before it, read where B lies).
     */
    private void multiplyRows(Problem p, int rowLo, int rowHi, int jc, int nCur, int pc, int kCur, float[] bPack,
                              int packedFrom) {
        PackingBuffers w = buffers.get();
        float[] aPack = w.aPack.atLeast(mc * kc);
        float[] tile = w.tile.atLeast(mr * nr);
        float beta = pc == 0 ? p.beta : 1f;                     // scale C once, on the first k-block
        float touched = 0;
        for (int ic = rowLo; ic < rowHi; ic += mc) {
            int mCur = Math.min(mc, rowHi - ic);
            packA(p, ic, mCur, pc, kCur, aPack);
            for (int ir = 0; ir < mCur; ir += mr) {
                int rows = Math.min(mr, mCur - ir);
                for (int jr = 0; jr < nCur; jr += nr) {
                    int cols = Math.min(nr, nCur - jr);
                    int cIndex = p.cOffset + (ic + ir) * p.ldc + jc + jr;
                    if (beta != 0f) {
                        touched += touch(p.c, cIndex, p.ldc, rows, cols);
                    }
                    boolean direct = jr < packedFrom;
                    float[] b = direct ? p.b : bPack;
                    int bIndex = direct ? p.bOffset + pc * p.ldb + jc + jr : (jr - packedFrom) * kCur;
                    int bStride = direct ? p.ldb : nr;
                    if (rows == mr) {
                        microKernel(kCur, aPack, ir * kc, b, bIndex, bStride, tile);
                    } else {
                        microKernelLastRows(rows, kCur, aPack, ir * kc, b, bIndex, bStride, tile);
                    }
                    storeTile(tile, rows, cols, p.c, cIndex, p.ldc, p.alpha, beta);
                }
            }
        }
        w.sink += touched;                                      // keeps the loads in touch() alive
    }

    /**
     * Reads the first and last element of each row of a C tile before its micro-kernel runs. The tile is needed
     * only after the kernel's {@code kc} FMAs, and the out-of-order core serves these cache misses meanwhile (Java
     * has no prefetch instruction; BLIS prefetches C the same way).
     */
    private static float touch(float[] c, int cIndex, int ldc, int rows, int cols) {
        float sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += c[cIndex + r * ldc] + c[cIndex + r * ldc + cols - 1];
        }
        return sum;
    }

    /**
     * Packs {@code op(A)[ic:ic+mCur, pc:pc+kCur]} as consecutive panels of {@code mr} rows, each row of a panel
     * {@code kc} floats (the block depth) after the one before: {@code pack[panel·kc + q·kc + l] = op(A)(ic + panel
     * + q, pc + l)}, whatever this block's depth. Rows past {@code mCur} are zero.
     *
     * <p>Rows, not the k-major interleave of BLIS and OpenBLAS (the {@code mr} values of one k index adjacent),
     * because the micro-kernel broadcasts A's values one at a time: it loads each scalar from wherever it lies, and
     * with rows a fixed {@code kc} apart the JIT folds each row's offset into the load's address. An A stored row by
     * row (a layer's weights, the left operand of every forward product) is then packed by plain row copies instead
     * of a transposing copy, which had cost about one cycle a value: a 1024³ product on one thread spent 2.4 % of its
     * time there, and a 512³ on two threads, each thread packing its half of A for half the FMAs, twice that. Only a
     * transposed A (the weight gradient of a dense layer, the backward pass of a convolution's input) still
     * transposes. Measured on an AMD EPYC (Zen 5), both layouts alternating, each GEMM paired with an FMA-peak slice:
     * 512³ 0.85 → 0.88 of the peak on one thread and 0.81–0.82 → 0.84–0.85 on two; 128³ 0.66–0.68 → 0.78 on one.
     * The products are bit for bit the same: only where the kernel finds each value changed.
     */
    private void packA(Problem p, int ic, int mCur, int pc, int kCur, float[] pack) {
        for (int panel = 0; panel < mCur; panel += mr) {
            int rows = Math.min(mr, mCur - panel);
            int base = panel * kc;
            if (p.transA) {                                     // op(A)(i, l) = a[l·lda + i]
                interleave(p.a, p.aOffset + pc * p.lda + ic + panel, p.lda, kCur, rows, pack, base, kc);
            } else {                                            // op(A)(i, l) = a[i·lda + l]: rows contiguous
                for (int q = 0; q < rows; q++) {
                    System.arraycopy(p.a, p.aOffset + (ic + panel + q) * p.lda + pc, pack, base + q * kc, kCur);
                }
            }
            for (int q = rows; q < mr; q++) {
                java.util.Arrays.fill(pack, base + q * kc, base + q * kc + kCur, 0f);
            }
        }
    }

    /**
     * Packs {@code op(B)[pc:pc+kCur, jc:jc+nCur]} as consecutive panels of {@code nr} columns; within a panel the
     * {@code nr} values of one k index are adjacent. Columns past {@code nCur} are zero.
     */
    private void packB(Problem p, int pc, int kCur, int jc, int nCur, float[] pack, int packFrom) {
        for (int panel = 0; panel < nCur; panel += nr) {
            int cols = Math.min(nr, nCur - panel);
            int base = packFrom + panel * kCur;
            if (p.transB) {                                     // op(B)(l, j) = b[j·ldb + l]
                int from = p.bOffset + (jc + panel) * p.ldb + pc;
                if (cols < nr || !packTransposedPanel(p.b, from, p.ldb, kCur, pack, base)) {
                    interleave(p.b, from, p.ldb, cols, kCur, pack, base, nr);
                }
            } else {                                            // op(B)(l, j) = b[l·ldb + j]
                int from = p.bOffset + pc * p.ldb + jc + panel;
                if (cols < nr || !packPanel(p.b, from, p.ldb, kCur, pack, base)) {
                    for (int l = 0; l < kCur; l++) {
                        System.arraycopy(p.b, from + l * p.ldb, pack, base + l * nr, cols);
                    }
                }
            }
            for (int l = 0; cols < nr && l < kCur; l++) {
                java.util.Arrays.fill(pack, base + l * nr + cols, base + (l + 1) * nr, 0f);
            }
        }
    }

    /**
     * The transposing copy both packs need: {@code pack[base + l·stride + q] = src[offset + q·ld + l]} for
     * {@code count} source rows q and {@code length} values l. Four source rows go at a time, so each step writes
     * four neighbouring floats (one cache line) instead of one float into each of four lines.
     */
    static void interleave(float[] src, int offset, int ld, int count, int length,
                           float[] pack, int base, int stride) {
        int q = 0;
        for (; q + 4 <= count; q += 4) {
            int s0 = offset + q * ld;
            int s1 = s0 + ld;
            int s2 = s1 + ld;
            int s3 = s2 + ld;
            for (int l = 0; l < length; l++) {
                int to = base + l * stride + q;
                pack[to] = src[s0 + l];
                pack[to + 1] = src[s1 + l];
                pack[to + 2] = src[s2 + l];
                pack[to + 3] = src[s3 + l];
            }
        }
        for (; q < count; q++) {
            int from = offset + q * ld;
            for (int l = 0; l < length; l++) {
                pack[base + l * stride + q] = src[from + l];
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** The caller's arguments, gathered so the block loops can pass them around. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                           float beta, float[] c, int cOffset, int ldc) {
    }

    /** Per-thread packing buffers, grown on demand and reused across calls to avoid allocating megabytes. */
    private static final class PackingBuffers {
        final GrowingBuffer aPack = new GrowingBuffer();
        final GrowingBuffer bPack = new GrowingBuffer();
        final GrowingBuffer tile = new GrowingBuffer();
        float sink;
    }
}
