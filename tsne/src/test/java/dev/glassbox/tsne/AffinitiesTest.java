package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AffinitiesTest {

    static float[] gaussianData(int n, int dims, long seed) {
        Random random = new Random(seed);
        float[] data = new float[n * dims];
        for (int k = 0; k < data.length; k++) {
            data[k] = (float) random.nextGaussian();
        }
        return data;
    }

    @Test
    void calibrationHitsTheTargetEntropy() {
        Random random = new Random(3);
        double[] distances = new double[90];
        for (int j = 0; j < distances.length; j++) {
            distances[j] = 10 + 40 * random.nextDouble();        // squared distances of a 50-d cloud
        }
        for (double perplexity : new double[] {5, 30}) {
            double[] p = new double[distances.length];
            Affinities.calibrate(distances, distances.length, perplexity, p, 0);
            double entropy = 0;
            double sum = 0;
            for (double v : p) {
                entropy -= v > 0 ? v * Math.log(v) : 0;
                sum += v;
            }
            assertEquals(1, sum, 1e-12);
            assertEquals(Math.log(perplexity), entropy, 1e-5, "entropy for perplexity " + perplexity);
        }
    }

    @Test
    void sparseAffinitiesAreSymmetricAndSumToOne() {
        int n = 300;
        try (Parallel parallel = new Parallel(2)) {
            Affinities.Sparse p = Affinities.sparse(gaussianData(n, 5, 1), n, 5, 10, 1, parallel);
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
                    int j = p.columns()[e];
                    assertTrue(j != i, "no self-affinity");
                    assertEquals(p.values()[e], lookup(p, j, i), 0, "p_ij = p_ji at " + i + "," + j);
                    total += p.values()[e];
                }
            }
            assertEquals(1, total, 1e-12);
        }
    }

    @Test
    void denseAffinitiesAreSymmetricAndSumToOne() {
        int n = 120;
        try (Parallel parallel = new Parallel(1)) {
            double[] p = Affinities.dense(gaussianData(n, 4, 2), n, 4, 10, parallel);
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(p[i * n + j], p[j * n + i], 0);
                    total += p[i * n + j];
                }
            }
            assertEquals(1, total, 1e-9);
        }
    }

    @Test
    void tooFewPointsForThePerplexityAreRejectedWithTheNumbers() {
        var e = assertThrows(IllegalArgumentException.class, () -> Affinities.requireEnoughPoints(50, 30));
        assertTrue(e.getMessage().startsWith("perplexity 30 needs at least 91 points, got 50"), e.getMessage());
    }

    @Test
    void relabellingMovesEveryEntryWithItsPointsAndRejectsANonPermutation() {
        int n = 300;
        float[] data = gaussianData(n, 5, 17);
        try (Parallel parallel = new Parallel(1)) {
            Affinities.Sparse p = Affinities.sparse(data, n, 5, 10, 1, parallel);
            int[] order = KdOrder.of(data, n, 5, 64, 8);
            Affinities.Sparse q = p.relabelled(order);
            assertEquals(p.nonZeros(), q.nonZeros());
            for (int r = 0; r < n; r++) {
                for (int e = q.rowStart()[r]; e < q.rowStart()[r + 1]; e++) {
                    int c = q.columns()[e];
                    assertTrue(e == q.rowStart()[r] || q.columns()[e - 1] < c, "row " + r + " not ascending");
                    assertEquals(lookup(p, order[r], order[c]), q.values()[e], 0, "entry (" + r + ", " + c + ")");
                }
            }
            int[] twice = order.clone();
            twice[1] = twice[0];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.relabelled(twice));
            assertTrue(e.getMessage().contains("entry 1 is " + order[0]), e.getMessage());
        }
    }

    private static double lookup(Affinities.Sparse p, int i, int j) {
        for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
            if (p.columns()[e] == j) {
                return p.values()[e];
            }
        }
        return Double.NaN;
    }
}
