package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingOpTest {
    private static final Tensor TABLE = new Tensor(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);

    @Test
    void lookupGathersTheNamedRows() {
        // indices [[2, 0]] → rows 2 and 0: [[[20, 21], [0, 1]]]
        Tensor y = EmbeddingOp.embed(new Tensor(new float[] {2, 0}, 1, 2), TABLE);
        assertArrayEquals(new int[] {1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {20, 21, 0, 1}, y.data());
    }

    @Test
    void gradientOfARowUsedTwiceAccumulates() {
        // indices [1, 1, 0] with upstream ones: row 1 gets 2, row 0 gets 1, row 2 gets 0
        Tensor table = TABLE.copy().requiresGrad(true);
        EmbeddingOp.embed(new Tensor(new float[] {1, 1, 0}, 3), table).sum().backward();
        assertArrayEquals(new float[] {1, 1, 2, 2, 0, 0}, table.grad().data());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor indices = new Tensor(new float[] {0, 2, 2, 1, 3, 0}, 2, 3);
        Checks.assertGradients("embedding", t -> EmbeddingOp.embed(indices, t[0]),
                Tensors.randn(new Random(9), 4, 3));
    }

    @Test
    void indexOutsideTheTableIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingOp.embed(new Tensor(new float[] {3}, 1), TABLE));
        assertTrue(e.getMessage().contains("outside the table's 3 rows"), e.getMessage());
    }
}
