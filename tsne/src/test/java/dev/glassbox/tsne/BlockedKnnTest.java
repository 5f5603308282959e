package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockedKnnTest {

    /**
     * Every query's neighbours and distances equal the plain brute force's, bit for bit, with the scalar loops and
     * with the Vector API ones.
     */
    private static void assertSameAsBruteForce(float[] data, int n, int dims, int k, int from, int to) {
        assertSameAsBruteForce(new BlockedKnn(data, n, dims, false), data, n, dims, k, from, to);
        assertSameAsBruteForce(new BlockedKnn(data, n, dims, true), data, n, dims, k, from, to);
    }

    private static void assertSameAsBruteForce(BlockedKnn knn, float[] data, int n, int dims, int k, int from,
                                               int to) {
        int[] blocked = new int[n * k];
        double[] blockedDistances = new double[n * k];
        knn.search(from, to, k, blocked, blockedDistances);
        int[] plain = new int[k];
        double[] plainDistances = new double[k];
        for (int i = from; i < to; i++) {
            VpTree.bruteForce(data, n, dims, i, k, plain, plainDistances, 0);
            int[] found = java.util.Arrays.copyOfRange(blocked, i * k, (i + 1) * k);
            double[] distances = java.util.Arrays.copyOfRange(blockedDistances, i * k, (i + 1) * k);
            assertArrayEquals(plain, found, "neighbours of point " + i);
            assertArrayEquals(plainDistances, distances, 0, "distances of point " + i);
        }
    }

    @Test
    void findsExactlyTheBruteForceNeighboursAcrossBlockBoundaries() {
        // n not a multiple of the point block (512) nor of the query block (8); a sub-range of queries, as a
        // thread gets; exact duplicates, whose ties must go by index.
        int n = 1300;
        int dims = 50;
        float[] data = AffinitiesTest.gaussianData(n, dims, 11);
        System.arraycopy(data, 0, data, 700 * dims, dims);
        System.arraycopy(data, 0, data, 1299 * dims, dims);
        assertSameAsBruteForce(data, n, dims, 90, 0, n);
        assertSameAsBruteForce(data, n, dims, 7, 513, 1037);
    }

    @Test
    void farFromTheOriginTheFloatEstimateStillMissesNoNeighbour() {
        // Points 1000 units from the origin but 0.01 apart: |x|² ≈ 10⁶ dwarfs the distances (10⁻⁴), so the float
        // dot products cancel catastrophically; the rounding margin must keep every true neighbour a candidate.
        int n = 600;
        int dims = 13;
        SplittableRandom random = new SplittableRandom(3);
        float[] data = new float[n * dims];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (1000 / Math.sqrt(dims) + 0.01 * random.nextGaussian());
        }
        assertSameAsBruteForce(data, n, dims, 20, 0, n);
    }

    @Test
    void fewerPointsThanABlockAndOneDimension() {
        int n = 40;
        float[] data = AffinitiesTest.gaussianData(n, 1, 4);
        assertSameAsBruteForce(data, n, 1, 39, 0, n);
    }

    @Test
    void theOutwardScanVisitsEveryBlockOnceStartingAtHome() {
        for (int blocks = 1; blocks <= 9; blocks++) {
            for (int home = 0; home < blocks; home++) {
                boolean[] seen = new boolean[blocks];
                for (int step = 0; step < blocks; step++) {
                    int block = BlockedKnn.outward(home, step, blocks);
                    assertEquals(false, seen[block], "block " + block + " twice, home " + home + " of " + blocks);
                    seen[block] = true;
                    if (step == 0) {
                        assertEquals(home, block);
                    }
                }
            }
        }
    }
}
