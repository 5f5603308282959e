package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoolKernelsTest {

    @Test
    void twoByTwoMaxPoolingMatchesTheDefinitionBitForBit() {
        // Planes whose outputs fill several vectors, part of one, or a few plus a remainder; values drawn from a
        // small set so that ties, +0/-0 pairs, NaNs and infinities meet in the same windows. The definition:
        // the first maximum in row-major order wins, a NaN beats any number and the first NaN stays, and the value
        // is Math.max of the four (so +0 beats -0 in value while the index stays on the first of the tie).
        float[] pool = {1f, 2f, 2f, -1f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3.5f};
        var random = new SplittableRandom(5);
        for (int trial = 0; trial < 300; trial++) {
            int h = 2 + random.nextInt(30), w = 2 + random.nextInt(30), planes = 1 + random.nextInt(4);
            Window2D g = new Window2D(h, w, 2, 2, 2, 2, 0, 0, 1, 1, h / 2, w / 2);
            float[] x = new float[planes * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : (float) random.nextGaussian();
            }
            float[] y = new float[planes * g.outputPlane()];
            int[] argmax = new int[y.length];
            PoolKernels.maxPool(x, planes, g, y, argmax);
            for (int p = 0, out = 0; p < planes; p++) {
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++, out++) {
                        int best = 2 * oh * w + 2 * ow;
                        float value = x[p * h * w + best];
                        for (int index : new int[] {best + 1, best + w, best + w + 1}) {
                            float v = x[p * h * w + index];
                            if (v > x[p * h * w + best] || (Float.isNaN(v) && !Float.isNaN(x[p * h * w + best]))) {
                                best = index;
                            }
                            value = Math.max(value, v);
                        }
                        String where = "trial " + trial + ", " + g + ", plane " + p + ", output " + out;
                        assertEquals(Float.floatToIntBits(value), Float.floatToIntBits(y[out]), where);
                        assertEquals(best, argmax[out], where);
                    }
                }
            }
        }
    }

    @Test
    void twoByTwoMaxPoolingGivesTheSameBitsOnOneAndTwoThreads() {
        var random = new SplittableRandom(9);
        Window2D g = new Window2D(24, 24, 2, 2, 2, 2, 0, 0, 1, 1, 12, 12);
        int planes = 200;
        float[] x = new float[planes * g.inputPlane()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[][] ys = new float[2][planes * g.outputPlane()];
        int[][] argmaxes = new int[2][ys[0].length];
        int before = Parallel.threads();
        try {
            for (int t = 0; t < 2; t++) {
                Parallel.setThreads(t + 1);
                PoolKernels.maxPool(x, planes, g, ys[t], argmaxes[t]);
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(ys[0], ys[1]);
        assertArrayEquals(argmaxes[0], argmaxes[1]);
    }

    /** Overlapping 3×3 windows, stride 2: winners of several windows get the sum; the old contents do not count. */
    @Test
    void maxPoolingGradientOverwritesItsArrayAndSumsOverlappingWins() {
        var random = new SplittableRandom(4);
        int planes = 3;
        Window2D g = new Window2D(7, 9, 3, 3, 2, 2, 0, 0, 1, 1, 3, 4);
        float[] x = new float[planes * g.inputPlane()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(4) == 0 ? 5f : (float) random.nextGaussian();   // ties and repeated winners
        }
        float[] y = new float[planes * g.outputPlane()];
        int[] argmax = new int[y.length];
        PoolKernels.maxPool(x, planes, g, y, argmax);
        float[] gradOutput = new float[y.length];
        for (int i = 0; i < gradOutput.length; i++) {
            gradOutput[i] = i + 1;
        }
        float[] expected = new float[x.length];
        for (int o = 0; o < y.length; o++) {
            expected[o / g.outputPlane() * g.inputPlane() + argmax[o]] += gradOutput[o];
        }
        float[] gradInput = new float[x.length];
        java.util.Arrays.fill(gradInput, Float.NaN);                    // e.g. a reused array
        PoolKernels.maxPoolBackward(gradOutput, argmax, planes, g, gradInput);
        assertArrayEquals(expected, gradInput);
    }
}
