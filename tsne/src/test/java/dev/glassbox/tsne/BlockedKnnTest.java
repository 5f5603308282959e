package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        for (int rank = from; rank < to; rank++) {
            int i = knn.pointAt(rank);
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
    void skipsTheBlocksBeyondEveryQuerysKthBestAndStillFindsTheSameNeighbours() {
        // Six clusters of 700 points in 20 dimensions, centres 15 or more apart, each spread 1 per coordinate: the
        // blocks of a cluster's far side and of the other clusters can be skipped, those near a boundary cannot.
        int n = 4200;
        int dims = 20;
        SplittableRandom random = new SplittableRandom(8);
        float[] data = new float[n * dims];
        for (int i = 0; i < n; i++) {
            int cluster = i % 6;
            for (int d = 0; d < dims; d++) {
                double centre = d == cluster % 3 ? 15 * (cluster / 3 + 1) : 0;
                data[i * dims + d] = (float) (centre + random.nextGaussian());
            }
        }
        int k = 30;
        for (boolean vector : new boolean[] {false, true}) {
            BlockedKnn knn = new BlockedKnn(data, n, dims, vector);
            int queryBlocks = (n + 7) / 8;
            int pointBlocks = (n + 511) / 512;
            long computed = knn.search(0, n, k, new int[n * k], new double[n * k]);
            assertTrue(computed < queryBlocks * (long) pointBlocks / 2,
                    computed + " of " + queryBlocks * (long) pointBlocks + " block pairs computed");
            assertSameAsBruteForce(knn, data, n, dims, k, 0, n);
        }
    }

    @Test
    void inTwoDimensionsTheNeighboursNearABoxFaceAreNotSkipped() {
        // In 2-D the boxes are tight and a query's nearest point in a neighbouring block often lies close to the
        // face nearest to it, so a box bound that overstated the distance even slightly would drop true neighbours.
        int n = 6000;
        float[] data = AffinitiesTest.gaussianData(n, 2, 21);
        for (boolean vector : new boolean[] {false, true}) {
            assertSameAsBruteForce(new BlockedKnn(data, n, 2, vector), data, n, 2, 10, 0, n);
        }
    }
}
