package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

    static float[][] rows(int n, int dims, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][dims];
        for (float[] row : x) {
            for (int k = 0; k < dims; k++) {
                row[k] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void trustworthinessOfAPerfectEmbeddingIsOne() {
        float[][] x = rows(300, 2, 1);
        assertEquals(1.0, Metrics.trustworthiness(x, x, 10, 2), 1e-12);
    }

    @Test
    void trustworthinessOfARandomEmbeddingIsLower() {
        float[][] x = rows(300, 2, 1);
        double random = Metrics.trustworthiness(x, rows(300, 2, 2), 10, 2);
        assertTrue(random < 0.7, "random embedding scored " + random);
    }

    @Test
    void knnAccuracyOfSeparatedClustersIsOneAndOfShuffledLabelsIsLow() {
        float[][] y = rows(200, 2, 3);
        int[] labels = new int[200];
        for (int i = 0; i < 200; i++) {
            labels[i] = i % 2;
            y[i][0] += labels[i] * 100;
        }
        assertEquals(1.0, Metrics.knnAccuracy(y, labels, 10, 1), 0);
        int[] shuffled = new int[200];
        for (int i = 0; i < 200; i++) {
            shuffled[i] = (i / 2) % 2;
        }
        assertTrue(Metrics.knnAccuracy(y, shuffled, 10, 1) < 0.7);
    }

    /** Only which points share a label counts, not the labels' values: huge ones cost no memory or time. */
    @Test
    void knnAccuracyDependsOnTheClassesNotOnTheLabelValues() {
        float[][] y = rows(300, 2, 4);
        int[] labels = new int[300];
        int[] renamed = new int[300];
        int[] names = {1_900_000_000, 5, 0, 77, 2_000_000_000, 3, 1_000_000};
        for (int i = 0; i < 300; i++) {
            labels[i] = (i * 7 + i / 5) % 7;
            renamed[i] = names[labels[i]];
        }
        double accuracy = Metrics.knnAccuracy(y, labels, 10, 2);
        assertTrue(accuracy > 0 && accuracy < 1, "accuracy " + accuracy);
        assertEquals(accuracy, Metrics.knnAccuracy(y, renamed, 10, 2), 0);
    }

    /**
     * Against the exact method's objective, for a few points (their input distances kept between the two passes)
     * and for more than {@link Metrics#KEPT_DISTANCES} allows (computed again).
     */
    @Test
    void klDivergenceAgreesWithTheExactGradientsObjective() {
        klDivergenceAgreesWithTheExactGradientsObjective(150);
        int recomputed = (int) Math.sqrt(Metrics.KEPT_DISTANCES) + 1;
        klDivergenceAgreesWithTheExactGradientsObjective(recomputed);
    }

    private static void klDivergenceAgreesWithTheExactGradientsObjective(int n) {
        float[][] x = rows(n, 5, 4);
        float[][] y = rows(n, 2, 5);
        double[] flatY = new double[n * 2];
        for (int i = 0; i < n; i++) {
            flatY[2 * i] = y[i][0];
            flatY[2 * i + 1] = y[i][1];
        }
        try (Parallel parallel = new Parallel(1)) {
            double[] p = Affinities.dense(TSne.flatten(x), n, 5, 15, parallel);
            ExactGradient gradient = new ExactGradient(p, n, 2, parallel);
            double expected = gradient.klDivergence(flatY, gradient.compute(flatY, 1, new double[n * 2]));
            assertEquals(expected, Metrics.klDivergence(x, y, 15, 2), 1e-9, n + " points");
        }
    }
}
