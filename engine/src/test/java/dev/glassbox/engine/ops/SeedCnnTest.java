package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seed CNN of {@code seed_cnn.h5} (PyTorch's MNIST example, NCHW) rebuilt from the engine's ops:
 * conv1 20@5x5 → relu → max-pool 2 → conv2 50@5x5 → relu → max-pool 2 → flatten (C,H,W) → fc1 500 →
 * relu → fc2 10 → log-softmax, mean NLL loss. Every stored activation, the loss and every gradient must match PyTorch.
 */
class SeedCnnTest {
    private static final List<String> PARAMETERS = List.of("conv1.weight", "conv1.bias", "conv2.weight",
            "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    @Test
    void forwardLossAndEveryGradientMatchPyTorch() {
        try (Fixtures f = Fixtures.open("seed_cnn.h5")) {
            Map<String, Tensor> params = load(f, "params/");
            Tensor x = f.tensor("input/x").requiresGrad(true);
            Map<String, Tensor> activations = forward(x, params, f.longs("input/labels"));
            Tensor loss = activations.remove("loss");
            for (var entry : activations.entrySet()) {
                Fixtures.assertClose("forward/" + entry.getKey(), f.tensor("forward/" + entry.getKey()),
                        entry.getValue());
            }
            Fixtures.assertClose("loss", f.tensor("loss"), loss);

            loss.backward();
            for (var entry : activations.entrySet()) {
                String path = "grads/activations/" + entry.getKey();
                assertTrue(f.has(path), () -> "the file has no " + path);
                Fixtures.assertClose(path, f.tensor(path), entry.getValue().grad());
            }
            for (var entry : params.entrySet()) {
                Fixtures.assertClose("grads/params/" + entry.getKey(), f.tensor("grads/params/" + entry.getKey()),
                        entry.getValue().grad());
            }
            Fixtures.assertClose("grads/input", f.tensor("grads/input"), x.grad());
        }
    }

    @Test
    void twoStepsOfSgdWithMomentumMatchPyTorch() {
        // PyTorch SGD momentum, as the group's formula attribute states: buf1 = g0, p1 = p0 - lr*buf1;
        // buf2 = momentum*buf1 + g1, p2 = p1 - lr*buf2, both gradients on the same batch.
        String group = "optim/sgd_momentum";
        try (Fixtures f = Fixtures.open("seed_cnn.h5")) {
            String hyper = (String) f.attribute(group, "hyperparameters");
            float lr = number(hyper, "lr");
            float momentum = number(hyper, "momentum");
            Tensor x = f.tensor("input/x");
            long[] labels = f.longs("input/labels");
            Map<String, Tensor> params = load(f, "params/");
            forward(x, params, labels).get("loss").backward();
            Map<String, float[]> buffers = new LinkedHashMap<>();
            for (var entry : params.entrySet()) {
                buffers.put(entry.getKey(), entry.getValue().grad().toArray());
                step(entry.getValue(), buffers.get(entry.getKey()), lr);
                Fixtures.assertClose(group + "/step1/" + entry.getKey(), f.tensor(group + "/step1/" + entry.getKey()),
                        entry.getValue());
                entry.getValue().zeroGrad();
            }
            Tensor loss2 = forward(x, params, labels).get("loss");
            Fixtures.assertClose(group + "/loss_step2", f.tensor(group + "/loss_step2"), loss2);
            loss2.backward();
            for (var entry : params.entrySet()) {
                float[] buffer = buffers.get(entry.getKey());
                float[] g = entry.getValue().grad().data();
                for (int i = 0; i < buffer.length; i++) {
                    buffer[i] = momentum * buffer[i] + g[i];
                }
                step(entry.getValue(), buffer, lr);
                Fixtures.assertClose(group + "/step2/" + entry.getKey(), f.tensor(group + "/step2/" + entry.getKey()),
                        entry.getValue());
            }
        }
    }

    /** The activations by their names in the file (each keeps its gradient), plus "loss". */
    static Map<String, Tensor> forward(Tensor x, Map<String, Tensor> p, long[] labels) {
        var acts = new LinkedHashMap<String, Tensor>();
        var convOptions = Conv2DOp.Options.DEFAULT;
        put(acts, "conv1", Conv2DOp.conv2d(x, p.get("conv1.weight"), p.get("conv1.bias"), convOptions));
        put(acts, "h1", acts.get("conv1").relu());
        put(acts, "h2", MaxPool2DOp.maxPool2d(acts.get("h1"), 2, 2));
        put(acts, "conv2", Conv2DOp.conv2d(acts.get("h2"), p.get("conv2.weight"), p.get("conv2.bias"), convOptions));
        put(acts, "h3", acts.get("conv2").relu());
        put(acts, "h4", MaxPool2DOp.maxPool2d(acts.get("h3"), 2, 2));
        put(acts, "h4_flat", acts.get("h4").reshape(x.dim(0), -1));
        put(acts, "fc1", acts.get("h4_flat").matmul(p.get("fc1.weight").t()).add(p.get("fc1.bias")));
        put(acts, "h5", acts.get("fc1").relu());
        put(acts, "logits", acts.get("h5").matmul(p.get("fc2.weight").t()).add(p.get("fc2.bias")));
        put(acts, "h6", acts.get("logits").logSoftmax(1));
        // NLL, mean over the batch: -(1/N) Σ_n logp[n, label_n], picked out with a one-hot mask.
        Tensor logp = acts.get("h6");
        Tensor oneHot = Tensors.zeros(logp.shape());
        for (int n = 0; n < labels.length; n++) {
            oneHot.set(1f, n, (int) labels[n]);
        }
        acts.put("loss", logp.mul(oneHot).sum().div(-labels.length));
        return acts;
    }

    private static void put(Map<String, Tensor> acts, String name, Tensor t) {
        acts.put(name, t.retainGrad());
    }

    private static Map<String, Tensor> load(Fixtures f, String prefix) {
        var params = new LinkedHashMap<String, Tensor>();
        for (String name : PARAMETERS) {
            params.put(name, f.tensor(prefix + name).requiresGrad(true));
        }
        return params;
    }

    /** p -= lr * buffer, in place (outside the graph). */
    private static void step(Tensor p, float[] buffer, float lr) {
        float[] v = p.data();
        for (int i = 0; i < v.length; i++) {
            v[i] -= lr * buffer[i];
        }
    }

    private static float number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), () -> "no " + key + " in " + json);
        return Float.parseFloat(m.group(1));
    }
}
