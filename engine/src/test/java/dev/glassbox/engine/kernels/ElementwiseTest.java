package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ElementwiseTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE};

    @Test
    void reluAndItsGradientMatchTheDefinitionBitForBitOnOneAndTwoThreads() {
        var random = new SplittableRandom(3);
        for (int n : new int[] {0, 1, 15, 16, 17, 100, 70_001, 200_003}) {
            float[] x = values(random, n);
            float[] g = values(random, n);
            float[] y = new float[n];
            float[] expectedGrad = new float[n];
            float[] expectedY = new float[n];
            for (int i = 0; i < n; i++) {
                expectedY[i] = Math.max(x[i], 0f);
                expectedGrad[i] = expectedY[i] > 0 ? g[i] : 0f;
            }
            for (int threads = 1; threads <= 2; threads++) {
                withThreads(threads, () -> {
                    Elementwise.relu(x, y);
                    float[] grad = new float[n];
                    Elementwise.reluBackward(g, y, grad);
                    assertArrayEquals(FloatBits.of(expectedY), FloatBits.of(y), "relu, n=" + n);
                    assertArrayEquals(FloatBits.of(expectedGrad), FloatBits.of(grad), "relu gradient, n=" + n);
                });
            }
        }
    }

    @Test
    void biasAndMapSumsAreExactPerElementAndTheSameOnOneAndTwoThreads() {
        var random = new SplittableRandom(4);
        for (int plane : new int[] {1, 7, 16, 64, 576}) {
            int maps = 3 * 250;
            float[] x = values(random, maps * plane);
            float[] bias = values(random, 3);
            float[] expected = x.clone();
            for (int i = 0; i < expected.length; i++) {
                expected[i] += bias[(i / plane) % 3];
            }
            float[][] sums = new float[2][maps];
            for (int threads = 1; threads <= 2; threads++) {
                float[] y = x.clone();
                int t = threads - 1;
                withThreads(threads, () -> {
                    Elementwise.addBias(y, bias, plane);
                    Elementwise.mapSums(y, plane, sums[t]);
                });
                assertArrayEquals(FloatBits.of(expected), FloatBits.of(y), "bias, plane " + plane);
            }
            assertArrayEquals(FloatBits.of(sums[0]), FloatBits.of(sums[1]), "sums, plane " + plane);
            for (int m = 0; m < maps; m++) {                     // against a double sum, within rounding
                double exact = 0;
                boolean finite = true;
                for (int i = m * plane; i < (m + 1) * plane; i++) {
                    exact += expected[i];
                    finite &= Float.isFinite(expected[i]);
                }
                if (finite) {
                    assertEquals(exact, sums[0][m], 1e-5 * plane * (1 + Math.abs(exact)), "map " + m);
                }
            }
        }
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(8) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
        }
        return v;
    }


    private static void withThreads(int threads, Runnable body) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            body.run();
        } finally {
            Parallel.setThreads(before);
        }
    }
}
