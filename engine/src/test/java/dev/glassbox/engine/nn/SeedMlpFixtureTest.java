package dev.glassbox.engine.nn;

import static dev.glassbox.engine.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.engine.optim.Adam;
import dev.glassbox.engine.optim.Optimizer;
import dev.glassbox.engine.optim.RmsProp;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed MLP against seed_mlp.h5: forward, loss, every gradient, and two optimizer steps per optimizer. */
class SeedMlpFixtureTest {
    private static final List<String> LAYERS = List.of("hidden1", "hidden2", "hidden3", "output");
    private static Fixtures file;

    @BeforeAll
    static void open() {
        file = Fixtures.open("seed_mlp.h5");
    }

    @AfterAll
    static void close() {
        file.close();
    }

    /** The model of the file's description, with its stored parameters. */
    static Sequential model() {
        Sequential model = new Sequential("seed_mlp", new Flatten("flatten"));
        int inputs = file.tensor("params/hidden1/kernel").dim(0);
        for (String name : LAYERS) {
            Tensor kernel = file.tensor("params/" + name + "/kernel");
            Dense dense = new Dense(name, inputs, kernel.dim(1), name.equals("output") ? "softmax" : "sigmoid");
            dense.setWeights(List.of(kernel, file.tensor("params/" + name + "/bias")));
            model.add(dense);
            inputs = kernel.dim(1);
        }
        return model;
    }

    private static Tensor loss(Sequential model, Tensor x) {
        return Losses.categoricalCrossEntropy(model.forward(x), file.tensor("input/y_onehot"));
    }

    @Test
    void forwardMatchesEveryLayer() {
        Sequential model = model();
        Map<String, Tensor> outputs = new HashMap<>();
        for (Layer layer : model.layers()) {
            layer.registerForwardHook((l, in, out) -> outputs.put(l.name(), out));
        }
        model.forward(file.tensor("input/x"));
        assertClose("forward/flat", file.tensor("forward/flat"), outputs.get("flatten"));
        for (String name : LAYERS) {
            assertClose("forward/" + name, file.tensor("forward/" + name), outputs.get(name));
        }
    }

    @Test
    void lossAndEveryGradientMatch() {
        Sequential model = model();
        Tensor x = file.tensor("input/x").requiresGrad(true);
        Map<String, Tensor> gradOutputs = new HashMap<>();
        for (Layer layer : model.layers()) {
            layer.registerBackwardHook((l, gradIn, gradOut) -> gradOutputs.put(l.name(), gradOut));
        }
        Tensor loss = loss(model, x);
        assertClose("loss", file.tensor("loss"), loss.reshape());
        loss.backward();
        for (String name : LAYERS) {
            Dense dense = (Dense) model.layer(name);
            assertClose("grads/params/" + name + "/kernel", file.tensor("grads/params/" + name + "/kernel"),
                    dense.kernel().grad());
            assertClose("grads/params/" + name + "/bias", file.tensor("grads/params/" + name + "/bias"),
                    dense.bias().grad());
            if (!name.equals("output")) {
                assertClose("grads/activations/" + name, file.tensor("grads/activations/" + name),
                        gradOutputs.get(name));
            }
        }
        assertClose("grads/input", file.tensor("grads/input"), x.grad());
    }

