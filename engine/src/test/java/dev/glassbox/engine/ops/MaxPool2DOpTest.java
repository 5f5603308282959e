package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import dev.glassbox.engine.testing.Fixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaxPool2DOpTest {

    @Test
    void eachWindowKeepsItsFirstMaximum() {
        // 4x4 in 2x2 windows, stride 2:
        //   1 2 | 5 0        window (0,0): 4 at (1,1) = index 5     window (0,1): 5 at (0,2) = index 2
        //   3 4 | 1 1
        //   ----+----        window (1,0): 7 at (3,0) = index 12
        //   0 0 | 9 8        window (1,1): 9 at (2,2) and (3,3): the first in row-major order wins, index 10
        //   7 6 | 8 9
        Tensor x = Tensors.of(new float[] {1, 2, 5, 0, 3, 4, 1, 1, 0, 0, 9, 8, 7, 6, 8, 9}, 1, 1, 4, 4)
                .requiresGrad(true);
        var op = new MaxPool2DOp(2, 2, 2, 2, Padding2D.NONE);
        Tensor y = op.apply(x);
        assertArrayEquals(new float[] {4, 5, 7, 9}, y.data());
        assertArrayEquals(new int[] {5, 2, 12, 10}, op.argmax());
        y.backward(Tensors.of(new float[] {10, 20, 30, 40}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {0, 0, 20, 0, 0, 10, 0, 0, 0, 0, 40, 0, 30, 0, 0, 0}, x.grad().data());
    }

    @Test
    void paddingNeverWinsBecauseItIsMinusInfinity() {
        // x = [[-1, -2], [-3, -4]], 2x2 windows, stride 1, padding 1 on every side → 3x3. Zero padding would win
        // every window; -∞ padding leaves each window's largest real value:
        //   -1 -1 -2
        //   -1 -1 -2
        //   -3 -3 -4
        Tensor x = Tensors.of(new float[] {-1, -2, -3, -4}, 1, 1, 2, 2);
        Tensor y = new MaxPool2DOp(2, 2, 1, 1, Padding2D.symmetric(1, 1)).apply(x);
        assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -3, -3, -4}, y.data());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k2s2", "k3s2overlap", "k3s1padded", "rectangular"})
    void gradientsMatchFiniteDifferencesAwayFromTies(String variant) {
        Supplier<MaxPool2DOp> op = switch (variant) {
            case "k2s2" -> () -> new MaxPool2DOp(2, 2, 2, 2, Padding2D.NONE);
            case "k3s2overlap" -> () -> new MaxPool2DOp(3, 3, 2, 2, Padding2D.NONE);
            case "k3s1padded" -> () -> new MaxPool2DOp(3, 3, 1, 1, new Padding2D(1, 0, 0, 2));
            default -> () -> new MaxPool2DOp(2, 3, 1, 2, Padding2D.NONE);
        };
        // Distinct values 0.1 apart: the finite-difference step (1% of max(1, |x|) ≤ 0.05) never reorders them.
        Tensor x = spacedPermutation(new SplittableRandom(5), 2, 2, 7, 6);
        Checks.assertGradients("maxpool " + variant, t -> op.get().apply(t[0]), x);
    }

    static Tensor spacedPermutation(SplittableRandom random, int... shape) {
        Tensor x = Tensors.zeros(shape);
        float[] v = x.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = (i - v.length / 2) * 0.1f;
        }
        for (int i = v.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return x;
    }

    @Test
    void globalMaxPoolingTakesEachPlanesFirstMaximum() {
        // Two planes: [[1, 7], [7, 2]] → 7, first at index 1; [[-3, -1], [-2, -4]] → -1 at index 1.
        Tensor x = Tensors.of(new float[] {1, 7, 7, 2, -3, -1, -2, -4}, 1, 2, 2, 2).requiresGrad(true);
        Tensor y = MaxPool2DOp.globalMaxPool2d(x);
        assertArrayEquals(new int[] {1, 2}, y.shape());
        assertArrayEquals(new float[] {7, -1}, y.data());
        y.backward(Tensors.of(new float[] {5, 6}, 1, 2));
        assertArrayEquals(new float[] {0, 5, 0, 0, 0, 6, 0, 0}, x.grad().data());
    }

    @Test
    void paddingAsLargeAsTheKernelIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2DOp(2, 2, 2, 2, Padding2D.symmetric(2, 0)).apply(Tensors.zeros(1, 1, 4, 4)));
        ShapeException e = assertThrows(ShapeException.class,
                () -> MaxPool2DOp.maxPool2d(Tensors.zeros(4, 16), 2, 2));
        assertTrue(e.getMessage().contains("[batch, channels, height, width]"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"maxpool_k3_s2_9x9", "maxpool_k3_s2_10x10", "maxpool_k2_s2_7x7"})
    void matchesPyTorchOnOverlappingAndFloorModeWindows(String group) {
        try (Fixtures f = Fixtures.open("ops.h5")) {
            Tensor x = f.tensor(group + "/x").requiresGrad(true);
            Tensor y = opFromDescription((String) f.attribute(group, "description")).apply(x);
            Fixtures.assertExact(group + "/y", f.tensor(group + "/y"), y);
            y.backward(f.tensor(group + "/gy"));
            Fixtures.assertClose(group + "/g_x", f.tensor(group + "/g_x"), x.grad());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"maxpool_ties_k2_s2", "maxpool_ties_allequal_k2_s2", "maxpool_ties_k3_s2_overlap"})
    void tiesGoToTheFirstMaximumAsInPyTorch(String group) {
        try (Fixtures f = Fixtures.open("ops.h5")) {
            String description = (String) f.attribute(group, "description");
            Tensor x = f.tensor(group + "/x").requiresGrad(true);
            MaxPool2DOp op = opFromDescription(description);
            Tensor y = op.apply(x);
            Fixtures.assertExact(group + "/y", f.tensor(group + "/y"), y);
            assertArrayEquals(f.longs(group + "/argmax_flat"), Arrays.stream(op.argmax()).asLongStream().toArray(),
                    group + "/argmax_flat");
            y.backward(f.tensor(group + "/gy_ones"));
            Fixtures.assertExact(group + "/g_x_ones", f.tensor(group + "/g_x_ones"), x.grad());

            Tensor x2 = f.tensor(group + "/x").requiresGrad(true);
            opFromDescription(description).apply(x2).backward(f.tensor(group + "/gy"));
            Fixtures.assertClose(group + "/g_x", f.tensor(group + "/g_x"), x2.grad());
        }
    }

    private static final Pattern CALL = Pattern.compile("max_pool2d\\(x, (\\d+), (?:stride=)?(\\d+)\\)");

    /** The groups store kernel and stride only in their description: {@code F.max_pool2d(x, 3, stride=2)}. */
    static MaxPool2DOp opFromDescription(String description) {
        Matcher m = CALL.matcher(description);
        assertTrue(m.find(), () -> "no max_pool2d call in the description: " + description);
        int kernel = Integer.parseInt(m.group(1));
        int stride = Integer.parseInt(m.group(2));
        return new MaxPool2DOp(kernel, kernel, stride, stride, Padding2D.NONE);
    }
}
