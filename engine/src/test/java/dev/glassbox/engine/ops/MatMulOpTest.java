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

/** MatMul, 2-D and batched: known answers and gradient checks. */
class MatMulOpTest {

    @Test
    void productMatchesHandComputedValues() {
        // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]] = [[19, 22], [43, 50]]
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor w = Tensors.of(new float[] {5, 6, 7, 8}, 2, 2);
        assertArrayEquals(new float[] {19, 22, 43, 50}, x.matmul(w).data());
    }

    @Test
    void gradientsAreTheTransposedProducts() {
        // x [1, 2] = [[1, 2]], w [2, 3] = [[1, 0, -1], [2, 1, 0]], dL/dy = [[1, 1, 1]]
        // dL/dx = dL/dy · wᵀ = [[1 + 0 - 1, 2 + 1 + 0]] = [[0, 3]]; dL/dw = xᵀ · dL/dy = [[1, 1, 1], [2, 2, 2]]
        Tensor x = Tensors.of(new float[] {1, 2}, 1, 2).requiresGrad(true);
        Tensor w = Tensors.of(new float[] {1, 0, -1, 2, 1, 0}, 2, 3).requiresGrad(true);
        Tensor y = x.matmul(w);
        assertArrayEquals(new float[] {5, 2, -1}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 3}, x.grad().data());
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, w.grad().data());
    }

    @Test
    void batchedProductMultipliesEachBatchEntrySeparately() {
        // batch 0: [[1, 2]] · [[1], [1]] = [[3]]; batch 1: [[3, 4]] · [[2], [-1]] = [[2]]
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 2, 1, 2);
        Tensor w = Tensors.of(new float[] {1, 1, 2, -1}, 2, 2, 1);
        Tensor y = x.matmul(w);
        assertArrayEquals(new int[] {2, 1, 1}, y.shape());
        assertArrayEquals(new float[] {3, 2}, y.data());
    }

    @Test
    void sharedWeightGradientSumsOverTheBatch() {
        // x [2, 1, 1] = [2, 3] times the same w [1, 1] = [[5]]: y = [10, 15]; dL/dw = 2 + 3 = 5 for L = Σ y.
        Tensor x = Tensors.of(new float[] {2, 3}, 2, 1, 1).requiresGrad(true);
        Tensor w = Tensors.of(new float[] {5}, 1, 1).requiresGrad(true);
        Tensor y = x.matmul(w);
        assertArrayEquals(new float[] {10, 15}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {5}, w.grad().data());
        assertArrayEquals(new float[] {5, 5}, x.grad().data());
    }

    @Test
    void passesGradientChecksForEveryForm() {
        Random random = new Random(1);
        Checks.assertGradients("matmul [3,4]·[4,5]", v -> v[0].matmul(v[1]), Tensors.randn(random, 3, 4),
                Tensors.randn(random, 4, 5));
        Checks.assertGradients("matmul [1,1]·[1,3]", v -> v[0].matmul(v[1]), Tensors.randn(random, 1, 1),
                Tensors.randn(random, 1, 3));
        Checks.assertGradients("matmul [2,3,4]·[2,4,2]", v -> v[0].matmul(v[1]), Tensors.randn(random, 2, 3, 4),
                Tensors.randn(random, 2, 4, 2));
        Checks.assertGradients("matmul [2,3,4]·[4,5]", v -> v[0].matmul(v[1]), Tensors.randn(random, 2, 3, 4),
                Tensors.randn(random, 4, 5));
        Checks.assertGradients("matmul x·x", v -> v[0].matmul(v[0]), Tensors.randn(random, 3, 3));
    }

    @Test
    void rejectsMismatchedInnerDimensions() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensors.zeros(2, 3).matmul(Tensors.zeros(2, 3)));
        assertTrue(e.getMessage().contains("matmul"), e.getMessage());
        assertThrows(ShapeException.class, () -> Tensors.zeros(2, 3, 4).matmul(Tensors.zeros(3, 4, 5)));
        assertThrows(ShapeException.class, () -> Tensors.zeros(3, 4).matmul(Tensors.zeros(2, 4, 5)));
    }
}
