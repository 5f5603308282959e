package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AvgPool2DOpTest {

    @Test
    void averagesEachWindowAndSpreadsTheGradientEvenly() {
        // x = 1..16 (4x4), 2x2 windows, stride 2: (1+2+5+6)/4 = 3.5, (3+4+7+8)/4 = 5.5, (9+10+13+14)/4 = 11.5,
        // (11+12+15+16)/4 = 13.5. Each input is in exactly one window, so dL/dx = dL/dy / 4 there.
        Tensor x = Tensors.arange(1, 17, 1).reshape(1, 1, 4, 4).detach().requiresGrad(true);
        Tensor y = AvgPool2DOp.avgPool2d(x, 2, 2);
        assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, y.data());
        y.backward(Tensors.of(new float[] {4, 8, 12, 16}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, x.grad().data());
    }

    @Test
    void paddingCountsAsZerosOnlyWhenAskedTo() {
        // x = [[1, 2], [3, 4]], 2x2 windows, stride 1, padding 1 → 3x3.
        // Counting padding (PyTorch's default) divides every window by 4: corner (0,0) = 1/4, centre = 10/4.
        // Excluding it (Keras "same") divides by the real elements: (0,0) = 1/1, (0,1) = (1+2)/2, centre = 10/4.
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor counted = new AvgPool2DOp(2, 2, 1, 1, Padding2D.symmetric(1, 1), true).apply(x);
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.5f, 1f, 2.5f, 1.5f, 0.75f, 1.75f, 1f}, counted.data());
        Tensor excluded = new AvgPool2DOp(2, 2, 1, 1, Padding2D.symmetric(1, 1), false).apply(x);
        assertArrayEquals(new float[] {1f, 1.5f, 2f, 2f, 2.5f, 3f, 3f, 3.5f, 4f}, excluded.data());
    }

    @Test
    void globalAveragePoolingMeansEachPlane() {
        // Planes [1, 2, 3, 6] and [-4, 0, 0, 0] → means 3 and -1; each element gets dL/dy / 4.
        Tensor x = Tensors.of(new float[] {1, 2, 3, 6, -4, 0, 0, 0}, 1, 2, 2, 2).requiresGrad(true);
        Tensor y = AvgPool2DOp.globalAvgPool2d(x);
        assertArrayEquals(new float[] {3, -1}, y.data());
        y.backward(Tensors.of(new float[] {4, 8}, 1, 2));
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2}, x.grad().data());
    }

    @ParameterizedTest(name = "countPadding={0}")
    @ValueSource(booleans = {true, false})
    void gradientsMatchFiniteDifferences(boolean countPadding) {
        Tensor x = Tensors.randn(new SplittableRandom(3), 2, 3, 7, 6);
        Checks.assertGradients("avgpool",
                t -> new AvgPool2DOp(3, 2, 2, 1, new Padding2D(0, 2, 1, 1), countPadding).apply(t[0]), x);
    }
}
