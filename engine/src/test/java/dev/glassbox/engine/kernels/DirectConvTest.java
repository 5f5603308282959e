package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DirectConvTest {

    @Test
    void shallowWindowsGiveTheIm2colGemmsBitsExactly() {
        // The direct kernel accumulates the taps in im2col's row order with one FMA each, as the GEMM's
        // micro-kernel does for K <= 256, so the two must agree bit for bit; output channel counts that are and
        // are not multiples of 4, planes whose full-width span ends inside a vector, 1 and 2 input channels.
        assertTrue(Blas.vectorApiAvailable(), "the tests run with jdk.incubator.vector");
        var random = new SplittableRandom(11);
        java.util.List<Conv2DKernels.Shape> shapes = servedShapes(random, 60);
        assertTrue(shapes.size() > 30, "too few shapes take the direct path: " + shapes.size());
        for (int trial = 0; trial < shapes.size(); trial++) {
            Conv2DKernels.Shape s = shapes.get(trial);
            Window2D g = s.window();
            int channels = s.channels(), out = s.outChannels(), batch = s.batch();
            int kernel = g.kernelH(), h = g.height(), w = g.width();
            float[] x = randoms(random, batch * channels * h * w);
            float[] weights = randoms(random, out * channels * kernel * kernel);
            float[] direct = new float[batch * out * g.outputPlane()];
            VectorDirectConv.forward(s, x, weights, direct, 0, batch);

            float[] expected = new float[direct.length];
            int k = channels * kernel * kernel;
            float[] cols = new float[k * g.outputPlane()];
            for (int n = 0; n < batch; n++) {
                Im2Col.im2col(x, n * channels * h * w, channels, g, cols, 0, g.outputPlane());
                new VectorSgemm().sgemm(false, false, out, g.outputPlane(), k, 1f, weights, 0, k, cols, 0,
                        g.outputPlane(), 0f, expected, n * out * g.outputPlane(), g.outputPlane());
            }
            assertArrayEquals(FloatBits.of(expected), FloatBits.of(direct), "trial " + trial + ": " + s);
        }
    }

    @Test
    void weightGradientMatchesTheDefinitionAndIsTheSameOnOneAndTwoThreads() {
        var random = new SplittableRandom(12);
        java.util.List<Conv2DKernels.Shape> shapes = servedShapes(random, 40);
        assertTrue(shapes.size() > 20, "too few shapes take the direct path: " + shapes.size());
        for (int trial = 0; trial < shapes.size(); trial++) {
            Conv2DKernels.Shape s = shapes.get(trial);
            Window2D g = s.window();
            int channels = s.channels(), out = s.outChannels(), batch = s.batch();
            int kernel = g.kernelH(), h = g.height(), w = g.width();
            float[] x = randoms(random, batch * channels * h * w);
            float[] gy = randoms(random, batch * out * g.outputPlane());
            float[][] grads = new float[2][out * s.k()];
            int before = Parallel.threads();
            try {
                for (int t = 0; t < 2; t++) {
                    Parallel.setThreads(t + 1);
                    java.util.Arrays.fill(grads[t], 0.5f);                   // accumulated into
                    VectorDirectConv.weightGradient(s, x, gy, grads[t]);
                }
            } finally {
                Parallel.setThreads(before);
            }
            assertArrayEquals(FloatBits.of(grads[0]), FloatBits.of(grads[1]), "threads, trial " + trial);
            for (int o = 0; o < out; o++) {
                for (int c = 0, t = 0; c < channels; c++) {
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++, t++) {
                            double exact = 0.5, size = 0;
                            for (int n = 0; n < batch; n++) {
                                for (int oh = 0; oh < g.outH(); oh++) {
                                    for (int ow = 0; ow < g.outW(); ow++) {
                                        double term = (double) gy[((n * out + o) * g.outH() + oh) * g.outW() + ow]
                                                * x[((n * channels + c) * h + oh + i) * w + ow + j];
                                        exact += term;
                                        size += Math.abs(term);
                                    }
                                }
                            }
                            assertEquals(exact, grads[0][o * s.k() + t], 1e-6 * size + 1e-6,
                                    "trial " + trial + ", o " + o + ", tap " + t);
                        }
                    }
                }
            }
        }
    }

    /**
     * 1 or 2 channels, a 3×3 or 5×5 kernel, stride 1, no padding, planes 7 to 38 wide, 1 to 9 output channels
     * (multiples of 4 and not), 1 to 4 images.
     */
    private static java.util.List<Conv2DKernels.Shape> servedShapes(SplittableRandom random, int trials) {
        java.util.List<Conv2DKernels.Shape> shapes = new java.util.ArrayList<>();
        for (int trial = 0; trial < trials; trial++) {
            Conv2DKernels.Shape s = shallowShape(random);
            if (VectorDirectConv.serves(s)) {
                shapes.add(s);
            }
        }
        return shapes;
    }

    private static Conv2DKernels.Shape shallowShape(SplittableRandom random) {
        int channels = 1 + random.nextInt(2);
        int kernel = random.nextBoolean() ? 3 : 5;
        int h = kernel + 4 + random.nextInt(26), w = kernel + 4 + random.nextInt(26);
        int out = 1 + random.nextInt(9), batch = 1 + random.nextInt(4);
        Window2D g = new Window2D(h, w, kernel, kernel, 1, 1, 0, 0, 1, 1, h - kernel + 1, w - kernel + 1);
        return Conv2DKernels.Shape.of(batch, channels, out, 1, g);
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

}
