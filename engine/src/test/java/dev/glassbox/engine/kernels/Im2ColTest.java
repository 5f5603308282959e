package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Im2ColTest {

    @Test
    void columnsHoldTheWindowValuesAndZerosInThePadding() {
        // x = 1..6 as a 2x3 plane, 2x2 kernel, stride 1, padding 1 on top and left only → 2x3 output.
        // Row (i=0, j=0) reads x[oh-1, ow-1]: the top row and left column are padding → 0 0 0 / 0 1 2.
        // Row (i=1, j=1) reads x[oh, ow] → 1 2 3 / 4 5 6.
        Window2D g = new Window2D(2, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2, 3);
        float[] cols = new float[4 * 6];
        Im2Col.im2col(new float[] {1, 2, 3, 4, 5, 6}, 0, 1, g, cols, 0, 6);
        float[] first = Arrays.copyOfRange(cols, 0, 6);
        float[] last = Arrays.copyOfRange(cols, 18, 24);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2}, first);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, last);
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        // <im2col(x), c> = <x, col2im(c)> for every x and c: the defining property of the gradient scatter.
        var random = new SplittableRandom(31);
        for (int trial = 0; trial < 200; trial++) {
            int kh = 1 + random.nextInt(4), kw = 1 + random.nextInt(4);
            int sh = 1 + random.nextInt(3), sw = 1 + random.nextInt(3);
            int dh = 1 + random.nextInt(2), dw = 1 + random.nextInt(2);
            int top = random.nextInt(4), bottom = random.nextInt(4), left = random.nextInt(4),
                    right = random.nextInt(4);
            int h = 1 + random.nextInt(7), w = 1 + random.nextInt(7), channels = 1 + random.nextInt(3);
            int outH = Window2D.outputSize(h, kh, sh, top, bottom, dh);
            int outW = Window2D.outputSize(w, kw, sw, left, right, dw);
            if (outH < 1 || outW < 1) {
                continue;
            }
            Window2D g = new Window2D(h, w, kh, kw, sh, sw, top, left, dh, dw, outH, outW);
            int width = g.outputPlane() + 3;                           // a wider matrix: exercises ldCols
            float[] x = randoms(random, channels * h * w);
            float[] c = randoms(random, channels * kh * kw * width);
            float[] cols = new float[c.length];
            Im2Col.im2col(x, 0, channels, g, cols, 2, width);
            float[] back = new float[x.length];
            Im2Col.col2im(c, 2, width, channels, g, back, 0);
            double lhs = 0;
            for (int r = 0; r < channels * kh * kw; r++) {
                for (int p = 0; p < g.outputPlane(); p++) {
                    lhs += (double) cols[2 + r * width + p] * c[2 + r * width + p];
                }
            }
            double rhs = 0;
            for (int i = 0; i < x.length; i++) {
                rhs += (double) x[i] * back[i];
            }
            assertEquals(lhs, rhs, 1e-4 * Math.max(1, Math.abs(lhs)), "trial " + trial + ": " + g);
        }
    }

    @Test
    void bothMatchTheDefinitionBitForBitOnNarrowAndWidePlanes() {
        // Planes narrower and wider than a vector, with and without padding, strides and dilations: the vector
        // paths (a gather map for narrow planes, runs for wide ones) and the scalar loops must give exactly the
        // definition's values, and col2im must add each row's values in row order as the definition does.
        var random = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int kh = 1 + random.nextInt(5), kw = 1 + random.nextInt(5);
            boolean strided = random.nextInt(4) == 0;
            int sh = strided ? 1 + random.nextInt(2) : 1, sw = strided ? 1 + random.nextInt(2) : 1;
            int dh = random.nextInt(5) == 0 ? 2 : 1, dw = random.nextInt(5) == 0 ? 2 : 1;
            boolean padded = random.nextBoolean();
            int top = padded ? random.nextInt(3) : 0, bottom = padded ? random.nextInt(3) : 0;
            int left = padded ? random.nextInt(3) : 0, right = padded ? random.nextInt(3) : 0;
            int h = 1 + random.nextInt(12), w = 1 + random.nextInt(45), channels = 1 + random.nextInt(3);
            int outH = Window2D.outputSize(h, kh, sh, top, bottom, dh);
            int outW = Window2D.outputSize(w, kw, sw, left, right, dw);
            if (outH < 1 || outW < 1) {
                continue;
            }
            Window2D g = new Window2D(h, w, kh, kw, sh, sw, top, left, dh, dw, outH, outW);
            int ld = g.outputPlane() + 5;
            int rows = channels * kh * kw;
            float[] x = randoms(random, channels * h * w + 3);
            float[] cols = randoms(random, rows * ld + 1);
            float[] expected = cols.clone();
            float[] c = randoms(random, cols.length);
            float[] back = randoms(random, x.length);
            float[] expectedBack = back.clone();
            for (int ch = 0, r = 0; ch < channels; ch++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++, r++) {
                        for (int oh = 0; oh < outH; oh++) {
                            for (int ow = 0; ow < outW; ow++) {
                                int ih = oh * sh - top + i * dh, iw = ow * sw - left + j * dw;
                                boolean in = ih >= 0 && ih < h && iw >= 0 && iw < w;
                                int at = 1 + r * ld + oh * outW + ow, source = 3 + (ch * h + ih) * w + iw;
                                expected[at] = in ? x[source] : 0f;
                                if (in) {
                                    expectedBack[source] += c[at];
                                }
                            }
                        }
                    }
                }
            }
            Im2Col.im2col(x, 3, channels, g, cols, 1, ld);
            Im2Col.col2im(c, 1, ld, channels, g, back, 3);
            assertArrayEquals(expected, cols, "im2col, trial " + trial + ": " + g);
            assertArrayEquals(expectedBack, back, "col2im, trial " + trial + ": " + g);
        }
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
