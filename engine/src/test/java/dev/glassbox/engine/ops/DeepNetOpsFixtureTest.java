package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The deep net of notebook 4 ({@code shared/fixtures/deep_tanh.h5}) rebuilt from matmul, add and activation ops:
 * layer k computes z_k = h_{k-1} · W_k + b_k (Keras layout [in, out]) and h_k = act_k(z_k), where the first layer
 * is relu, the last is linear, and the layers between use the group's activation (its attribute
 * {@code activation_layers_2_to_10}). The output y is a scalar, and the gradients are dy/dW_k. Every group in the
 * file is checked, dataset by dataset.
 */
class DeepNetOpsFixtureTest {
    private static final String FILE = "deep_tanh.h5";
    private static final String ACTIVATION_ATTRIBUTE = "activation_layers_2_to_10";

    private static Fixtures fixtures;

    @BeforeAll
    static void open() {
        fixtures = Fixtures.open(FILE);
    }

    @AfterAll
    static void close() {
        fixtures.close();
    }

    @TestFactory
    List<DynamicTest> everyGroupMatchesPyTorchForwardAndGradients() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String group : groups()) {
            tests.add(DynamicTest.dynamicTest(group, () -> checkGroup(group)));
        }
        assertFalse(tests.isEmpty(), FILE + " has no groups");
        return tests;
    }

    /** The groups at the root of the file (read from the file, not assumed). */
    private static List<String> groups() {
        try (HdfFile file = new HdfFile(Fixtures.fixture(FILE))) {
            List<String> names = new ArrayList<>();
            for (Node child : file.getChildren().values()) {
                if (child instanceof Group) {
                    names.add(child.getName());
                }
            }
            return names;
        }
    }

    /** The layer names under {@code group/weights}, in order dense_1, dense_2, ... (numeric, not lexicographic). */
    private static List<String> layers(String group) {
        Group weights = (Group) fixtures.node(group + "/weights");
        List<String> names = new ArrayList<>(weights.getChildren().keySet());
        names.sort(Comparator.comparingInt(name -> Integer.parseInt(name.substring(name.lastIndexOf('_') + 1))));
        return names;
    }

    private static void checkGroup(String group) {
        List<String> layers = layers(group);
        UnaryOperator<Tensor> hidden = activation(group);
        int count = layers.size();
        List<Tensor> kernels = new ArrayList<>();
        List<Tensor> biases = new ArrayList<>();
        List<Tensor> outputs = new ArrayList<>();
        // 1. Forward, comparing each pre-activation and activation with PyTorch's.
        Tensor h = fixtures.tensor(group + "/x");
        for (int k = 0; k < count; k++) {
            String layer = layers.get(k);
            Tensor kernel = fixtures.tensor(group + "/weights/" + layer + "/kernel").requiresGrad(true);
            Tensor bias = fixtures.tensor(group + "/weights/" + layer + "/bias").requiresGrad(true);
            Tensor z = h.matmul(kernel).add(bias);
            h = k == 0 ? z.relu() : k == count - 1 ? z : hidden.apply(z);
            kernels.add(kernel);
            biases.add(bias);
            outputs.add(h);
            assertClose(group + "/preact/" + layer, z);
            assertClose(group + "/activations/" + layer, h);
        }
        assertClose(group + "/output", h);
        // 2. Backward from the scalar output: dy/dW_k and dy/db_k for every layer.
        h.backward();
        for (int k = 0; k < count; k++) {
            String layer = layers.get(k);
            assertClose(group + "/grads/" + layer + "/kernel", kernels.get(k).grad());
            assertClose(group + "/grads/" + layer + "/bias", biases.get(k).grad());
        }
        // 3. The output layer is linear with one unit, so dy/dW_last = h_{last-1}ᵀ bit for bit.
        Tensor previous = outputs.get(count - 2);
        Fixtures.assertExact(FILE + ":" + group + ": own dy/dW of " + layers.get(count - 1)
                + " vs own activations of " + layers.get(count - 2) + " transposed",
                previous.detach().t(), kernels.get(count - 1).grad());
    }

    /** The group's hidden activation: its attribute, or else the prefix of its name (relu_…, sigmoid_…; tanh). */
    private static UnaryOperator<Tensor> activation(String group) {
        String name;
        if (fixtures.node(group).getAttribute(ACTIVATION_ATTRIBUTE) != null) {
            name = String.valueOf(fixtures.attribute(group, ACTIVATION_ATTRIBUTE));
        } else {
            name = group.startsWith("relu_") ? "relu" : group.startsWith("sigmoid_") ? "sigmoid" : "tanh";
        }
        switch (name) {
            case "tanh":
                return Tensor::tanh;
            case "relu":
                return Tensor::relu;
            case "sigmoid":
                return Tensor::sigmoid;
            default:
                throw new AssertionError(FILE + ":" + group + " has " + ACTIVATION_ATTRIBUTE + " = " + name
                        + ", which this test does not know");
        }
    }

    private static void assertClose(String path, Tensor actual) {
        assertNotNull(actual, FILE + ":" + path + ": no value computed");
        Fixtures.assertClose(FILE + ":" + path, fixtures.tensor(path), actual);
    }
}
