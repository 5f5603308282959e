package dev.glassbox.engine.ops;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed MLP of {@code shared/fixtures/seed_mlp.h5} (Keras semantics) rebuilt from ops: input NHWC
 * [N, 28, 28, 1] → flatten (H, W, C order = a row-major reshape) → three sigmoid Dense layers → a softmax Dense
 * layer; loss = categorical cross-entropy averaged over the batch, taken through the logits with
 * {@link SoftmaxCrossEntropyOp} (the file's loss goes through log-softmax of z_output too). Every forward tensor,
 * the loss, every parameter gradient, the upstream gradients at each pre-activation and activation, and the input
 * gradient are compared with the file.
 */
class SeedMlpOpsFixtureTest {
    private static final String FILE = "seed_mlp.h5";
    /** The layers of the model's definition, in order; the last one is the softmax output. */
    private static final String[] LAYERS = {"hidden1", "hidden2", "hidden3", "output"};

    private static Fixtures fixtures;

    @BeforeAll
    static void open() {
        fixtures = Fixtures.open(FILE);
    }

    @AfterAll
    static void close() {
        fixtures.close();
    }

    @Test
    void forwardLossAndEveryGradientMatchPyTorch() {
        Tensor x = fixtures.tensor("input/x").requiresGrad(true);
        long[] labels = fixtures.longs("input/labels");
        int[] targets = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = Math.toIntExact(labels[i]);
        }
        // 1. Forward: flatten, then z = h · kernel + bias and h = σ(z), softmax for the output layer.
        Tensor h = x.reshape(x.dim(0), -1);
        assertClose("forward/flat", h);
        List<Tensor> kernels = new ArrayList<>();
        List<Tensor> biases = new ArrayList<>();
        List<Tensor> preactivations = new ArrayList<>();
        List<Tensor> activations = new ArrayList<>();
        Tensor logits = null;
        for (int k = 0; k < LAYERS.length; k++) {
            String layer = LAYERS[k];
            Tensor kernel = fixtures.tensor("params/" + layer + "/kernel").requiresGrad(true);
            Tensor bias = fixtures.tensor("params/" + layer + "/bias").requiresGrad(true);
            Tensor z = h.matmul(kernel).add(bias).retainGrad();
            assertClose("forward/z_" + layer, z);
            kernels.add(kernel);
            biases.add(bias);
            preactivations.add(z);
            if (k < LAYERS.length - 1) {
                h = z.sigmoid().retainGrad();
                activations.add(h);
            } else {
                logits = z;
                h = z.softmax(1);
            }
            assertClose("forward/" + layer, h);
        }
        // 2. Loss from the logits (the softmax output above is not on the loss path).
        Tensor loss = SoftmaxCrossEntropyOp.crossEntropy(logits, targets);
        assertClose("loss", loss);
        loss.backward();
        // 3. Gradients of the parameters, of each intermediate tensor, and of the input image.
        for (int k = 0; k < LAYERS.length; k++) {
            String layer = LAYERS[k];
            assertClose("grads/params/" + layer + "/kernel", kernels.get(k).grad());
            assertClose("grads/params/" + layer + "/bias", biases.get(k).grad());
            assertClose("grads/activations/z_" + layer, preactivations.get(k).grad());
            if (k < activations.size()) {
                assertClose("grads/activations/" + layer, activations.get(k).grad());
            }
        }
        assertClose("grads/input", x.grad());
    }

    @Test
    void kerasClippedLossMatchesFromTheStoredProbabilities() {
        // Keras 2.2.4: p = output / Σ output; p = clip(p, 1e-7, 1 - 1e-7); L = -mean_n Σ_k y[n,k] log p[n,k].
        // The constants are Keras' definition (its epsilon), not fixture values.
        float epsilon = 1e-7f;
        Tensor probabilities = fixtures.tensor("forward/output");
        Tensor p = probabilities.div(probabilities.sum(true, -1)).clamp(epsilon, 1 - epsilon);
        Tensor loss = fixtures.tensor("input/y_onehot").mul(p.log()).sum(false, -1).mean().neg();
        assertClose("loss_keras_clipped", loss);
    }

    private static void assertClose(String path, Tensor actual) {
        org.junit.jupiter.api.Assertions.assertNotNull(actual, FILE + ":" + path + ": no value computed");
        Fixtures.assertClose(FILE + ":" + path, fixtures.tensor(path), actual);
    }
}
