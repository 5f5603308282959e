package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SoftmaxCrossEntropyOp and PickOp: known answers, gradient checks, target validation. */
class LossOpsTest {
    private static final float TOL = 1e-6f;
    private static final float LN3 = (float) Math.log(3);

    @Test
    void crossEntropyMatchesHandComputedLossAndGradient() {
        // Row 0: z = [0, ln 3], p = [1/4, 3/4], target 1 → -ln(3/4).
        // Row 1: z = [0, 0], p = [1/2, 1/2], target 0 → ln 2.
        // L = (ln(4/3) + ln 2) / 2 = ln(8/3) / 2.
        // dL/dz = (p - onehot) / N = [[1/4, 3/4 - 1], [1/2 - 1, 1/2]] / 2 = [[1/8, -1/8], [-1/4, 1/4]]
        Tensor z = Tensors.of(new float[] {0, LN3, 0, 0}, 2, 2).requiresGrad(true);
        Tensor loss = SoftmaxCrossEntropyOp.crossEntropy(z, new int[] {1, 0});
        assertArrayEquals(new int[] {}, loss.shape());
        assertEquals((float) (Math.log(8.0 / 3) / 2), loss.item(), TOL);
        loss.backward();
        assertArrayEquals(new float[] {0.125f, -0.125f, -0.25f, 0.25f}, z.grad().data(), TOL);
    }

    @Test
    void crossEntropyStaysExactAtExtremeLogits() {
        // Target logit 3 against a rival of 1e4: L = 1e4 + ln(1 + e^-9997 + ...) - 3 = 9997 exactly, gradient
        // (p - onehot) = [-1 at the target, +1 at the rival, 0 elsewhere]; log(softmax) would give +inf here.
        Tensor z = Tensors.of(new float[] {3, -5, 0, 0, 10000}, 1, 5).requiresGrad(true);
        Tensor loss = SoftmaxCrossEntropyOp.crossEntropy(z, new int[] {0});
        assertEquals(9997f, loss.item());
        loss.backward();
        assertArrayEquals(new float[] {-1, 0, 0, 0, 1}, z.grad().data());
    }

    @Test
    void crossEntropyScalesItsGradientByTheUpstreamGradient() {
        // 3·L: the same (p - onehot)/N scaled by 3; z = [0, 0], target 1 → [1/2, -1/2] · 3 = [1.5, -1.5]
        Tensor z = Tensors.of(new float[] {0, 0}, 1, 2).requiresGrad(true);
        SoftmaxCrossEntropyOp.crossEntropy(z, new int[] {1}).mul(3f).backward();
        assertArrayEquals(new float[] {1.5f, -1.5f}, z.grad().data(), TOL);
    }

    @Test
    void crossEntropyPassesGradientChecks() {
        Tensor z = Tensors.randn(new Random(1), 3, 4).mul(2f);
        Checks.assertGradients("crossEntropy", v -> SoftmaxCrossEntropyOp.crossEntropy(v[0], new int[] {0, 3, 1}), z);
        Checks.assertGradients("crossEntropy one row", v -> SoftmaxCrossEntropyOp.crossEntropy(v[0], new int[] {2}),
                Tensors.randn(new Random(2), 1, 3));
    }

    @Test
    void crossEntropyEqualsNegativeMeanPickOfLogSoftmax() {
        Tensor z = Tensors.randn(new Random(3), 4, 6).mul(3f);
        int[] targets = {5, 0, 2, 2};
        float fused = SoftmaxCrossEntropyOp.crossEntropy(z, targets).item();
        float composed = PickOp.nllLoss(z.logSoftmax(1), targets).item();
        assertEquals(composed, fused, 1e-5f * Math.max(1, Math.abs(composed)));
    }

    @Test
    void crossEntropyAcceptsTargetsAsATensorOfWholeNumbers() {
        Tensor z = Tensors.of(new float[] {0, LN3, 0, 0}, 2, 2);
        assertEquals(SoftmaxCrossEntropyOp.crossEntropy(z, new int[] {1, 0}).item(),
                SoftmaxCrossEntropyOp.crossEntropy(z, Tensors.vector(1, 0)).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropyOp.crossEntropy(z, Tensors.vector(1, 0.5f)));
        assertTrue(e.getMessage().contains("class index 1 is 0.5"), e.getMessage());
    }

    @Test
    void crossEntropyNamesTheRowAndValueOfAnOutOfRangeTarget() {
        Tensor z = Tensors.zeros(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropyOp.crossEntropy(z, new int[] {0, 1, 4}));
        assertTrue(e.getMessage().contains("row 2 is 4") && e.getMessage().contains("valid: 0 .. 3"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropyOp.crossEntropy(z, new int[] {-1, 1, 2}));
        assertTrue(e.getMessage().contains("row 0 is -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropyOp.crossEntropy(z, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("2 class indices for 3 rows"), e.getMessage());
        assertThrows(ShapeException.class, () -> SoftmaxCrossEntropyOp.crossEntropy(Tensors.zeros(4), new int[] {0}));
    }

    @Test
    void pickSelectsOneElementPerRowAndRoutesTheGradientThere() {
        // x = [[1, 2, 3], [4, 5, 6]], indices [2, 0] → [3, 4]; dL/dy = [10, 20] → [[0, 0, 10], [20, 0, 0]]
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor y = PickOp.pick(x, new int[] {2, 0});
        assertArrayEquals(new int[] {2}, y.shape());
        assertArrayEquals(new float[] {3, 4}, y.data());
        y.backward(Tensors.vector(10, 20));
        assertArrayEquals(new float[] {0, 0, 10, 20, 0, 0}, x.grad().data());
    }

    @Test
    void pickWorksOnTheLastAxisOfHigherRankTensors() {
        // x [2, 2, 2] = arange(8): rows (0,0) = [0, 1], (0,1) = [2, 3], (1,0) = [4, 5], (1,1) = [6, 7]
        // indices [1, 0, 0, 1] → [[1, 2], [4, 7]]
        Tensor y = PickOp.pick(Tensors.arange(8).reshape(2, 2, 2), Tensors.vector(1, 0, 0, 1));
        assertArrayEquals(new int[] {2, 2}, y.shape());
        assertArrayEquals(new float[] {1, 2, 4, 7}, y.data());
    }

    @Test
    void pickAndNllPassGradientChecks() {
        Tensor x = Tensors.randn(new Random(4), 3, 5);
        Checks.assertGradients("pick", v -> PickOp.pick(v[0], new int[] {4, 0, 2}), x);
        Checks.assertGradients("nll of logSoftmax", v -> PickOp.nllLoss(v[0].logSoftmax(1), new int[] {1, 1, 3}), x);
    }

    @Test
    void pickNamesTheRowAndValueOfAnOutOfRangeIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PickOp.pick(Tensors.zeros(2, 3), new int[] {0, 3}));
        assertTrue(e.getMessage().contains("row 1 is 3"), e.getMessage());
    }
}
