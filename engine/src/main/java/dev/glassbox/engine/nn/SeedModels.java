package dev.glassbox.engine.nn;

import java.util.SplittableRandom;

/**
 * The models of the five teaching notebooks, built the way the notebooks build them, with names as there.
 * Every model draws its initial weights from one generator seeded with {@code seed}, layer by layer.
 */
public final class SeedModels {
    /** Width of the deep net's hidden layers and of its input. */
    public static final int DEEP_WIDTH = 20;
    /** Number of Dense layers of the deep net (1 relu + 9 hidden + 1 linear output). */
    public static final int DEEP_LAYERS = 11;

    private SeedModels() {}

    /**
     * The MLP of notebook 1: Flatten, 784-100-100-100 sigmoid, 10 softmax; Keras' glorot-uniform kernels and zero
     * biases. Layers: {@code flatten, hidden1, hidden2, hidden3, output}. Input [batch, 1, 28, 28] or [batch, 784].
     */
    public static Sequential mlp(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Sequential model = new Sequential("seed_mlp", new Flatten("flatten"));
        int[] sizes = {784, 100, 100, 100, 10};
        for (int i = 0; i < 4; i++) {
            boolean last = i == sizes.length - 2;
            Dense dense = new Dense(last ? "output" : "hidden" + (i + 1), sizes[i], sizes[i + 1],
                    last ? "softmax" : "sigmoid");
            dense.initialize(Initializers.glorotUniform(), Initializers.zeros(), random);
            model.add(dense);
        }
        return model;
    }

    /**
     * The deep net of notebook 4: {@code dense_1} Dense(20, relu, glorot-uniform), {@code dense_2} ..
     * {@code dense_10} Dense(20, activation, hiddenInit), {@code dense_11} Dense(1, linear, glorot-uniform);
     * all biases zero; input [batch, 20].
     */
    public static Sequential deep(String activation, Initializer hiddenInit, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Sequential model = new Sequential("deep_" + activation);
        for (int k = 1; k <= DEEP_LAYERS; k++) {
            boolean first = k == 1;
            boolean last = k == DEEP_LAYERS;
            Dense dense = new Dense("dense_" + k, DEEP_WIDTH, last ? 1 : DEEP_WIDTH,
                    first ? "relu" : last ? "linear" : activation);
            dense.initialize(first || last ? Initializers.glorotUniform() : hiddenInit, Initializers.zeros(), random);
            model.add(dense);
        }
        return model;
    }
}
