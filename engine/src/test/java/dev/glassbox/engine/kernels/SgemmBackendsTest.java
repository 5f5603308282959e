package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend against a float64 reference on awkward shapes: size 1, primes, shapes that cross the MC, KC and
 * NC block edges, all four transpose combinations, offsets, leading dimensions wider than the rows, alpha ≠ 1,
 * and beta 0 (C full of NaN, which must not leak), 1 and −0.5.
 */
class SgemmBackendsTest {

    private static final float SENTINEL = 12345.5f;             // marks array cells outside C's block

    static List<Sgemm> backends() {
        return List.of(new JavaSgemm(), new VectorSgemm(), new EjmlSgemm(), Blas.create("jblas"));
    }

    static Stream<Arguments> cases() {
        int[][] shapes = {{1, 1, 1}, {4, 7, 1}, {7, 13, 5}, {97, 101, 89}, {1, 50, 3}, {33, 1, 17}, {150, 70, 300},
            {5, 4133, 3}, {64, 10, 500}, {20, 25, 1500}, {3, 5, 1031}};
        float[][] alphaBeta = {{1f, 0f}, {-1.5f, 1f}, {0.75f, -0.5f}};
        List<Arguments> cases = new ArrayList<>();
        for (Sgemm backend : backends()) {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    for (float[] ab : alphaBeta) {
                        cases.add(Arguments.of(backend, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1]));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5} alpha={6} beta={7}")
    @MethodSource("cases")
    void backendAgreesWithFloat64Reference(Sgemm backend, int m, int n, int k, boolean transA, boolean transB,
                                           float alpha, float beta) {
        Random random = new Random(31L * m + 17L * n + k);
        Stored a = Stored.random(random, transA ? k : m, transA ? m : k, 3, 5);
        Stored b = Stored.random(random, transB ? n : k, transB ? k : n, 1, 2);
        Stored c = Stored.random(random, m, n, 4, 3);
        if (beta == 0f) {
            c.fillBlock(Float.NaN);                             // beta = 0 must not read C
        }
        float[] before = c.data.clone();
        backend.sgemm(transA, transB, m, n, k, alpha, a.data, a.offset, a.ld, b.data, b.offset, b.ld,
                beta, c.data, c.offset, c.ld);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double scale = 0;
                for (int l = 0; l < k; l++) {
                    double x = transA ? a.get(l, i) : a.get(i, l);
                    double y = transB ? b.get(j, l) : b.get(l, j);
                    sum += x * y;
                    scale += Math.abs(x * y);
                }
                double old = beta == 0f ? 0 : before[c.index(i, j)];
                double expected = alpha * sum + beta * old;
                double bound = 2.0 * (k + 4) * Math.ulp(1f) / 2 * (Math.abs(alpha) * scale + Math.abs(beta * old))
                        + Float.MIN_NORMAL;
                double actual = c.data[c.index(i, j)];
                if (!(Math.abs(actual - expected) <= bound)) {
                    fail(backend + ": C[" + i + "," + j + "] = " + actual + ", expected " + expected + " ± " + bound);
                }
            }
        }
        c.assertOutsideUnchanged(before);
    }

    @Test
    void resultsAreBitwiseIdenticalForOneAndTwoThreads() {
        int saved = Parallel.threads();
        // split over N, split over M, and a long reduction into a small C (dot products in VectorSgemm)
        int[][] shapes = {{190, 230, 300}, {300, 20, 400}, {20, 25, 4200}};
        try {
            for (Sgemm backend : List.of(new JavaSgemm(), new VectorSgemm())) {
                for (int[] s : shapes) {
                    Random random = new Random(7);
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    float[] a = Stored.randomArray(random, m * k);
                    float[] b = Stored.randomArray(random, k * n);
                    float[] c1 = new float[m * n];
                    float[] c2 = new float[m * n];
                    Parallel.setThreads(1);
                    backend.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c1, 0, n);
                    Parallel.setThreads(2);
                    backend.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c2, 0, n);
                    assertArrayEquals(c1, c2, backend + " " + m + "x" + n + "x" + k);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * B with few rows of C is read where it lies, except when its rows are a multiple of
     * {@link PackedSgemm#ALIASING_LDB} floats apart (then it is packed): the same B with its rows padded apart
     * takes the other way, and both must give the same bits, on one and two threads, with a partial last block
     * of k and a narrower last panel of columns.
     */
    @Test
    void bReadInPlaceOrPackedForItsStrideGivesTheSameBits() {
        int saved = Parallel.threads();
        int n = PackedSgemm.ALIASING_LDB;
        int padded = n + 4;
        int k = 300;
        try {
            for (Sgemm backend : List.of(new JavaSgemm(), new VectorSgemm())) {
                for (int m : new int[] {50, 64, 30}) {
                    Random random = new Random(13);
                    float[] a = Stored.randomArray(random, m * k);
                    float[] b = Stored.randomArray(random, k * n);
                    float[] bPadded = new float[k * padded];
                    for (int row = 0; row < k; row++) {
                        System.arraycopy(b, row * n, bPadded, row * padded, n);
                    }
                    for (int threads = 1; threads <= 2; threads++) {
                        Parallel.setThreads(threads);
                        int cols = n - 5;                                   // a last panel narrower than nr
                        float[] packed = new float[m * cols];
                        float[] inPlace = new float[m * cols];
                        backend.sgemm(false, false, m, cols, k, 1f, a, 0, k, b, 0, n, 0f, packed, 0, cols);
                        backend.sgemm(false, false, m, cols, k, 1f, a, 0, k, bPadded, 0, padded, 0f, inPlace, 0,
                                cols);
                        assertArrayEquals(inPlace, packed, backend + " " + m + " rows on " + threads + " threads");
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
        // Which stride, rows and depth take the packed way (JavaSgemm's tile has 4 rows: 17 rows are 5 panels).
        JavaSgemm scalar = new JavaSgemm();
        assertTrue(scalar.bRowsCollide(4096, 17, 256) && scalar.bRowsCollide(3 * 4096, 20, 256));
        assertFalse(scalar.bRowsCollide(4096, 16, 256) || scalar.bRowsCollide(4100, 20, 256)
                || scalar.bRowsCollide(2048, 20, 256) || scalar.bRowsCollide(4096, 20, 255));
    }

    /**
     * A product with more rows than {@link PackedSgemm#DIRECT_B_MAX_ROWS} is summed in deeper k-blocks than one
     * with fewer; split by rows over two or three threads, each thread's part has fewer, and must still be summed
     * in the blocks of the whole product (a block's end is where a sum is rounded into C).
     */
    @Test
    void aTallProductSplitByRowsKeepsItsKBlocksOnEveryThread() {
        int saved = Parallel.threads();
        int m = 400;
        int n = 40;
        int k = 700;
        try {
            for (Sgemm backend : List.of(new JavaSgemm(), new VectorSgemm())) {
                for (boolean transB : new boolean[] {false, true}) {
                    Random random = new Random(5);
                    float[] a = Stored.randomArray(random, m * k);
                    float[] b = Stored.randomArray(random, k * n);
                    float[] expected = null;
                    for (int threads = 1; threads <= 3; threads++) {
                        Parallel.setThreads(threads);
                        float[] c = new float[m * n];
                        backend.sgemm(false, transB, m, n, k, 1f, a, 0, k, b, 0, transB ? k : n, 0f, c, 0, n);
                        if (expected == null) {
                            expected = c;
                        } else {
                            assertArrayEquals(expected, c, backend + " transB=" + transB + " on " + threads
                                    + " threads");
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * Products large both ways pack each k-block of B once and share it out among the threads; they must still be
     * bitwise the one-thread product, whatever the transposes, with beta, and with partial last blocks of columns
     * (n past one 1024-column block) and of k (past one 512-deep block).
     */
    @Test
    void productsLargeBothWaysGiveTheOneThreadBitsOnTwoAndThreeThreads() {
        int saved = Parallel.threads();
        int m = PackedSgemm.SHARED_B_MIN_SIZE + 18;
        int n = 1100;
        int k = 600;
        try {
            for (Sgemm backend : List.of(new JavaSgemm(), new VectorSgemm())) {
                for (int transposes = 0; transposes < 4; transposes++) {
                    boolean transA = (transposes & 1) != 0;
                    boolean transB = (transposes & 2) != 0;
                    Random random = new Random(11 + transposes);
                    float[] a = Stored.randomArray(random, m * k);
                    float[] b = Stored.randomArray(random, k * n);
                    float[] start = Stored.randomArray(random, m * n);
                    float[] expected = null;
                    for (int threads = 1; threads <= 3; threads++) {
                        Parallel.setThreads(threads);
                        float[] c = start.clone();
                        backend.sgemm(transA, transB, m, n, k, 1.5f, a, 0, transA ? m : k, b, 0, transB ? k : n,
                                0.5f, c, 0, n);
                        if (expected == null) {
                            expected = c;
                        } else {
                            assertArrayEquals(expected, c, backend + " transA=" + transA + " transB=" + transB
                                    + " on " + threads + " threads");
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void vectorPackingWritesWhatTheScalarPackingWrites() {
        // the B panel's packed layout, from rows with a wide leading dimension and an offset:
        // pack[l·nr + q] = b[l·ld + q] (A's panels are row copies, checked by every product)
        VectorSgemm vector = new VectorSgemm();
        int nr = 2 * jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        Random random = new Random(5);
        for (int length : new int[] {1, 7, 256}) {
            int ld = length + 13;
            float[] src = Stored.randomArray(random, 3 + length * ld + nr);
            float[] panel = new float[length * nr + 8];
            java.util.Arrays.fill(panel, SENTINEL);
            assertTrue(vector.packPanel(src, 3, ld, length, panel, 4));
            for (int l = 0; l < length; l++) {
                for (int q = 0; q < nr; q++) {
                    assertEquals(src[3 + l * ld + q], panel[4 + l * nr + q], "B panel, l=" + l + " column " + q);
                }
            }
            assertEquals(SENTINEL, panel[3]);
            assertEquals(SENTINEL, panel[4 + length * nr]);
        }
    }

    @Test
    void zeroKOrZeroAlphaScalesCByBeta() {
        for (Sgemm backend : backends()) {
            float[] c = {Float.NaN, Float.NaN};
            backend.sgemm(false, false, 1, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
            assertArrayEquals(new float[] {0f, 0f}, c, backend.toString());
            float[] d = {2f, 4f};
            backend.sgemm(false, false, 1, 2, 1, 0f, new float[] {1f}, 0, 1, new float[] {1f, 1f}, 0, 2,
                    0.5f, d, 0, 2);
            assertArrayEquals(new float[] {1f, 2f}, d, backend.toString());
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        for (Sgemm backend : backends()) {
            var e = assertThrows(IllegalArgumentException.class, () -> backend.sgemm(false, false, 2, 2, 3, 1f,
                    new float[6], 0, 2, new float[6], 0, 2, 0f, new float[4], 0, 2));
            assertTrue(e.getMessage().contains("leading dimension of A"), e.getMessage());
            var tooShort = assertThrows(IllegalArgumentException.class, () -> backend.sgemm(false, false, 2, 2, 2,
                    1f, new float[4], 0, 2, new float[4], 0, 2, 0f, new float[3], 0, 2));
            assertTrue(tooShort.getMessage().contains("C"), tooShort.getMessage());
        }
    }

    @Test
    void everyBackendReportsItsPropertyName() {
        assertEquals(List.of("java", "java", "ejml", "jblas"), backends().stream().map(Sgemm::name).toList());
    }

    /** A row-major matrix stored at an offset with a leading dimension wider than its rows, padded at the end. */
    private static final class Stored {
        final float[] data;
        final int offset;
        final int ld;
        final int rows;
        final int cols;

        private Stored(float[] data, int offset, int ld, int rows, int cols) {
            this.data = data;
            this.offset = offset;
            this.ld = ld;
            this.rows = rows;
            this.cols = cols;
        }

        static Stored random(Random random, int rows, int cols, int offset, int extraLd) {
            int ld = cols + extraLd;
            float[] data = new float[offset + rows * ld + 2];
            java.util.Arrays.fill(data, SENTINEL);
            Stored s = new Stored(data, offset, ld, rows, cols);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    data[s.index(i, j)] = random.nextFloat() * 2 - 1;
                }
            }
            return s;
        }

        static float[] randomArray(Random random, int size) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = (float) random.nextGaussian();
            }
            return x;
        }

        int index(int i, int j) {
            return offset + i * ld + j;
        }

        float get(int i, int j) {
            return data[index(i, j)];
        }

        void fillBlock(float value) {
            for (int i = 0; i < rows; i++) {
                java.util.Arrays.fill(data, index(i, 0), index(i, cols), value);
            }
        }

        void assertOutsideUnchanged(float[] before) {
            boolean[] inside = new boolean[data.length];
            for (int i = 0; i < rows; i++) {
                java.util.Arrays.fill(inside, index(i, 0), index(i, cols), true);
            }
            for (int x = 0; x < data.length; x++) {
                if (!inside[x] && Float.compare(data[x], before[x]) != 0) {
                    fail("cell " + x + " outside C's block changed from " + before[x] + " to " + data[x]);
                }
            }
        }
    }
}
