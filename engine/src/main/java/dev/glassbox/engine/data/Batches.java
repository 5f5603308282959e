package dev.glassbox.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a dataset into mini-batches, optionally in a shuffled order. The shuffle is a Fisher–Yates permutation
 * from a generator seeded with (seed, epoch), so every epoch has its own order and a rerun has the same ones.
 */
public final class Batches {
    private Batches() {}

    /** The order in which to visit the examples in {@code epoch}: identity, or a seeded permutation. */
    public static int[] order(int size, boolean shuffle, long seed, int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Index lists of consecutive batches over {@code order}; the last one may be smaller. */
    public static List<int[]> split(int[] order, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            int[] batch = new int[end - start];
            System.arraycopy(order, start, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }
}
