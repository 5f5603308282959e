package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcaGramTest {

    /** 12 rows of 40 features take the Gram path (d > n); the same rows 4 times over (48 > 40) the covariance path. */
    @Test
    void wideDataGivesTheSameComponentsThroughTheGramMatrix() {
        assertBothPathsAgree(12, 40, 4, 3, 1);
    }

    /**
     * Rows of 600 features, wide enough for the vector loops on both paths: 21 rows by the Gram matrix, the same
     * rows 31 times over (651 > 600) by the covariance matrix, whose entries are dot products of columns 651 long.
     */
    @Test
    void wideRowsGiveTheSameComponentsOnBothPathsWithTheVectorLoops() {
        assertBothPathsAgree(21, 600, 31, 4, 2);
    }

    /**
     * n random rows of d features (three leading directions of larger variance) fitted directly, and repeated
     * {@code copies} times (same mean and covariance up to n−1 vs copies·n−1, now more rows than features): the
     * two fits must project the rows alike and give proportional variances.
     */
    private static void assertBothPathsAgree(int n, int d, int copies, long seed, int threads) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] wide = new float[n][d];
        for (float[] row : wide) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) random.nextGaussian() * (j < 3 ? 5 - j : 1);
            }
        }
        float[][] tall = new float[copies * n][];
        for (int i = 0; i < tall.length; i++) {
            tall[i] = wide[i % n];
        }
        Pca byGram = Pca.fit(wide, 3, threads);
        Pca byCovariance = Pca.fit(tall, 3, threads);
        float[][] a = byGram.transform(wide);
        float[][] b = byCovariance.transform(wide);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(b[i][c], a[i][c], 1e-3 * (1 + Math.abs(b[i][c])), "row " + i + " component " + c);
            }
        }
        double ratio = (copies * (double) n - 1) / (copies * (n - 1.0));   // scatter over (copies·n − 1) vs (n − 1)
        for (int c = 0; c < 3; c++) {
            assertEquals(byCovariance.variances()[c] * ratio, byGram.variances()[c], 1e-6 * byGram.variances()[c]);
        }
    }
}
