package dev.glassbox.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java sgemm whose micro-kernel uses the Vector API ({@code jdk.incubator.vector}): the packed loop nest of
 * {@link PackedSgemm} around a register tile of 12 rows × 2 vectors with AVX-512, 6 rows × 2 vectors with AVX2.
 *
 * <p><b>The register tile.</b> The vector width comes from {@link FloatVector#SPECIES_PREFERRED}: 8 floats with
 * AVX2, 16 with AVX-512, so a tile is 6 × 16 or 12 × 32. For each k index the kernel loads two vectors of the B
 * panel (packed, or B itself where C has few rows: {@link PackedSgemm}), broadcasts each packed A value of the
 * tile's rows in turn, and issues two independent fused multiply-adds per row. Twelve chains are enough to hide the
 * FMA latency (4 cycles × 2 ports = 8 in flight), and 12 accumulators + 2 B vectors + 1 broadcast fit the 16 vector
 * registers of AVX2. AVX-512 has 32: 24 accumulators use two loaded B vectors for 24 FMAs instead of 12, and
 * measured 1024³ at about 120 instead of 105 GFLOP/s on one thread and 230 instead of 100 on two (where the 6-row
 * tile did not scale at all), a seed-CNN training step 18.7 → 16.7 ms on two threads. (A product with few rows
 * wastes more of a 12-row tile: conv2's 50 filters fill 5 tiles of 60 rows; the step still came out ahead.)
 *
 * <p><b>The blocks</b> (MC = 144, KC = 512, NC = 1024) keep a 12 × 512 A panel in L1 (24 KB with AVX-512) while
 * the 512 × 2-vector B panels (64 KB each) stream past it from the packed B block (2 MB: L2 and L3). The classic
 * choice, NC ≈ 4096, leaves B in L3, which is fine when many row panels of A reuse each B panel; the products of a
 * small CNN have few rows (m = 20 to 64), and on the 2 MB-L2 machine measured here NC = 1024 was as fast on 1024²
 * and faster on them. The depth: C is read and written once a k-block, so deeper blocks pay where C is tall;
 * products with few rows keep blocks of at most 256 ({@link PackedSgemm#SHALLOW_DEPTH}), whose B stays in L2.
 * Measured on an AMD EPYC (Zen 5: 48 KB L1, 1 MB L2), each depth beside the other in one JVM, medians of paired
 * 20 ms batches: KC = 512 took 0.945–0.966 of the time of 256 on 1024³ and 0.974–0.988 on 512³, on one thread and
 * on two (0.966–0.988 with AVX2's 6-row tile); KC = 1024 0.94 on 1024³ but 0.99–1.01 on 512³ (its A panel, 48 KB,
 * is all of L1); NC = 512 with KC = 512 lost the gain (0.97–0.99); MC = 96 changed nothing. On the old 2 MB-L2
 * machine KC = 128 and 384 had been slower than 256.
 * <p><b>What bounds it.</b> Measured on an AVX-512 Xeon (48 KB L1, 2 MB L2), each against an FMA peak taken in
 * the same run: this kernel alone, on panels in L1, at 0.83 of the peak (0.97–1.03 on other days, in the
 * machine's fast phases: bench/README.md); the same tile written in C with intrinsics (gcc -O3) 1.04–1.05 × as
 * fast as this kernel beside it; OpenBLAS's Skylake-X kernels (hand-scheduled assembly with prefetches) 0.93–0.96
 * on whole 512³ and 1024³ products, where this class reaches 0.70–0.79. What separates the two is not the Java
 * compiler's code for the tile but the blocks around it (packing, C updates, cache misses) and the tile's plain
 * broadcast-and-FMA formulation.
 *
 * <p><b>Writing Vector API code the JIT keeps fast</b> (JDK 17). The micro-kernel only accumulates and parks the
 * tile in a small buffer; C is updated afterwards by {@link #storeTile}. Two things cost 2–5× when they were
 * inside the kernel: passing vectors to another method that the JIT then declined to inline (the vectors get
 * boxed into heap objects), and branches on tile edges or beta that were rare at first (each new case made the
 * JIT throw the compiled kernel away and fall back to slow code until it recompiled). Nor does the kernel write C
 * itself: ending it with its sums added to C's rows (or to zero) measured no faster on 1024³, and the kernel, grown
 * from 1,504 to 1,956 bytes of bytecode, then sometimes failed to compile in C1 ("out of virtual registers") while
 * the JIT was busy, and stayed in its first, unoptimised code: a hundred times slower for the rest of the run.
 *
 * <p><b>A's rows.</b> The kernel reads row r of its A panel at {@code aPack[ai + r·KC]}: with KC a constant, each
 * row's offset is part of the load's address, as cheap as the k-major panels of BLIS, and A's rows pack by plain
 * copies ({@link PackedSgemm#packA}).
 *
 * <p><b>One k index a round.</b> The kernel's loop takes one k index at a time, any number of them: no second
 * index a round, no separate last index for an odd count. Two indices a round had halved the loop's index
 * arithmetic and range checks, and measured +2–9 % on 512³ and 1024³ where the JIT has 32 vector registers (AVX-512,
 * also with {@code -XX:MaxVectorSize=32}). But where it has 16 (AVX2, or {@code -XX:UseAVX=2}) the 6-row tile's
 * loop then held the second index's B vectors beside the first's, one more than the 16, and the JIT kept accumulators
 * on the stack: that kernel ran at 0.53 of the 256-bit peak on panels in L1, and this one at over 1.0; whole products
 * on an AMD EPYC with {@code -XX:UseAVX=2}, paired with the peak: 512³ and 1024³ 0.49 → 1.01–1.04 on one thread,
 * 0.54–0.56 → 1.09–1.12 on two (the 256-bit peak loop measures a little low there), the conv products 1.3–2.1 × as
 * fast. With AVX-512 the whole products are the same within the runs' noise (1024³ 0.85–0.87 of the peak on one
 * thread, 0.92–0.95 on two, either way) and conv1's forward product (k = 25, odd) 0.33–0.34 → 0.37. The sums are
 * taken in the same order, so every product is the same to the bit. An odd count needed its last index outside
 * the loop before, and a branch for it once threw the compiled kernel away (see bench/README.md).
 *
 * <p>Load this class only when the module is present ({@link Blas} checks); without it the class fails to link.
 */
public final class VectorSgemm extends PackedSgemm {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Rows of the register tile: 12 where 32 vector registers hold 24 accumulators (AVX-512), else 6. */
    private static final int MR = LANES >= 16 ? 12 : 6;
    private static final int NR = 2 * LANES;
    /** Depth of a k-block, and so the distance between the rows of an A panel: a constant the JIT folds in. */
    private static final int KC = 512;

    public VectorSgemm() {
        super(MR, NR, 144, KC, 1024);
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String toString() {
        return "java (Vector API, " + SPECIES.vectorBitSize() + "-bit)";
    }

    @Override
    void microKernel(int kc, float[] aPack, int aIndex, float[] bPack, int bIndex, int bStride, float[] tile) {
        if (MR == 12) {
            microKernel12(kc, aPack, aIndex, bPack, bIndex, bStride, tile);
        } else {
            microKernel6(kc, aPack, aIndex, bPack, bIndex, bStride, tile);
        }
    }

    /**
     * A last panel of at most 6 real rows (of a product whose rows are not a multiple of 12) takes the 6-row tile
     * where the 12-row one is used: half the FMAs, the same ones for the rows kept. The seed CNN's products have 50
     * rows (conv2's filters: 4 panels and 2 rows) and 64 (a batch: 5 panels and 4 rows), so their last panel did
     * a sixth and an eighth of all their FMAs for 2 and 4 rows.
     */
    @Override
    void microKernelLastRows(int rows, int kc, float[] aPack, int aIndex, float[] bPack, int bIndex, int bStride,
                             float[] tile) {
        if (MR == 12 && rows <= 6) {
            microKernel6(kc, aPack, aIndex, bPack, bIndex, bStride, tile);
        } else {
            microKernel(kc, aPack, aIndex, bPack, bIndex, bStride, tile);
        }
    }

    /**
     * The 12 × 2-vector tile: 24 accumulators, 2 B vectors and a broadcast in AVX-512's 32 registers. Row r of
     * the A panel is read at {@code aPack[ai + r·KC]}.
     */
    private static void microKernel12(int kc, float[] aPack, int aIndex, float[] bPack, int bIndex, int bStride,
                                      float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        FloatVector c80 = FloatVector.zero(SPECIES), c81 = FloatVector.zero(SPECIES);
        FloatVector c90 = FloatVector.zero(SPECIES), c91 = FloatVector.zero(SPECIES);
        FloatVector ca0 = FloatVector.zero(SPECIES), ca1 = FloatVector.zero(SPECIES);
        FloatVector cb0 = FloatVector.zero(SPECIES), cb1 = FloatVector.zero(SPECIES);
        for (int l = 0, ai = aIndex, bi = bIndex; l < kc; l++, ai++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bPack, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bPack, bi + LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, aPack[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 1 * KC]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 2 * KC]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 3 * KC]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 4 * KC]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 5 * KC]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 6 * KC]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 7 * KC]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 8 * KC]);
            c80 = a.fma(b0, c80);
            c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 9 * KC]);
            c90 = a.fma(b0, c90);
            c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 10 * KC]);
            ca0 = a.fma(b0, ca0);
            ca1 = a.fma(b1, ca1);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 11 * KC]);
            cb0 = a.fma(b0, cb0);
            cb1 = a.fma(b1, cb1);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + LANES);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + LANES);
        c80.intoArray(tile, 8 * NR);
        c81.intoArray(tile, 8 * NR + LANES);
        c90.intoArray(tile, 9 * NR);
        c91.intoArray(tile, 9 * NR + LANES);
        ca0.intoArray(tile, 10 * NR);
        ca1.intoArray(tile, 10 * NR + LANES);
        cb0.intoArray(tile, 11 * NR);
        cb1.intoArray(tile, 11 * NR + LANES);
    }

    /**
     * The 6 × 2-vector tile: 12 accumulators, 2 B vectors and a broadcast fit AVX2's 16 registers.
     */
    private static void microKernel6(int kc, float[] aPack, int aIndex, float[] bPack, int bIndex, int bStride,
                                      float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int l = 0, ai = aIndex, bi = bIndex; l < kc; l++, ai++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bPack, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bPack, bi + LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, aPack[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 1 * KC]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 2 * KC]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 3 * KC]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 4 * KC]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, aPack[ai + 5 * KC]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
    }

    @Override
    boolean multiplyLongReduction(int m, int n, int k, float alpha, float[] a, int aOffset, int lda,
                                  float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        VectorDotProducts.multiply(m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        return true;
    }

    /** A row-major B panel: each k index's {@code NR} values are two vectors, copied as such. */
    @Override
    boolean packPanel(float[] src, int from, int ld, int length, float[] pack, int base) {
        for (int l = 0; l < length; l++) {
            int at = from + l * ld;
            int to = base + l * NR;
            FloatVector.fromArray(SPECIES, src, at).intoArray(pack, to);
            FloatVector.fromArray(SPECIES, src, at + LANES).intoArray(pack, to + LANES);
        }
        return true;
    }

    /**
     * The gather offsets of a B panel for the leading dimension last used on this thread: a panel is packed per
     * call, hundreds of times per product, and the offsets change only with the leading dimension.
     */
    private static final class GatherOffsets {
        private final int[] panel = new int[NR];
        private int panelLd = -1;

        /** {@code q·ld} for the {@code NR} rows of a B panel. */
        int[] panel(int ld) {
            if (panelLd != ld) {
                for (int q = 0; q < NR; q++) {
                    panel[q] = q * ld;
                }
                panelLd = ld;
            }
            return panel;
        }
    }

    private static final ThreadLocal<GatherOffsets> GATHER_OFFSETS = ThreadLocal.withInitial(GatherOffsets::new);

    /**
     * The transposed B panel by gathers: for each l, the panel's {@code NR} values are one column of {@code NR}
     * source rows, gathered a vector at a time ({@code src[from + q·ld + l]} for q in a vector's lanes) and
     * stored contiguously. The scalar {@link #interleave} moves one float per load and per store; a gather loads
     * a vector's worth of floats from rows it streams through in order, so each cache line it touches serves the
     * next 15 values of l as well. Same values in the same places, so the product is bit for bit the same.
     *
     * <p>Which is faster depends on the processor: on the Intel AVX-512 machine this was written on the gathers
     * were, and on an AMD EPYC (Zen 5, AVX-512) a 512-bit gather costs so much that the seed CNN's conv2 weight
     * gradient (50 × 500 × 4096, one thread) took 3.0 ms with them and 1.7 ms with the interleave. So the first
     * panels are packed both ways by turns and timed ({@link PackingChoice}), and the faster way packs the rest.
     */
    @Override
    boolean packTransposedPanel(float[] src, int from, int ld, int length, float[] pack, int base) {
        int way = TRANSPOSED_PANELS.next();
        if (way == PackingChoice.SECOND) {
            return false;                               // PackedSgemm's own interleave packs it
        }
        long start = way == PackingChoice.FIRST ? 0 : System.nanoTime();
        packTransposedPanel(way == PackingChoice.TIME_SECOND, src, from, ld, length, pack, base);
        if (way != PackingChoice.FIRST) {
            TRANSPOSED_PANELS.timed(way, System.nanoTime() - start, (long) length * NR);
        }
        return true;
    }

    /** Packs a transposed B panel by the interleave or by gathers. */
    static void packTransposedPanel(boolean interleave, float[] src, int from, int ld, int length, float[] pack,
                                    int base) {
        if (interleave) {
            interleave(src, from, ld, NR, length, pack, base, NR);
            return;
        }
        int[] rows = GATHER_OFFSETS.get().panel(ld);
        for (int l = 0; l < length; l++) {
            for (int q = 0; q < NR; q += LANES) {
                FloatVector.fromArray(SPECIES, src, from + l, rows, q).intoArray(pack, base + l * NR + q);
            }
        }
    }

    /** Columns of a register tile (the width of a B panel). */
    static int panelWidth() {
        return NR;
    }

    private static final PackingChoice TRANSPOSED_PANELS = new PackingChoice();

    /**
     * Chooses between two ways of packing that put the same values in the same places, by timing them on the
     * packing the program does anyway: the first {@value #WARM_UP} calls take the two ways by turns untimed (so
     * the JIT compiles both), the next {@value #TRIALS} by turns timed, and every later call the way that took
     * fewer nanoseconds a value. The counters are shared by all threads without locks: a lost update only moves
     * the moment of the choice, and either way gives the same product.
     */
    static final class PackingChoice {
        static final int FIRST = 0;
        static final int SECOND = 1;
        static final int TIME_FIRST = 2;
        static final int TIME_SECOND = 3;
        static final int WARM_UP = 2048;
        static final int TRIALS = 2048;

        private volatile int chosen = -1;
        private int calls;
        private final long[] nanos = new long[2];
        private final long[] values = new long[2];

        /** The way for the next call: {@link #FIRST} or {@link #SECOND}, or one of them to time. */
        int next() {
            int way = chosen;
            if (way >= 0) {
                return way;
            }
            int call = calls++;
            if (call < WARM_UP) {
                return call & 1;
            }
            if (call < WARM_UP + TRIALS) {
                return TIME_FIRST + (call & 1);
            }
            chosen = (double) nanos[0] / Math.max(1, values[0]) <= (double) nanos[1] / Math.max(1, values[1])
                    ? FIRST : SECOND;
            return chosen;
        }

        /** Adds the time a timed call took over {@code count} values. */
        void timed(int way, long elapsed, long count) {
            nanos[way - TIME_FIRST] += elapsed;
            values[way - TIME_FIRST] += count;
        }

        /** The way chosen, or -1 while still timing. */
        int chosen() {
            return chosen;
        }
    }

    @Override
    void storeTile(float[] tile, int rows, int cols, float[] c, int cIndex, int ldc, float alpha, float beta) {
        if (cols == NR) {
            storeRows(tile, rows, c, cIndex, ldc, alpha, beta);
        } else {
            super.storeTile(tile, rows, cols, c, cIndex, ldc, alpha, beta);  // the narrower last panel
        }
    }

    /** C[r, 0:NR] = alpha · tile[r] + beta · C[r, 0:NR] for the first {@code rows} rows, one rounding each (fma). */
    private static void storeRows(float[] tile, int rows, float[] c, int cIndex, int ldc, float alpha, float beta) {
        FloatVector alphaV = FloatVector.broadcast(SPECIES, alpha);
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < NR; v += LANES) {
                int at = cIndex + r * ldc + v;
                FloatVector old;
                if (beta == 0f) {
                    old = FloatVector.zero(SPECIES);
                } else if (beta == 1f) {
                    old = FloatVector.fromArray(SPECIES, c, at);
                } else {
                    old = FloatVector.fromArray(SPECIES, c, at).mul(beta);
                }
                FloatVector.fromArray(SPECIES, tile, r * NR + v).fma(alphaV, old).intoArray(c, at);
            }
        }
    }
}

// Exercised by: ./mvnw -B -ntp -q -pl engine -am verify   (SgemmBackendsTest); timed by bench/README.md
