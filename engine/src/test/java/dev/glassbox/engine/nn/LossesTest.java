package dev.glassbox.engine.nn;

import static dev.glassbox.engine.testing.Checks.assertGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static final int[] TARGETS = {2, 0, 1};

    @Test
    void crossEntropyEqualsNllOfLogSoftmaxInBothReductions() {
        Tensor logits = Tensors.randn(new Random(1), 3, 4);
        float mean = Losses.crossEntropy(logits, TARGETS).item();
        assertEquals(Losses.nll(logits.logSoftmax(-1), TARGETS).item(), mean, 1e-6f);
        assertEquals(3 * mean, Losses.crossEntropy(logits, TARGETS, Losses.Reduction.SUM).item(), 1e-5f);
    }

    @Test
    void categoricalCrossEntropyOfAPerfectPredictionIsClippedNotInfinite() {
        // p = one-hot → clipped to 1 - 1e-7 at the target: loss = -ln(1 - 1e-7) ≈ 1e-7, not 0 and not NaN.
        Tensor onehot = Losses.oneHot(TARGETS, 4);
        float loss = Losses.categoricalCrossEntropy(onehot, onehot).item();
        assertEquals(1.1920929e-7, loss, 1e-7);
    }

    @Test
    void mseOfKnownValues() {
        // ((1-0)² + (2-4)²) / 2 = 2.5
        assertEquals(2.5f, Losses.mse(Tensors.vector(1, 2), Tensors.vector(0, 4)).item());
    }

    @Test
    void binaryCrossEntropyOfAHalfIsLn2() {
        assertEquals(Math.log(2), Losses.binaryCrossEntropy(Tensors.vector(0.5f, 0.5f), Tensors.vector(0, 1),
                Losses.Reduction.MEAN).item(), 1e-6);
    }

    @Test
    void lossGradientsMatchFiniteDifferences() {
        Tensor logits = Tensors.randn(new Random(2), 3, 4);
        assertGradients("crossEntropy sum", x -> Losses.crossEntropy(x[0], TARGETS, Losses.Reduction.SUM), logits);
        Tensor p = logits.softmax(-1);
        Tensor y = Losses.oneHot(TARGETS, 4);
        assertGradients("categoricalCrossEntropy", x -> Losses.categoricalCrossEntropy(x[0], y), p);
        assertGradients("binaryCrossEntropy", x -> Losses.binaryCrossEntropy(x[0], y, Losses.Reduction.MEAN), p);
    }

    @Test
    void labelsOutOfRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Losses.oneHot(new int[] {5}, 4));
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensors.zeros(1, 4), new int[] {4}));
    }
}
