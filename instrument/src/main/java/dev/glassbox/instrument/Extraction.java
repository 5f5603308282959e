package dev.glassbox.instrument;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.nn.HookHandle;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The representation every layer computes for a whole dataset: the model runs over it batch by batch in inference
 * mode without a graph ({@link NoGrad}), and a forward hook copies each layer's batch output into one array per
 * layer. Memory is what the result needs (n × features per layer) plus one batch of the model's own work.
 *
 * <p>Arrays keep the model's own layout ({@link Model#toUserLayout}): NHWC for a channels-last (Keras) model, NCHW
 * otherwise, so they compare with what the framework that made the model produces.
 */
public final class Extraction {
    private Extraction() {}

    /** Every layer's output for all of {@code inputs} [n, ...] (not modified), in model order. */
    public static Map<String, Tensor> extract(Model model, Tensor inputs, int batchSize) {
        return extract(model, model.layers().stream().map(Layer::name).toList(), inputs, batchSize);
    }

    /** The chosen layers' outputs for all of {@code inputs} [n, ...] (not modified), in the order asked for. */
    public static Map<String, Tensor> extract(Model model, List<String> layerNames, Tensor inputs, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        int n = inputs.dim(0);
        Map<String, float[]> arrays = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int[] batchStart = new int[1];
        List<HookHandle> handles = new ArrayList<>();
        for (String name : layerNames) {
            Layer layer = model.layer(name);
            handles.add(layer.registerForwardHook((l, input, output) -> {
                Tensor shown = model.toUserLayout(output);
                int perExample = shown.size() / shown.dim(0);
                float[] all = arrays.computeIfAbsent(name, k -> {
                    int[] shape = shown.shape().clone();
                    shape[0] = n;
                    shapes.put(name, shape);
                    return new float[Math.multiplyExact(n, perExample)];
                });
                System.arraycopy(shown.data(), 0, all, batchStart[0] * perExample, shown.size());
            }));
        }
        boolean[] training = new boolean[model.layers().size()];
        for (int i = 0; i < training.length; i++) {
            training[i] = model.layers().get(i).isTraining();
        }
        model.eval();
        // The hooks copy each batch's outputs out, so every batch can run on the arrays of the batch before.
        Workspace workspace = Workspace.forBatches();
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < n; start += batchSize) {
                batchStart[0] = start;
                try (Workspace.Step step = Workspace.openStep(workspace)) {
                    model.forward(inputs.slice(0, start, Math.min(n, start + batchSize)));
                }
            }
        } finally {
            handles.forEach(HookHandle::remove);
            for (int i = 0; i < training.length; i++) {
                model.layers().get(i).setTraining(training[i]);
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String name : layerNames) {
            result.put(name, new Tensor(arrays.get(name), shapes.get(name)));
        }
        return result;
    }

    /** Writes each tensor as {@code dir/<name>.npy} (float32), creating {@code dir}. */
    public static void writeNpy(Map<String, Tensor> tensors, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Npy.write(dir.resolve(e.getKey() + ".npy"), e.getValue());
        }
    }

    /** A [n, ...] tensor viewed as n rows of features: [n, product of the rest] (shares the data). */
    public static Tensor flattenRows(Tensor tensor) {
        int n = tensor.dim(0);
        return new Tensor(tensor.data(), n, tensor.size() / Math.max(1, n));
    }
}
