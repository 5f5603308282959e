package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcaGramTest {

    @Test
    void wideDataGivesTheSameComponentsThroughTheGramMatrix() {
        // 12 rows of 40 features take the Gram path (d > n). The same rows repeated four times (48 > 40) have the
        // same principal directions and take the covariance path: the projections must agree.
        SplittableRandom random = new SplittableRandom(3);
        int n = 12;
        int d = 40;
        float[][] wide = new float[n][d];
        for (float[] row : wide) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) random.nextGaussian() * (j < 3 ? 5 : 1);
            }
        }
        float[][] tall = new float[4 * n][];
        for (int i = 0; i < tall.length; i++) {
            tall[i] = wide[i % n];                   // same mean and covariance (up to n−1 vs 4n−1), now n > d
        }
        Pca byGram = Pca.fit(wide, 3, 1);
        Pca byCovariance = Pca.fit(tall, 3, 1);
        float[][] a = byGram.transform(wide);
        float[][] b = byCovariance.transform(wide);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(b[i][c], a[i][c], 1e-3 * (1 + Math.abs(b[i][c])), "row " + i + " component " + c);
            }
        }
        double ratio = (4.0 * n - 1) / (4.0 * (n - 1));   // scatter ×4 over (4n − 1), vs scatter over (n − 1)
        for (int c = 0; c < 3; c++) {
            assertEquals(byCovariance.variances()[c] * ratio, byGram.variances()[c], 1e-6 * byGram.variances()[c]);
        }
    }
}
