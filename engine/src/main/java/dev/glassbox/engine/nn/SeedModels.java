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

    /**
     * The deep net's shape as a digit classifier (for {@code glassbox train --model deep}): Flatten, Dense(784 → 20,
     * relu), nine Dense(20, activation), Dense(20 → 10, softmax); Keras' default initialisation.
     */
    public static Sequential deepClassifier(String activation, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Sequential model = new Sequential("deep_classifier", new Flatten("flatten"));
        for (int k = 1; k <= DEEP_LAYERS; k++) {
            boolean first = k == 1;
            boolean last = k == DEEP_LAYERS;
            Dense dense = new Dense("dense_" + k, first ? 784 : DEEP_WIDTH, last ? 10 : DEEP_WIDTH,
                    first ? "relu" : last ? "softmax" : activation);
            dense.initialize(Initializers.glorotUniform(), Initializers.zeros(), random);
            model.add(dense);
        }
        return model;
    }

    /**
     * The CNN of notebook 3 (PyTorch's MNIST example): {@code conv1} Conv2D(1 → 20, 5×5), {@code relu1},
     * {@code pool1} max 2×2, {@code conv2} Conv2D(20 → 50, 5×5), {@code relu2}, {@code pool2}, {@code flatten}
     * (C, H, W order → 800), {@code fc1} Dense(800 → 500), {@code relu3}, {@code fc2} Dense(500 → 10),
     * {@code log_softmax}; PyTorch's default initialisation. The activations h1 … h6 of the notebook are the
     * outputs of relu1, pool1, relu2, pool2, relu3 and log_softmax.
     *
     * @param normalizeInput prepend {@code normalize}, torchvision's MNIST normalisation, so the model takes
     *     raw [0, 1] pixels; without it the model expects normalised input
     */
    public static Sequential cnn(long seed, boolean normalizeInput) {
        SplittableRandom random = new SplittableRandom(seed);
        Sequential model = new Sequential("seed_cnn");
        if (normalizeInput) {
            model.add(new Normalization("normalize", dev.glassbox.engine.data.Mnist.TORCH_MEAN,
                    dev.glassbox.engine.data.Mnist.TORCH_STD));
        }
        model.add(new Conv2D("conv1", 1, 20, 5).initialize(Initializers.torchDefault(), Initializers.torchBias(),
                random));
        model.add(new Activation("relu1", "relu"));
        model.add(Pooling2D.max("pool1", 2));
        model.add(new Conv2D("conv2", 20, 50, 5).initialize(Initializers.torchDefault(), Initializers.torchBias(),
                random));
        model.add(new Activation("relu2", "relu"));
        model.add(Pooling2D.max("pool2", 2));
        model.add(new Flatten("flatten"));
        model.add(new Dense("fc1", 800, 500).initialize(Initializers.torchDefault(), Initializers.torchBias(), random));
        model.add(new Activation("relu3", "relu"));
        model.add(new Dense("fc2", 500, 10).initialize(Initializers.torchDefault(), Initializers.torchBias(), random));
        model.add(new Activation("log_softmax", "log_softmax"));
        return model;
    }

    /** The seed CNN taking raw [0, 1] pixels (with its input normalisation inside). */
    public static Sequential cnn(long seed) {
        return cnn(seed, true);
    }
}
