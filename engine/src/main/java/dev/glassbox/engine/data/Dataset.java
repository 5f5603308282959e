package dev.glassbox.engine.data;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.Arrays;

/**
 * Examples and their integer labels: images [n, channels, height, width] (NCHW, float) or any [n, ...] tensor.
 * Immutable in practice: the methods return new datasets.
 */
public record Dataset(Tensor inputs, int[] labels) {

    public Dataset {
        if (inputs.dim(0) != labels.length) {
            throw new IllegalArgumentException("dataset: " + inputs.dim(0) + " inputs but " + labels.length
                    + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    /** The examples [from, to) as a new dataset (copied). */
    public Dataset range(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("dataset range [" + from + ", " + to + ") is outside [0, " + size()
                    + ")");
        }
        return new Dataset(inputs.slice(0, from, to), Arrays.copyOfRange(labels, from, to));
    }

    /** The first {@code n} examples. */
    public Dataset first(int n) {
        return range(0, Math.min(n, size()));
    }

    /** The examples at the given indices, in that order (a batch). */
    public Dataset select(int[] indices) {
        int[] shape = inputs.shape();
        int stride = inputs.size() / Math.max(1, shape[0]);
        float[] src = inputs.data();
        float[] out = Workspace.floatsToOverwrite(indices.length * stride);     // a training step's batch
        int[] selected = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(src, indices[i] * stride, out, i * stride, stride);
            selected[i] = labels[indices[i]];
        }
        shape[0] = indices.length;
        return new Dataset(new Tensor(out, shape), selected);
    }

    /** The same examples with another input shape per example, e.g. {@code reshape(784)} to flatten images. */
    public Dataset reshape(int... exampleShape) {
        int[] shape = new int[exampleShape.length + 1];
        shape[0] = size();
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return new Dataset(inputs.reshapeData(shape), labels);
    }

    /** (x - mean) / std on every input value, as torchvision's Normalize does for one channel. */
    public Dataset normalize(float mean, float std) {
        float[] src = inputs.data();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = (src[i] - mean) / std;
        }
        return new Dataset(new Tensor(out, inputs.shape()), labels);
    }
}
