package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class VpTreeTest {

    @Test
    void treeFindsTheSameNeighboursAsBruteForce() {
        int n = 700;
        int dims = 8;
        int k = 20;
        float[] data = AffinitiesTest.gaussianData(n, dims, 5);
        // A few exact duplicates: ties must be broken the same way (by index) in both searches.
        System.arraycopy(data, 0, data, 10 * dims, dims);
        System.arraycopy(data, 0, data, 20 * dims, dims);
        VpTree tree = new VpTree(data, n, dims, 7);
        int[] fromTree = new int[k];
        int[] fromBrute = new int[k];
        double[] treeDistances = new double[k];
        double[] bruteDistances = new double[k];
        for (int i = 0; i < n; i++) {
            tree.search(i, k, fromTree, treeDistances, 0);
            VpTree.bruteForce(data, n, dims, i, k, fromBrute, bruteDistances, 0);
            assertArrayEquals(fromBrute, fromTree, "neighbours of point " + i);
            assertArrayEquals(bruteDistances, treeDistances, 0, "distances of point " + i);
        }
    }
}
