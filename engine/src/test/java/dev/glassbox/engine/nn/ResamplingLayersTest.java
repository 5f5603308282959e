package dev.glassbox.engine.nn;

import static dev.glassbox.engine.testing.Checks.assertGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** UpSampling2D, Cropping2D and Rescaling: values by hand, gradients against finite differences. */
class ResamplingLayersTest {
    @Test
    void upSamplingRepeatsEachValueAsABlock() {
        // [[1, 2], [3, 4]] with size 2x3: every value becomes a 2-row, 3-column block
        Tensor y = new UpSampling2D("up", 2, 3).call(new Tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new int[] {1, 1, 4, 6}, y.shape());
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4},
                y.data());
    }

    @Test
    void croppingDropsTheEdgeRowsAndColumns() {
        // 3x4 map 0..11, crop 1 top, 0 bottom, 1 left, 2 right: rows 1-2, column 1
        Tensor x = new Tensor(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 1, 1, 3, 4);
        Tensor y = new Cropping2D("crop", 1, 0, 1, 2).call(x);
        assertArrayEquals(new int[] {1, 1, 2, 1}, y.shape());
        assertArrayEquals(new float[] {5, 9}, y.data());
    }

    @Test
    void croppingEverythingIsRefusedNamingTheShape() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Cropping2D("crop", 2, 1, 0, 0).call(Tensors.zeros(1, 1, 3, 3)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("[1, 1, 3, 3]"), e.getMessage());
    }

    @Test
    void rescalingMultipliesThenAdds() {
        Tensor y = new Rescaling("r", 0.5f, -1).call(new Tensor(new float[] {0, 2, 255}, 1, 3));
        assertArrayEquals(new float[] {-1, 0, 126.5f}, y.data());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Random random = new Random(4);
        assertGradients("upSampling2d", t -> new UpSampling2D("up", 2, 3).call(t[0]),
                Tensors.randn(random, 2, 2, 3, 2));
        assertGradients("cropping2d", t -> new Cropping2D("crop", 1, 0, 0, 2).call(t[0]),
                Tensors.randn(random, 2, 2, 3, 4));
        assertGradients("rescaling", t -> new Rescaling("r", 0.25f, 3).call(t[0]), Tensors.randn(random, 2, 5));
    }
}
