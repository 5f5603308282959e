package dev.glassbox.engine.nn;

import static dev.glassbox.engine.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed CNN as a learner builds it ({@link SeedModels#cnn}) against seed_cnn.h5: PyTorch's parameters set by
 * name (Linear weights transposed into Dense kernels), every activation seen by forward hooks, every gradient
 * seen by backward hooks and on the parameters, and the recorded SGD-with-momentum steps.
 */
class SeedCnnFixtureTest {
    /** Our layer whose output is each recorded activation of the file. */
    private static final Map<String, String> ACTIVATIONS = Map.of("conv1", "conv1", "h1", "relu1", "h2", "pool1",
            "conv2", "conv2", "h3", "relu2", "h4", "pool2", "h4_flat", "flatten", "fc1", "fc1", "h5", "relu3",
            "logits", "fc2");
    private static Fixtures file;

    @BeforeAll
    static void open() {
        file = Fixtures.open("seed_cnn.h5");
    }

    @AfterAll
    static void close() {
        file.close();
    }

    /** The seed CNN (input already normalised, as in the file) with the file's parameters. */
    static Sequential model(String group) {
        Sequential model = SeedModels.cnn(0, false);
        for (String layer : List.of("conv1", "conv2", "fc1", "fc2")) {
            Tensor weight = file.tensor(group + "/" + layer + ".weight");
            Tensor kernel = layer.startsWith("fc") ? weight.t() : weight;     // Linear [out, in] → Dense [in, out]
            model.layer(layer).setWeights(List.of(kernel, file.tensor(group + "/" + layer + ".bias")));
        }
        return model;
    }

    private static int[] labels() {
        long[] raw = file.longs("input/labels");
        int[] labels = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labels[i] = (int) raw[i];
        }
        return labels;
    }

    @Test
    void everyActivationLossAndGradientMatchesPyTorch() {
        Sequential model = model("params");
        Map<String, Tensor> outputs = new HashMap<>();
        Map<String, Tensor> gradOutputs = new HashMap<>();
        for (Layer layer : model.layers()) {
            layer.registerForwardHook((l, in, out) -> outputs.put(l.name(), out));
            layer.registerBackwardHook((l, gi, go) -> gradOutputs.put(l.name(), go));
        }
        Tensor x = file.tensor("input/x").requiresGrad(true);
        Tensor logProbabilities = model.forward(x);
        Tensor loss = Losses.nll(logProbabilities, labels());
        assertClose("loss", file.tensor("loss"), loss.reshape());
        assertClose("forward/h6", file.tensor("forward/h6"), logProbabilities);
        loss.backward();
        for (Map.Entry<String, String> e : ACTIVATIONS.entrySet()) {
            assertClose("forward/" + e.getKey(), file.tensor("forward/" + e.getKey()), outputs.get(e.getValue()));
            assertClose("grads/activations/" + e.getKey(), file.tensor("grads/activations/" + e.getKey()),
                    gradOutputs.get(e.getValue()));
        }
        for (String layer : List.of("conv1", "conv2", "fc1", "fc2")) {
            Tensor gradWeight = model.layer(layer).parameter("kernel").grad();
            assertClose("grads/params/" + layer + ".weight", file.tensor("grads/params/" + layer + ".weight"),
                    layer.startsWith("fc") ? gradWeight.t() : gradWeight);
            assertClose("grads/params/" + layer + ".bias", file.tensor("grads/params/" + layer + ".bias"),
                    model.layer(layer).parameter("bias").grad());
        }
        assertClose("grads/input", file.tensor("grads/input"), x.grad());
    }

    @Test
    void sgdWithMomentumStepsMatchPyTorch() throws Exception {
        String group = "optim/sgd_momentum";
        int steps = 0;
        for (int step = 1; step <= 2; step++) {
            steps += file.has(group + "/step" + step) ? 1 : 0;
        }
        assertTrue(steps > 0, "no recorded step in " + group);
        Sequential model = model("params");
        JsonNode h = new ObjectMapper().readTree(String.valueOf(file.attribute(group, "hyperparameters")));
        Sgd sgd = new Sgd(model.trainableParameters(), (float) h.get("lr").asDouble(),
                (float) h.path("momentum").asDouble(0), (float) h.path("dampening").asDouble(0),
                h.path("nesterov").asBoolean(false), (float) h.path("weight_decay").asDouble(0));
        for (int step = 1; step <= 2; step++) {
            sgd.zeroGrad();
            Losses.nll(model.forward(file.tensor("input/x")), labels()).backward();
            sgd.step();
            if (!file.has(group + "/step" + step)) {
                continue;
            }
            for (String layer : List.of("conv1", "conv2", "fc1", "fc2")) {
                Tensor kernel = model.layer(layer).parameter("kernel").value();
                assertClose(group + "/step" + step + "/" + layer + ".weight",
                        file.tensor(group + "/step" + step + "/" + layer + ".weight"),
                        layer.startsWith("fc") ? kernel.t() : kernel);
                assertClose(group + "/step" + step + "/" + layer + ".bias",
                        file.tensor(group + "/step" + step + "/" + layer + ".bias"),
                        model.layer(layer).parameter("bias").value());
            }
        }
    }

    @Test
    void summaryShowsTorchsummaryCounts() {
        Sequential model = SeedModels.cnn(1);
        String summary = model.summary(1, 28, 28);
        assertEquals(431_080, model.parameterCount());
        assertEquals(520, model.layer("conv1").parameterCount());
        assertEquals(25_050, model.layer("conv2").parameterCount());
        assertEquals(400_500, model.layer("fc1").parameterCount());
        assertEquals(5_010, model.layer("fc2").parameterCount());
        assertTrue(summary.contains("[-1, 20, 24, 24]") && summary.contains("[-1, 50, 4, 4]")
                && summary.contains("[-1, 800]") && summary.contains("Total params: 431,080"), summary);
    }
}