    @Test
    void recordedOptimizerStepsMatchPyTorchAndKeras() throws Exception {
        JsonNode recorded = new ObjectMapper().readTree((String) file.attribute("/", "recorded_optimizer_steps"));
        int compared = 0;
        for (Iterator<String> it = recorded.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String group = key.startsWith("keras_") ? "optim_keras/" + key.substring(6) : "optim/" + key;
            Sequential model = model();
            Optimizer optimizer = optimizer(key, group, model);
            Tensor x = file.tensor("input/x");
            for (int step = 1; step <= 2; step++) {
                optimizer.zeroGrad();
                Tensor loss = loss(model, x);
                if (step == 2 && file.has(group + "/loss_step2")) {
                    assertClose(group + "/loss_step2", file.tensor(group + "/loss_step2"), loss.reshape());
                }
                loss.backward();
                optimizer.step();
                for (JsonNode s : recorded.get(key)) {
                    if (s.asInt() != step) {
                        continue;
                    }
                    for (String name : LAYERS) {
                        for (String p : List.of("kernel", "bias")) {
                            String path = group + "/step" + step + "/" + name + "/" + p;
                            assertClose(path, file.tensor(path), model.layer(name).parameter(p).value());
                            compared++;
                        }
                    }
                }
            }
        }
        assertTrue(compared > 0, "no recorded optimizer step was compared");
    }

    /** Builds the optimizer a fixture group describes, from its hyperparameters attribute. */
    private static Optimizer optimizer(String key, String group, Sequential model) throws Exception {
        String json = key.startsWith("keras_") ? kerasArguments(String.valueOf(file.attribute(group,
                "keras_optimizer"))) : String.valueOf(file.attribute(group, "hyperparameters"));
        JsonNode h = new ObjectMapper().readTree(json);
        List<Parameter> params = model.parameters();
        float lr = (float) h.path("lr").asDouble(Double.NaN);
        assertFalse(Float.isNaN(lr), group + " has no lr in its hyperparameters: " + json);
        String name = key.startsWith("keras_") ? key.substring(6) : key;
        return switch (name) {
            case "sgd", "sgd_momentum" -> new Sgd(params, lr, (float) h.path("momentum").asDouble(0),
                    (float) h.path("dampening").asDouble(0), h.path("nesterov").asBoolean(false),
                    (float) h.path("weight_decay").asDouble(0));
            case "adam" -> new Adam(params, lr, (float) h.path("betas").path(0).asDouble(h.path("beta_1").asDouble()),
                    (float) h.path("betas").path(1).asDouble(h.path("beta_2").asDouble()),
                    (float) h.path("eps").asDouble(h.path("epsilon").asDouble()), h.path("amsgrad").asBoolean(false),
                    0f, key.startsWith("keras_") ? Adam.Flavor.KERAS : Adam.Flavor.PYTORCH);
            case "rmsprop" -> new RmsProp(params, lr, (float) h.path("alpha").asDouble(h.path("rho").asDouble()),
                    (float) h.path("eps").asDouble(h.path("epsilon").asDouble()));
            default -> throw new IllegalStateException("fixture names an optimizer this test does not know: " + key);
        };
    }

    /**
     * Turns a Keras constructor call as the fixture records it, e.g. {@code Adam(lr=0.001, epsilon=K.epsilon()=1e-7)},
     * into JSON: {@code {"lr": 0.001, "epsilon": 1e-7}} (the last {@code =} of an argument holds its value).
     */
    static String kerasArguments(String call) {
        String inside = call.substring(call.indexOf('(') + 1, call.lastIndexOf(')'));
        StringBuilder json = new StringBuilder("{");
        for (String argument : inside.split(",\\s*")) {
            int first = argument.indexOf('=');
            String value = argument.substring(argument.lastIndexOf('=') + 1).trim();
            if (value.equals("False") || value.equals("True")) {
                value = value.toLowerCase(java.util.Locale.ROOT);
            }
            json.append(json.length() > 1 ? ", " : "").append('"').append(argument.substring(0, first).trim())
                    .append("\": ").append(value);
        }
        return json.append('}').toString();
    }

    @Test
    void summaryCountsTheSeedMlp() {
        String summary = model().summary(28, 28, 1);
        assertTrue(summary.contains("[-1, 784]"), summary);
        long expected = 0;
        for (String name : LAYERS) {
            expected += file.tensor("params/" + name + "/kernel").size()
                    + file.tensor("params/" + name + "/bias").size();
        }
        assertEquals(expected, model().parameterCount());
        assertTrue(summary.contains(String.format("Total params: %,d", expected)), summary);
    }
}
