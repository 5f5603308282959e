package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reshape, Permute, Slice, Concat: known answers (exact: pure data movement) and gradient checks. */
class ShapeOpsTest {

    @Test
    void reshapeKeepsRowMajorOrderAndInfersMinusOne() {
        // [0..5] as [2, 3] then [3, -1] → [3, 2], same order of values.
        Tensor x = Tensors.arange(6);
        Tensor y = x.reshape(2, 3).reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, y.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, y.data());
    }

    @Test
    void reshapeGradientHasTheInputShape() {
        Tensor x = Tensors.zeros(2, 3).requiresGrad(true);
        x.reshape(6).backward(Tensors.arange(6));
        assertArrayEquals(new int[] {2, 3}, x.grad().shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, x.grad().data());
        Checks.assertGradients("reshape", v -> v[0].reshape(3, -1).mul(v[0].reshape(3, 4)),
                Tensors.randn(new Random(1), 2, 6));
    }

    @Test
    void reshapeRejectsAWrongSize() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensors.zeros(2, 3).reshape(4, 2));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
    }

    @Test
    void permuteMovesCoordinates() {
        // x [2, 3] = [[0, 1, 2], [3, 4, 5]]; transpose = [[0, 3], [1, 4], [2, 5]]
        Tensor x = Tensors.arange(6).reshape(2, 3);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, x.t().data());
        // x [2, 3, 4] = arange; permute(2, 0, 1) → y[k, i, j] = x[i, j, k] = 12i + 4j + k, shape [4, 2, 3]
        Tensor z = Tensors.arange(24).reshape(2, 3, 4);
        Tensor y = z.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, y.shape());
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertTrue(y.get(k, i, j) == 12 * i + 4 * j + k, "permute: y[" + k + "," + i + "," + j + "]");
                }
            }
        }
    }

    @Test
    void permuteGradientIsPermutedBack() {
        // y = xᵀ: dL/dx = (dL/dy)ᵀ
        Tensor x = Tensors.zeros(2, 3).requiresGrad(true);
        x.t().backward(Tensors.arange(6).reshape(3, 2));
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, x.grad().data());
        Checks.assertGradients("permute 2,0,1", v -> v[0].permute(2, 0, 1), Tensors.randn(new Random(2), 2, 3, 4));
        Checks.assertGradients("transpose 0,2", v -> v[0].transpose(0, -1), Tensors.randn(new Random(3), 2, 3, 4));
    }

    @Test
    void permuteWithNegativeAxesHasAGradient() {
        // permute(0, -1, 1) on [2, 3, 4] is permute(0, 2, 1) → [2, 4, 3]; backward must undo the same permutation.
        Tensor x = Tensors.randn(new Random(6), 2, 3, 4);
        Tensor expected = x.permute(0, 2, 1);
        Tensor y = x.permute(0, -1, 1);
        assertArrayEquals(expected.shape(), y.shape());
        assertArrayEquals(expected.data(), y.data());
        Checks.assertGradients("permute 0,-1,1", v -> v[0].permute(0, -1, 1), x);
    }

    @Test
    void permuteRejectsARepeatedAxis() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensors.zeros(2, 3).permute(1, 1));
        assertTrue(e.getMessage().contains("permute"), e.getMessage());
    }

    @Test
    void sliceCopiesTheRangeAndScattersTheGradientBack() {
        // x = [[0, 1, 2, 3], [4, 5, 6, 7]]; x[:, 1:3] = [[1, 2], [5, 6]]; gradient lands in columns 1..2.
        Tensor x = Tensors.arange(8).reshape(2, 4).copy().requiresGrad(true);
        Tensor y = x.slice(1, 1, 3);
        assertArrayEquals(new int[] {2, 2}, y.shape());
        assertArrayEquals(new float[] {1, 2, 5, 6}, y.data());
        y.backward(Tensors.of(new float[] {10, 20, 30, 40}, 2, 2));
        assertArrayEquals(new float[] {0, 10, 20, 0, 0, 30, 40, 0}, x.grad().data());
    }

    @Test
    void slicePassesGradientChecksOnEveryAxis() {
        Tensor x = Tensors.randn(new Random(4), 3, 4, 5);
        Checks.assertGradients("slice axis 0", v -> v[0].slice(0, 1, 3), x);
        Checks.assertGradients("slice axis 1", v -> v[0].slice(1, 0, 1), x);
        Checks.assertGradients("slice axis -1", v -> v[0].slice(-1, 2, 5), x);
    }

    @Test
    void sliceRejectsARangeOutsideTheAxis() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensors.zeros(2, 3).slice(1, 2, 4));
        assertTrue(e.getMessage().contains("slice"), e.getMessage());
    }

    @Test
    void concatJoinsAlongTheAxisAndSplitsTheGradient() {
        // a = [[1, 2], [3, 4]] and b = [[5], [6]] along axis 1 → [[1, 2, 5], [3, 4, 6]];
        // the gradient arange(6) as [2, 3] splits into columns 0..1 for a ([[0, 1], [3, 4]]) and column 2 for b.
        // Along axis 0, [2, 2] then [1, 2] → [3, 2].
        Tensor a = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor b = Tensors.of(new float[] {5, 6}, 2, 1).requiresGrad(true);
        Tensor y = Tensors.concat(1, a, b);
        assertArrayEquals(new int[] {2, 3}, y.shape());
        assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, y.data());
        y.backward(Tensors.arange(6).reshape(2, 3));
        assertArrayEquals(new float[] {0, 1, 3, 4}, a.grad().data());
        assertArrayEquals(new float[] {2, 5}, b.grad().data());
        Tensor c = Tensors.concat(0, Tensors.arange(4).reshape(2, 2), Tensors.vector(9, 8).reshape(1, 2));
        assertArrayEquals(new float[] {0, 1, 2, 3, 9, 8}, c.data());
    }

    @Test
    void concatPassesGradientChecksOnSeveralAxes() {
        Random random = new Random(5);
        Checks.assertGradients("concat axis 0", v -> Tensors.concat(0, v[0], v[1]),
                Tensors.randn(random, 1, 3, 2), Tensors.randn(random, 2, 3, 2));
        Checks.assertGradients("concat axis 1 of three", v -> Tensors.concat(1, v[0], v[1], v[2]),
                Tensors.randn(random, 2, 1, 2), Tensors.randn(random, 2, 3, 2), Tensors.randn(random, 2, 2, 2));
        Checks.assertGradients("concat axis -1", v -> Tensors.concat(-1, v[0], v[1]),
                Tensors.randn(random, 2, 3, 1), Tensors.randn(random, 2, 3, 2));
    }

    @Test
    void concatRejectsMismatchedOtherDimensions() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensors.concat(0, Tensors.zeros(1, 2), Tensors.zeros(1, 3)));
        assertTrue(e.getMessage().contains("concat"), e.getMessage());
    }
}
