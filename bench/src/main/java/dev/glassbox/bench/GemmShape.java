package dev.glassbox.bench;

/**
 * The GEMM shapes worth timing: squares that show how a backend scales, and the narrow products of the seed CNN
 * (conv 5×5 → 20 maps, pool, conv 5×5 → 50 maps, pool, fc 800 → 500 → 10) lowered by im2col at batch 64.
 * C = op(A) · op(B) with op(A) {@code m × k} and op(B) {@code k × n}, as {@code Sgemm} counts them.
 */
public enum GemmShape {
    SQUARE_64(64, 64, 64, false, false),
    SQUARE_128(128, 128, 128, false, false),
    SQUARE_256(256, 256, 256, false, false),
    SQUARE_512(512, 512, 512, false, false),
    SQUARE_1024(1024, 1024, 1024, false, false),
    /** conv1 forward: weights [20, 1·5·5] · columns [25, 64·24·24]. */
    CONV1_FORWARD(20, 64 * 24 * 24, 25, false, false),
    /** conv1 weight gradient: gradOutput [20, 64·24·24] · columnsᵀ: a long reduction into a tiny output. */
    CONV1_WEIGHT_GRAD(20, 25, 64 * 24 * 24, false, true),
    /** conv2 forward: weights [50, 20·5·5] · columns [500, 64·8·8]. */
    CONV2_FORWARD(50, 64 * 8 * 8, 500, false, false),
    /** conv2 weight gradient: gradOutput [50, 64·8·8] · columnsᵀ. */
    CONV2_WEIGHT_GRAD(50, 500, 64 * 8 * 8, false, true),
    /** fc1 forward: x [64, 800] · Wᵀ with W stored [500, 800] as in PyTorch. */
    FC1_FORWARD(64, 500, 800, false, true),
    /** fc2 forward: x [64, 500] · Wᵀ with W stored [10, 500]. */
    FC2_FORWARD(64, 10, 500, false, true);

    public final int m;
    public final int n;
    public final int k;
    public final boolean transA;
    public final boolean transB;

    GemmShape(int m, int n, int k, boolean transA, boolean transB) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = transA;
        this.transB = transB;
    }

    /** Floating-point operations of one product: a multiply and an add per term. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Leading dimension of A as stored (k columns, or m when transposed). */
    public int lda() {
        return transA ? m : k;
    }

    /** Leading dimension of B as stored (n columns, or k when transposed). */
    public int ldb() {
        return transB ? k : n;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT) + " " + m + "×" + n + "×" + k
                + (transA || transB ? " (" + (transA ? "T" : "N") + (transB ? "T" : "N") + ")" : "");
    }
}

// Used by GemmReport and SgemmBench; run them as bench/README.md shows, e.g.
//   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.glassbox.bench.GemmReport
