package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sum and Max: known answers, tie rule, and gradient checks over several axes. */
class ReductionOpsTest {
    /** x = [[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]], shape [2, 2, 3]. */
    private static Tensor counting() {
        return Tensors.arange(12).reshape(2, 2, 3);
    }

    @Test
    void sumOverEachAxisMatchesHandComputedTotals() {
        // axis 0: [0+6, 1+7, ...] = [6, 8, 10, 12, 14, 16]; axis 1: [0+3, 1+4, 2+5, 6+9, 7+10, 8+11];
        // axis 2: [0+1+2, 3+4+5, 6+7+8, 9+10+11]; all: 0 + 1 + ... + 11 = 66.
        Tensor x = counting();
        assertArrayEquals(new float[] {6, 8, 10, 12, 14, 16}, x.sum(false, 0).data());
        assertArrayEquals(new float[] {3, 5, 7, 15, 17, 19}, x.sum(false, 1).data());
        assertArrayEquals(new float[] {3, 12, 21, 30}, x.sum(false, -1).data());
        assertEquals(66f, x.sum().item());
        assertArrayEquals(new int[] {}, x.sum().shape());
        assertArrayEquals(new float[] {15, 51}, x.sum(false, 1, 2).data());
    }

    @Test
    void sumKeepsReducedAxesAsOnesWhenAsked() {
        assertArrayEquals(new int[] {2, 1, 3}, counting().sum(true, 1).shape());
        assertArrayEquals(new int[] {1, 2, 1}, counting().sum(true, 0, 2).shape());
        assertArrayEquals(new int[] {2, 3}, counting().sum(false, 1).shape());
    }

    @Test
    void sumGradientBroadcastsBackOverTheReducedAxes() {
        // y = Σ over axis 1 of x [2, 3]; with dL/dy = [1, -2] every element of row i gets dL/dy_i.
        Tensor x = Tensors.zeros(2, 3).requiresGrad(true);
        x.sum(false, 1).backward(Tensors.vector(1, -2));
        assertArrayEquals(new float[] {1, 1, 1, -2, -2, -2}, x.grad().data());
    }

    @Test
    void sumPassesGradientChecksOverSeveralAxes() {
        Tensor x = Tensors.randn(new Random(1), 2, 3, 4);
        Checks.assertGradients("sum all", v -> v[0].sum(), x);
        Checks.assertGradients("sum axis 0", v -> v[0].sum(false, 0), x);
        Checks.assertGradients("sum axis 1 keepDims", v -> v[0].sum(true, 1), x);
        Checks.assertGradients("sum axes 0,2", v -> v[0].sum(false, 0, 2), x);
        Checks.assertGradients("sum axis -1", v -> v[0].sum(false, -1), x);
    }

    @Test
    void meanOverNoListedAxesAveragesEverything() {
        // As sum(keepDims) with no axes sums everything, the matching mean divides by every element:
        // mean(0..11) = 66 / 12 = 5.5, with or without kept dimensions.
        assertEquals(5.5f, counting().mean(false).item());
        assertEquals(5.5f, counting().mean(true).item());
        assertArrayEquals(new int[] {1, 1, 1}, counting().mean(true).shape());
        // mean over axes 0 and 2: [(0+1+2+6+7+8)/6, (3+4+5+9+10+11)/6] = [4, 7]
        assertArrayEquals(new float[] {4, 7}, counting().mean(false, 0, 2).data());
    }

    @Test
    void sumRejectsARepeatedAxis() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> counting().sum(false, 1, -2));
        assertTrue(e.getMessage().contains("sum"), e.getMessage());
    }

    @Test
    void maxOverEachAxisMatchesHandComputedMaxima() {
        // counting() increases along every axis, so the maximum is the last element along the axis.
        Tensor x = counting();
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, x.max(0, false).data());
        assertArrayEquals(new float[] {3, 4, 5, 9, 10, 11}, x.max(1, false).data());
        assertArrayEquals(new float[] {2, 5, 8, 11}, x.max(-1, false).data());
        assertArrayEquals(new int[] {2, 1, 3}, x.max(1, true).shape());
    }

    @Test
    void maxRoutesTheGradientToTheFirstOfTiedMaxima() {
        // Row [3, 5, 5, 1]: max 5, first at index 1 → gradient [0, g, 0, 0]. Row [-1, -2, -3, -4]: index 0.
        Tensor x = Tensors.of(new float[] {3, 5, 5, 1, -1, -2, -3, -4}, 2, 4).requiresGrad(true);
        Tensor y = x.max(1, false);
        assertArrayEquals(new float[] {5, -1}, y.data());
        y.backward(Tensors.vector(2, 7));
        assertArrayEquals(new float[] {0, 2, 0, 0, 7, 0, 0, 0}, x.grad().data());
        assertArrayEquals(new float[] {1, 0}, x.argmax(1).data());
    }

    @Test
    void maxPropagatesNaN() {
        Tensor x = Tensors.vector(1, Float.NaN, 3);
        assertTrue(Float.isNaN(x.max(0, false).item()));
    }

    @Test
    void maxPassesGradientChecksOverSeveralAxes() {
        // Distinct values spaced 0.5 apart (a shuffled 0..23): no step of 1e-2·|x| can change which is maximal.
        float[] values = new float[24];
        Random random = new Random(2);
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 6;
        }
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        Tensor x = Tensors.of(values, 2, 3, 4);
        for (int axis : new int[] {0, 1, 2}) {
            Checks.assertGradients("max axis " + axis, v -> v[0].max(axis, false), x);
        }
        Checks.assertGradients("max axis -1 keepDims", v -> v[0].max(-1, true), x);
    }
}
