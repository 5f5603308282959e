package dev.glassbox.engine.ops;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keras' {@code mnist_cnn} example (channels-last, TF "valid" convolutions) run with the engine's NCHW ops:
 * conv2d_1 32@3x3 relu → conv2d_2 64@3x3 relu → max-pool 2x2 → dropout (identity at inference) → flatten in
 * Keras' (H, W, C) order → dense_1 128 relu → dropout → dense_2 10 softmax. Every layer output must match the
 * stored Keras-layout outputs of {@code mnist_cnn_expected.h5}.
 */
class MnistCnnKerasTest {

    @Test
    void everyLayerMatchesTheKerasReference() {
        try (Fixtures model = Fixtures.open("mnist_cnn_k224.h5");
                Fixtures expected = Fixtures.open("mnist_cnn_expected.h5")) {
            Tensor x = expected.tensor("input").permute(0, 3, 1, 2);                 // NHWC → NCHW
            var keras = new LinkedHashMap<String, Tensor>();                            // outputs in Keras layout
            Tensor h = conv(model, "conv2d_1", x).relu();
            keras.put("conv2d_1", nhwc(h));
            h = conv(model, "conv2d_2", h).relu();
            keras.put("conv2d_2", nhwc(h));
            h = MaxPool2DOp.maxPool2d(h, 2, 2);
            keras.put("max_pooling2d_1", nhwc(h));
            keras.put("dropout_1", nhwc(h));
            Tensor flat = nhwc(h).reshape(h.dim(0), -1);
            keras.put("flatten_1", flat);
            Tensor d1 = dense(model, "dense_1", flat).relu();
            keras.put("dense_1", d1);
            keras.put("dropout_2", d1);
            keras.put("dense_2", dense(model, "dense_2", d1).softmax(1));
            for (Map.Entry<String, Tensor> layer : keras.entrySet()) {
                Fixtures.assertClose("layers/" + layer.getKey(), expected.tensor("layers/" + layer.getKey()),
                        layer.getValue());
            }
            Fixtures.assertClose("output", expected.tensor("output"), keras.get("dense_2"));
        }
    }

    /** Keras Conv2D: kernel [kh, kw, in, out] → PyTorch layout [out, in, kh, kw]; stride 1, "valid". */
    private static Tensor conv(Fixtures model, String layer, Tensor x) {
        Map<String, Tensor> weights = weights(model, layer);
        return Conv2DOp.conv2d(x, weights.get("kernel").permute(3, 2, 0, 1), weights.get("bias"),
                Conv2DOp.Options.DEFAULT);
    }

    /** Keras Dense: x · kernel [in, out] + bias. */
    private static Tensor dense(Fixtures model, String layer, Tensor x) {
        Map<String, Tensor> weights = weights(model, layer);
        return x.matmul(weights.get("kernel")).add(weights.get("bias"));
    }

    /** A layer's weights by role, found through its {@code weight_names} attribute (never a guessed path). */
    private static Map<String, Tensor> weights(Fixtures model, String layer) {
        var byRole = new LinkedHashMap<String, Tensor>();
        for (String name : (String[]) model.attribute("model_weights/" + layer, "weight_names")) {
            String role = name.substring(name.lastIndexOf('/') + 1).replace(":0", "");
            byRole.put(role, model.tensor("model_weights/" + layer + "/" + name));
        }
        return byRole;
    }

    private static Tensor nhwc(Tensor nchw) {
        return nchw.permute(0, 2, 3, 1);
    }
}
