package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaTest {

    @Test
    void firstComponentFollowsTheDirectionOfLargestVariance() {
        // Points along (3, 4)/5 with spread 10, plus noise of spread 0.1 across it.
        Random random = new Random(1);
        float[][] x = new float[500][2];
        for (float[] row : x) {
            double along = 10 * random.nextGaussian();
            double across = 0.1 * random.nextGaussian();
            row[0] = (float) (1 + 0.6 * along - 0.8 * across);
            row[1] = (float) (2 + 0.8 * along + 0.6 * across);
        }
        Pca pca = Pca.fit(x, 2, 2);
        double[] variances = pca.variances();
        assertEquals(100, variances[0], 15);
        assertEquals(0.01, variances[1], 0.005);
        // A step of 5 along the main direction moves the first coordinate by 5 and the second not at all.
        float[][] projected = pca.transform(new float[][] {{1, 2}, {1 + 0.6f * 5, 2 + 0.8f * 5}});
        assertEquals(5, Math.abs(projected[1][0] - projected[0][0]), 0.05);
        assertTrue(Math.abs(projected[1][1] - projected[0][1]) < 0.05);
    }
}
