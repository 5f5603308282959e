package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import dev.glassbox.engine.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PadOpTest {

    @Test
    void spatialPaddingSurroundsThePlaneWithZeros() {
        // x = [[1, 2], [3, 4]] padded 0 top, 1 bottom, 1 left, 0 right (TF "same"-style, extra below):
        //   0 1 2
        //   0 3 4
        //   0 0 0
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2).requiresGrad(true);
        Tensor y = PadOp.pad2d(x, new Padding2D(0, 1, 1, 0));
        assertArrayEquals(new int[] {1, 1, 3, 3}, y.shape());
        assertArrayEquals(new float[] {0, 1, 2, 0, 3, 4, 0, 0, 0}, y.data());
        // The gradient is dL/dy read back at x's positions: 2, 3, 5, 6 of 1..9.
        y.backward(Tensors.arange(1, 10, 1).reshape(1, 1, 3, 3).detach());
        assertArrayEquals(new float[] {2, 3, 5, 6}, x.grad().data());
    }

    @Test
    void anyAxisCanBePaddedWithAConstant() {
        // [2] → 1 before, 2 after with -1: [-1, 5, 6, -1, -1].
        Tensor y = new PadOp(new int[] {1}, new int[] {2}, -1f).apply(Tensors.vector(5, 6));
        assertArrayEquals(new float[] {-1, 5, 6, -1, -1}, y.data());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensors.randn(new SplittableRandom(9), 2, 3, 4);
        Checks.assertGradients("pad", t -> PadOp.pad(t[0], new int[] {1, 0, 2}, new int[] {0, 2, 1}), x);
    }

    @Test
    void wrongNumberOfAmountsIsRejected() {
        assertThrows(ShapeException.class, () -> PadOp.pad(Tensors.ones(2, 2), new int[] {1}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new PadOp(new int[] {-1}, new int[] {0}, 0f));
    }

    @Test
    void padThenValidConvolutionEqualsTensorflowSamePadding() {
        // The fixture's own definition: conv2d(pad(x, (0,1,0,1)), w, b, stride=2) = TF "same" on 8x8.
        String group = "conv2d_s2_same_8x8_tf";
        try (Fixtures f = Fixtures.open("ops.h5")) {
            Tensor x = f.tensor(group + "/x");
            Tensor w = f.tensor(group + "/w");
            Padding2D same = Padding2D.same(x.dim(2), x.dim(3), w.dim(2), w.dim(3), 2, 2, 1, 1);
            var options = Conv2DOp.Options.DEFAULT.withStride(2, 2);
            Tensor y = Conv2DOp.conv2d(PadOp.pad2d(x, same), w, f.tensor(group + "/b"), options);
            Fixtures.assertClose(group + "/y", f.tensor(group + "/y"), y);
        }
    }
}
