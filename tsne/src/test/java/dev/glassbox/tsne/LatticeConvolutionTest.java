package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatticeConvolutionTest {

    /** out_c(x, y) = Σ K(h·(x − x'), h·(y − y')) charge_c(x', y') by its definition, O(m⁴). */
    static double direct(double[][] charges, int c, int m, double spacing, int x, int y) {
        double sum = 0;
        for (int x2 = 0; x2 < m; x2++) {
            for (int y2 = 0; y2 < m; y2++) {
                double dx = (x - x2) * spacing;
                double dy = (y - y2) * spacing;
                sum += LatticeConvolution.kernel(dx * dx + dy * dy) * charges[c][x2 * m + y2];
            }
        }
        return sum;
    }

    @Test
    void convolutionEqualsTheDirectSum() {
        // Sizes from the smallest allowed up; m up to size/2 (the most padding the transforms prune) and odd m,
        // whose last strip of x nodes is only partly used; spacings from compact to wide.
        int[][] cases = {{16, 8}, {16, 5}, {32, 16}, {32, 13}, {64, 29}};
        for (int threads = 1; threads <= 2; threads++) {
            try (Parallel parallel = new Parallel(threads)) {
                LatticeConvolution convolution = new LatticeConvolution(parallel);
                for (int[] sizeAndNodes : cases) {
                    int size = sizeAndNodes[0];
                    int m = sizeAndNodes[1];
                    for (double spacing : new double[] {0.05, 0.7, 3}) {
                        Random random = new Random(size * 31L + m);
                        double[][] charges = new double[4][m * m];
                        convolution.reset(size, m);
                        for (int c = 0; c < 4; c++) {
                            for (int x = 0; x < m; x++) {
                                for (int y = 0; y < m; y++) {
                                    charges[c][x * m + y] = random.nextDouble() - 0.3;
                                    convolution.plane(c)[convolution.index(x, y)] = charges[c][x * m + y];
                                }
                            }
                        }
                        convolution.convolve(spacing);
                        for (int c = 0; c < 4; c++) {
                            for (int x = 0; x < m; x++) {
                                for (int y = 0; y < m; y++) {
                                    double expected = direct(charges, c, m, spacing, x, y);
                                    double actual = convolution.plane(c)[convolution.index(x, y)];
                                    assertEquals(expected, actual, 1e-12 * m * m, "size " + size + " m " + m
                                            + " spacing " + spacing + " charge " + c + " node " + x + "," + y);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void resetClearsTheChargesOfTheLastIteration() {
        try (Parallel parallel = new Parallel(1)) {
            LatticeConvolution convolution = new LatticeConvolution(parallel);
            convolution.reset(32, 16);
            convolution.plane(0)[convolution.index(3, 4)] = 1;
            convolution.convolve(1);
            convolution.reset(32, 16);
            convolution.convolve(1);
            for (int x = 0; x < 16; x++) {
                for (int y = 0; y < 16; y++) {
                    assertEquals(0, convolution.plane(0)[convolution.index(x, y)]);
                }
            }
        }
    }
}
