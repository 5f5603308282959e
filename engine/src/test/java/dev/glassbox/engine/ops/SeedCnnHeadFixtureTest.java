package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fully connected head of the seed CNN ({@code shared/fixtures/seed_cnn.h5}, PyTorch layouts), rebuilt from
 * ops and fed with the file's pooled activations h4: flatten (C, H, W order) → fc1 → relu → fc2 → log-softmax
 * → NLL loss (mean), the loss through {@link PickOp#nllLoss}. Forward tensors, the loss, the head's parameter
 * gradients and the upstream gradient at every tensor down to h4 are compared with the file; the convolutional
 * part is another op family's business.
 */
class SeedCnnHeadFixtureTest {
    private static final String FILE = "seed_cnn.h5";

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
    void headForwardNllLossAndGradientsMatchPyTorch() {
        Tensor h4 = fixtures.tensor("forward/h4").requiresGrad(true);
        Tensor w1 = fixtures.tensor("params/fc1.weight").requiresGrad(true);
        Tensor b1 = fixtures.tensor("params/fc1.bias").requiresGrad(true);
        Tensor w2 = fixtures.tensor("params/fc2.weight").requiresGrad(true);
        Tensor b2 = fixtures.tensor("params/fc2.bias").requiresGrad(true);
        long[] labels = fixtures.longs("input/labels");
        int[] targets = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = Math.toIntExact(labels[i]);
        }
        // Forward: torch's view(-1, 800) is a row-major reshape, so it must be exact.
        Tensor flat = h4.reshape(h4.dim(0), -1).retainGrad();
        Fixtures.assertExact(FILE + ":forward/h4_flat", fixtures.tensor("forward/h4_flat"), flat);
        Tensor fc1 = flat.matmul(w1.t()).add(b1).retainGrad();
        assertClose("forward/fc1", fc1);
        Tensor h5 = fc1.relu().retainGrad();
        assertClose("forward/h5", h5);
        Tensor logits = h5.matmul(w2.t()).add(b2).retainGrad();
        assertClose("forward/logits", logits);
        Tensor h6 = logits.logSoftmax(1).retainGrad();
        assertClose("forward/h6", h6);
        Tensor loss = PickOp.nllLoss(h6, targets);
        assertClose("loss", loss);
        // Backward: parameters of the head, then the upstream gradient at each tensor.
        loss.backward();
        assertClose("grads/params/fc1.weight", w1.grad());
        assertClose("grads/params/fc1.bias", b1.grad());
        assertClose("grads/params/fc2.weight", w2.grad());
        assertClose("grads/params/fc2.bias", b2.grad());
        assertClose("grads/activations/h6", h6.grad());
        assertClose("grads/activations/logits", logits.grad());
        assertClose("grads/activations/h5", h5.grad());
        assertClose("grads/activations/fc1", fc1.grad());
        assertClose("grads/activations/h4_flat", flat.grad());
        assertClose("grads/activations/h4", h4.grad());
    }

    private static void assertClose(String path, Tensor actual) {
        assertNotNull(actual, FILE + ":" + path + ": no value computed");
        Fixtures.assertClose(FILE + ":" + path, fixtures.tensor(path), actual);
    }
}
