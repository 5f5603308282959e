package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import dev.glassbox.engine.testing.Fixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Conv2DOpTest {

    @Test
    void diagonalDifferenceKernelOnATinyImage() {
        // x = 1..9 in a 3x3 plane, w = [[1, 0], [0, -1]], b = 0.5:
        // y[p, q] = x[p, q] - x[p+1, q+1] + 0.5 = -4 + 0.5 = -3.5 at all four positions (neighbours differ by 4).
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = Tensors.of(new float[] {1, 0, 0, -1}, 1, 1, 2, 2);
        Tensor y = Conv2DOp.conv2d(x, w, Tensors.vector(0.5f), Conv2DOp.Options.DEFAULT);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {-3.5f, -3.5f, -3.5f, -3.5f}, y.data());
    }

    @Test
    void strideTwoWithZeroPaddingSumsTheWindowsThatFit() {
        // x = 1..9 (3x3), a 3x3 kernel of ones, stride 2, padding 1: windows centred on the corners.
        // (0,0): 1+2+4+5 = 12   (0,1): 2+3+5+6 = 16   (1,0): 4+5+7+8 = 24   (1,1): 5+6+8+9 = 28
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        var options = Conv2DOp.Options.DEFAULT.withStride(2, 2).withPadding(Padding2D.symmetric(1, 1));
        Tensor y = Conv2DOp.conv2d(x, Tensors.ones(1, 1, 3, 3), null, options);
        assertArrayEquals(new float[] {12, 16, 24, 28}, y.data());
    }

    @Test
    void tensorflowSamePaddingPutsTheOddExtraRowBelowAndRight() {
        // 8 wide, k=3, s=2: out = 4, total = (4-1)*2 + 3 - 8 = 1 -> 0 before, 1 after.
        assertEquals(new Padding2D(0, 1, 0, 1), Padding2D.same(8, 8, 3, 3, 2, 2, 1, 1));
        // 7 wide: total = 3*2 + 3 - 7 = 2 -> 1 and 1, PyTorch's padding=1.
        assertEquals(Padding2D.symmetric(1, 1), Padding2D.of("same", 7, 7, 3, 3, 2, 2, 1, 1));
        // stride 1, k=5: total 4 -> 2 and 2 whatever the size; "valid" never pads.
        assertEquals(Padding2D.symmetric(2, 2), Padding2D.same(28, 9, 5, 5, 1, 1, 1, 1));
        assertEquals(Padding2D.NONE, Padding2D.of("valid", 8, 8, 3, 3, 2, 2, 1, 1));
        // dilation 2 makes a 3-tap kernel span 5: total 4 at stride 1.
        assertEquals(Padding2D.symmetric(2, 2), Padding2D.same(6, 6, 3, 3, 1, 1, 2, 2));
    }

    @Test
    void depthwiseGroupsKeepChannelsApart() {
        // groups = C = 2 with one 1x1 kernel each: channel 0 is scaled by 2, channel 1 by -3.
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 1, 2, 1, 2);
        Tensor w = Tensors.of(new float[] {2, -3}, 2, 1, 1, 1);
        Tensor y = Conv2DOp.conv2d(x, w, null, Conv2DOp.Options.DEFAULT.withGroups(2));
        assertArrayEquals(new float[] {2, 4, -9, -12}, y.data());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "stride", "asymmetricPadding", "dilation", "groups", "rectangular", "noBias"})
    void gradientsMatchFiniteDifferences(String variant) {
        var random = new SplittableRandom(11);
        var options = Conv2DOp.Options.DEFAULT;
        int channels = 2, out = 3, kh = 3, kw = 3;
        switch (variant) {
            case "stride" -> options = options.withStride(2, 1);
            case "asymmetricPadding" -> options = options.withPadding(new Padding2D(0, 2, 1, 0)).withStride(2, 2);
            case "dilation" -> options = options.withDilation(2, 1).withPadding(Padding2D.symmetric(1, 1));
            case "groups" -> { channels = 4; out = 6; options = options.withGroups(2); }
            case "rectangular" -> { kh = 3; kw = 2; options = options.withStride(1, 2); }
            default -> { }
        }
        boolean bias = !variant.equals("noBias");
        Tensor x = Tensors.randn(random, 2, channels, 6, 5);
        Tensor w = Tensors.randn(random, out, channels / options.groups(), kh, kw);
        Tensor b = Tensors.randn(random, out);
        var finalOptions = options;
        if (bias) {
            Checks.assertGradients("conv2d " + variant, t -> Conv2DOp.conv2d(t[0], t[1], t[2], finalOptions), x, w, b);
        } else {
            Checks.assertGradients("conv2d " + variant, t -> Conv2DOp.conv2d(t[0], t[1], null, finalOptions), x, w);
        }
    }

    @Test
    void agreesWithADirectSevenLoopConvolutionOnRandomShapes() {
        // The GEMM lowering against the definition, on shapes including size 1 and odd sizes, with every option.
        var random = new SplittableRandom(23);
        for (int trial = 0; trial < 30; trial++) {
            int groups = 1 + random.nextInt(3);
            int inPerGroup = 1 + random.nextInt(3);
            int outPerGroup = 1 + random.nextInt(3);
            int kh = 1 + random.nextInt(4);
            int kw = 1 + random.nextInt(4);
            var options = Conv2DOp.Options.DEFAULT.withGroups(groups)
                    .withStride(1 + random.nextInt(3), 1 + random.nextInt(3))
                    .withDilation(1 + random.nextInt(2), 1 + random.nextInt(2))
                    .withPadding(new Padding2D(random.nextInt(3), random.nextInt(3), random.nextInt(3),
                            random.nextInt(3)));
            int h = options.dilationH() * (kh - 1) + 1 + random.nextInt(6);
            int w = options.dilationW() * (kw - 1) + 1 + random.nextInt(6);
            Tensor x = Tensors.randn(random, 1 + random.nextInt(3), groups * inPerGroup, h, w);
            Tensor weight = Tensors.randn(random, groups * outPerGroup, inPerGroup, kh, kw);
            Tensor b = Tensors.randn(random, groups * outPerGroup);
            Fixtures.assertClose("trial " + trial + " " + options, directConvolution(x, weight, b, options),
                    Conv2DOp.conv2d(x, weight, b, options), 1e-5);
        }
    }

    /** y[n, o, p, q] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, g·C/G + c, p·sh - top + i·dh, q·sw - left + j·dw]. */
    private static Tensor directConvolution(Tensor x, Tensor w, Tensor b, Conv2DOp.Options o) {
        int n = x.dim(0), height = x.dim(2), width = x.dim(3);
        int out = w.dim(0), cg = w.dim(1), kh = w.dim(2), kw = w.dim(3), og = out / o.groups();
        Padding2D p = o.padding();
        int outH = (height + p.top() + p.bottom() - o.dilationH() * (kh - 1) - 1) / o.strideH() + 1;
        int outW = (width + p.left() + p.right() - o.dilationW() * (kw - 1) - 1) / o.strideW() + 1;
        Tensor y = Tensors.zeros(n, out, outH, outW);
        for (int image = 0; image < n; image++) {
            for (int oc = 0; oc < out; oc++) {
                for (int r = 0; r < outH; r++) {
                    for (int q = 0; q < outW; q++) {
                        double sum = b.get(oc);
                        for (int c = 0; c < cg; c++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int ih = r * o.strideH() - p.top() + i * o.dilationH();
                                    int iw = q * o.strideW() - p.left() + j * o.dilationW();
                                    if (ih >= 0 && ih < height && iw >= 0 && iw < width) {
                                        sum += w.get(oc, c, i, j) * x.get(image, oc / og * cg + c, ih, iw);
                                    }
                                }
                            }
                        }
                        y.set((float) sum, image, oc, r, q);
                    }
                }
            }
        }
        return y;
    }

    @Test
    void missingBiasGetsNoGradientSlot() {
        Tensor x = Tensors.ones(1, 1, 2, 2).requiresGrad(true);
        Tensor w = Tensors.ones(1, 1, 1, 1).requiresGrad(true);
        Conv2DOp.conv2d(x, w, null, Conv2DOp.Options.DEFAULT).sum().backward();
        assertEquals(4f, w.grad().item());
        assertArrayEquals(new float[] {1, 1, 1, 1}, x.grad().data());
    }

    @Test
    void onlyTheInputsThatWantAGradientGetOne() {
        // A frozen weight and bias (no requiresGrad) with an input whose saliency is wanted.
        Tensor x = Tensors.ones(2, 1, 3, 3).requiresGrad(true);
        Tensor w = Tensors.ones(1, 1, 2, 2);
        Tensor b = Tensors.vector(1f);
        Conv2DOp.conv2d(x, w, b, Conv2DOp.Options.DEFAULT).sum().backward();
        assertNull(w.grad());
        assertNull(b.grad());
        // Each corner is in one 2x2 window, each edge centre in two, the centre in all four.
        assertArrayEquals(new float[] {1, 2, 1, 2, 4, 2, 1, 2, 1}, Arrays.copyOf(x.grad().data(), 9));
    }

    @Test
    void flatImagesAreRejectedWithAReshapeHint() {
        Tensor w = Tensors.zeros(20, 1, 5, 5);
        ShapeException e = assertThrows(ShapeException.class,
                () -> Conv2DOp.conv2d(Tensors.zeros(32, 784), w, null, Conv2DOp.Options.DEFAULT));
        assertTrue(e.getMessage().contains("channels=1, but got shape [32, 784]"), e.getMessage());
        assertTrue(e.getMessage().contains("x.reshape(32, 1, height, width)"), e.getMessage());
        assertNull(e.expected());
    }

    @Test
    void kernelLargerThanThePaddedInputIsRejected() {
        assertThrows(ShapeException.class, () -> Conv2DOp.conv2d(Tensors.zeros(1, 1, 2, 2), Tensors.zeros(1, 1, 3, 3),
                null, Conv2DOp.Options.DEFAULT));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"conv2d_s2_p1_7x7", "conv2d_s2_p1_8x8_torch", "conv2d_s2_same_8x8_tf",
            "conv2d_rect_kernel"})
    void matchesPyTorchForwardAndGradients(String group) {
        try (Fixtures f = Fixtures.open("ops.h5")) {
            Tensor x = f.tensor(group + "/x").requiresGrad(true);
            Tensor w = f.tensor(group + "/w").requiresGrad(true);
            Tensor b = f.tensor(group + "/b").requiresGrad(true);
            var options = optionsFromDescription((String) f.attribute(group, "description"), x, w);
            Tensor y = Conv2DOp.conv2d(x, w, b, options);
            Fixtures.assertClose(group + "/y", f.tensor(group + "/y"), y);
            y.backward(f.tensor(group + "/gy"));
            Fixtures.assertClose(group + "/g_x", f.tensor(group + "/g_x"), x.grad());
            Fixtures.assertClose(group + "/g_w", f.tensor(group + "/g_w"), w.grad());
            Fixtures.assertClose(group + "/g_b", f.tensor(group + "/g_b"), b.grad());
        }
    }

    private static final Pattern TORCH_CALL =
            Pattern.compile("conv2d\\(x, w, b, stride=(\\d+|\\(\\d+, ?\\d+\\)), padding=(\\d+)\\)");
    private static final Pattern TF_SAME = Pattern.compile("padding=\"same\", stride (\\d+)");

    /**
     * The groups store their hyperparameters only in the description: either the PyTorch call
     * ({@code F.conv2d(x, w, b, stride=(1,2), padding=0)}) or the Keras/TF form ({@code padding="same", stride 2}),
     * for which the padding follows from the input and kernel sizes.
     */
    static Conv2DOp.Options optionsFromDescription(String description, Tensor x, Tensor w) {
        Matcher torch = TORCH_CALL.matcher(description);
        if (torch.find()) {
            int[] stride = pair(torch.group(1));
            int pad = Integer.parseInt(torch.group(2));
            return Conv2DOp.Options.DEFAULT.withStride(stride[0], stride[1]).withPadding(Padding2D.symmetric(pad, pad));
        }
        Matcher tf = TF_SAME.matcher(description);
        assertTrue(tf.find(), () -> "no convolution hyperparameters in the description: " + description);
        int s = Integer.parseInt(tf.group(1));
        return Conv2DOp.Options.DEFAULT.withStride(s, s)
                .withPadding(Padding2D.same(x.dim(2), x.dim(3), w.dim(2), w.dim(3), s, s, 1, 1));
    }

    private static int[] pair(String text) {
        String[] parts = text.replaceAll("[() ]", "").split(",");
        int first = Integer.parseInt(parts[0]);
        return new int[] {first, parts.length > 1 ? Integer.parseInt(parts[1]) : first};
    }
}
