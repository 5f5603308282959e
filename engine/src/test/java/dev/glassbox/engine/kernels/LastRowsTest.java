package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A last panel of A with fewer rows than the register tile may be computed by a smaller tile
 * ({@link PackedSgemm#microKernelLastRows}); its rows must come out bitwise as they do inside a full panel.
 */
class LastRowsTest {

    @Test
    void aShortLastPanelGivesTheBitsOfTheSameRowsInAFullOne() {
        assumeTrue(Blas.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        VectorSgemm sgemm = new VectorSgemm();
        SplittableRandom random = new SplittableRandom(9);
        int saved = Parallel.threads();
        try {
            // 50 and 64 rows: the seed CNN's (a last panel of 2 and 4 rows with the 12-row tile); 61 and 67: 1 and
            // 7 rows (7 is past the 6-row tile); k past one k-block; B packed (NN, NT) and read where it lies.
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int m : new int[] {50, 64, 61, 67}) {
                    for (boolean transB : new boolean[] {false, true}) {
                        int n = 300;
                        int k = 333;
                        float[] a = random(random, (m + 12) * k);          // a full panel's worth more rows
                        float[] b = random(random, k * n);
                        float[] c = new float[m * n];
                        float[] tall = new float[(m + 12) * n];
                        int ldb = transB ? k : n;
                        sgemm.sgemm(false, transB, m, n, k, 1.25f, a, 0, k, b, 0, ldb, 0f, c, 0, n);
                        sgemm.sgemm(false, transB, m + 12, n, k, 1.25f, a, 0, k, b, 0, ldb, 0f, tall, 0, n);
                        assertArrayEquals(Arrays.copyOf(tall, m * n), c, m + " rows, transB " + transB + ", "
                                + threads + " threads");
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static float[] random(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
