package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.io.SafeTensors;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import dev.glassbox.engine.testing.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class Conv2DTransposeOpTest {

    @Test
    void strideOneValidSpreadsEachValueOverAKernelPatch() {
        // x = [[1, 2], [3, 4]], a 2x2 kernel of ones: each output sums the inputs whose patch covers it
        //   [[1, 1+2, 2], [1+3, 1+2+3+4, 2+4], [3, 3+4, 4]] = [[1, 3, 2], [4, 10, 6], [3, 7, 4]]
        Tensor x = new Tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor w = Tensors.ones(1, 1, 2, 2);
        Tensor y = Conv2DTransposeOp.conv2dTranspose(x, w, null, 1, 1, "valid");
        assertArrayEquals(new int[] {1, 1, 3, 3}, y.shape());
        assertArrayEquals(new float[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, y.data());
    }

    @Test
    void strideTwoValidTilesTheKernelWithoutOverlap() {
        // stride 2, 2x2 ones: every input value becomes a 2x2 block; bias 0.5 added everywhere
        Tensor x = new Tensor(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor y = Conv2DTransposeOp.conv2dTranspose(x, Tensors.ones(1, 1, 2, 2), Tensors.full(0.5f, 1), 2, 2,
                "valid");
        assertArrayEquals(new float[] {1.5f, 1.5f, 2.5f, 2.5f, 1.5f, 1.5f, 2.5f, 2.5f, 3.5f, 3.5f, 4.5f, 4.5f,
                3.5f, 3.5f, 4.5f, 4.5f}, y.data());
    }

    @Test
    void sameStrideTwoIsTheAdjointOfTheSameConvolution() {
        // <convT(x, w), g> = <x, conv(g, w)> for every x, g: the defining property, here with TF's odd padding
        Random random = new Random(3);
        Tensor x = Tensors.randn(random, 2, 3, 4, 5);
        Tensor w = Tensors.randn(random, 3, 2, 3, 3);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor y = Conv2DTransposeOp.conv2dTranspose(x, w, null, 2, 2, "same");
            assertArrayEquals(new int[] {2, 2, 8, 10}, y.shape());
            Tensor g = Tensors.randn(random, y.shape());
            Conv2DOp.Options same = Conv2DOp.Options.DEFAULT.withStride(2, 2)
                    .withPadding(Padding2D.same(8, 10, 3, 3, 2, 2, 1, 1));
            Tensor back = Conv2DOp.conv2d(g, w, null, same);
            assertEquals(y.mul(g).sum().item(), x.mul(back).sum().item(), 1e-3);
        }
    }

    @Test
    void gradientsOfInputWeightAndBiasMatchFiniteDifferences() {
        Random random = new Random(5);
        Checks.assertGradients("conv2dTranspose",
                t -> Conv2DTransposeOp.conv2dTranspose(t[0], t[1], t[2], 2, 1, "same"),
                Tensors.randn(random, 2, 2, 3, 3), Tensors.randn(random, 2, 3, 2, 3), Tensors.randn(random, 3));
    }

    /** The cases of {@code make_conv_transpose.py}: Keras' output sizes, computed by PyTorch's ConvTranspose2d. */
    static SafeTensors.Contents pytorchCases() throws Exception {
        return SafeTensors.read(Path.of(Conv2DTransposeOpTest.class.getResource("conv_transpose_keras.safetensors")
                .toURI()));
    }

    /** One case's geometry: padding, strides, dilation, output padding (-1 = unset). */
    record Geometry(String padding, int[] numbers) {
        static Geometry of(String text) {
            String[] parts = text.split(" ");
            int[] numbers = new int[6];
            for (int i = 0; i < 6; i++) {
                numbers[i] = Integer.parseInt(parts[i + 1]);
            }
            return new Geometry(parts[0], numbers);
        }

        Tensor apply(Tensor x, Tensor w, Tensor b) {
            return Conv2DTransposeOp.conv2dTranspose(x, w, b, numbers[0], numbers[1], padding, numbers[2],
                    numbers[3], numbers[4], numbers[5]);
        }
    }

    @Test
    void kerasOutputPaddingDilationAndSmallKernelsMatchPyTorch() throws Exception {
        SafeTensors.Contents cases = pytorchCases();
        Map<String, Tensor> t = cases.tensors();
        int checked = 0;
        for (Map.Entry<String, String> c : new TreeMap<>(cases.metadata()).entrySet()) {
            Geometry g = Geometry.of(c.getValue());
            String k = c.getKey();
            try (NoGrad ignored = NoGrad.enter()) {
                Tensor y = g.apply(t.get(k + "_x"), t.get(k + "_w"), t.get(k + "_b"));
                Fixtures.assertClose(k + " (" + c.getValue() + ")", t.get(k + "_y"), y);
            }
            checked++;
        }
        assertEquals(9, checked);
    }

    @Test
    void gradientsWithOutputPaddingAndDilationMatchFiniteDifferences() {
        Random random = new Random(9);
        Checks.assertGradients("conv2dTranspose valid, output_padding 1x1",
                t -> Conv2DTransposeOp.conv2dTranspose(t[0], t[1], t[2], 2, 2, "valid", 1, 1, 1, 1),
                Tensors.randn(random, 2, 2, 3, 2), Tensors.randn(random, 2, 3, 3, 2), Tensors.randn(random, 3));
        Checks.assertGradients("conv2dTranspose same, output_padding 1x2",
                t -> Conv2DTransposeOp.conv2dTranspose(t[0], t[1], t[2], 2, 3, "same", 1, 1, 1, 2),
                Tensors.randn(random, 1, 2, 3, 3), Tensors.randn(random, 2, 2, 3, 4), Tensors.randn(random, 2));
        Checks.assertGradients("conv2dTranspose same, dilation 2",
                t -> Conv2DTransposeOp.conv2dTranspose(t[0], t[1], t[2], 1, 1, "same", 2, 2,
                        Conv2DTransposeOp.NO_OUTPUT_PADDING, Conv2DTransposeOp.NO_OUTPUT_PADDING),
                Tensors.randn(random, 2, 2, 4, 3), Tensors.randn(random, 2, 2, 3, 3), Tensors.randn(random, 2));
        Checks.assertGradients("conv2dTranspose valid, kernel 2 below stride 3",
                t -> Conv2DTransposeOp.conv2dTranspose(t[0], t[1], t[2], 3, 3, "valid"),
                Tensors.randn(random, 1, 2, 2, 3), Tensors.randn(random, 2, 2, 2, 2), Tensors.randn(random, 2));
    }

    @Test
    void outputPaddingNotBelowTheStrideIsRefused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Conv2DTransposeOp(2, 2, "same", 1, 1, 2, 0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("output_padding along the height")
                && e.getMessage().contains("stride 2") && e.getMessage().contains("got 2"), e.getMessage());
    }
}
