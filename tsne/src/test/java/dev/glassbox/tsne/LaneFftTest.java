package dev.glassbox.tsne;

import static dev.glassbox.tsne.LaneFft.LANES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LaneFftTest {

    /** Both implementations (the vector one when the module is present), with small blocks to recurse. */
    static List<LaneFft> implementations(int size) {
        List<LaneFft> all = new ArrayList<>();
        for (int blockRows : new int[] {2, 4, 8, size}) {
            all.add(new LaneFft.Scalar(size, blockRows));
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                all.add(new VectorLaneFft(size, blockRows));
            }
        }
        return all;
    }

    /** A batch of random values at rows row0 … row0 + size − 1 of arrays with a few more rows around it. */
    static double[][] batch(int size, int row0, long seed) {
        Random random = new Random(seed);
        double[] re = new double[(row0 + size + 2) * LANES];
        double[] im = new double[re.length];
        for (int k = 0; k < re.length; k++) {
            re[k] = random.nextGaussian();
            im[k] = random.nextGaussian();
        }
        return new double[][] {re, im};
    }

    /** The DFT by its definition, lane l of rows row0 …, the first {@code inputRows} values (the rest zero). */
    static double[] naiveDft(double[] re, double[] im, int row0, int size, int inputRows, int lane, int k,
                             int sign) {
        double sumRe = 0;
        double sumIm = 0;
        for (int r = 0; r < inputRows; r++) {
            double angle = sign * 2 * Math.PI * (double) k * r / size;
            double xr = re[(row0 + r) * LANES + lane];
            double xi = im[(row0 + r) * LANES + lane];
            sumRe += xr * Math.cos(angle) - xi * Math.sin(angle);
            sumIm += xr * Math.sin(angle) + xi * Math.cos(angle);
        }
        return new double[] {sumRe, sumIm};
    }

    @Test
    void forwardIsTheDftInBitReversedOrder() {
        for (int size : new int[] {2, 4, 8, 16, 32, 64, 128}) {
            for (int inputRows : new int[] {1, size / 2, size / 2 - 1, size}) {
                if (inputRows < 1) {
                    continue;
                }
                for (LaneFft fft : implementations(size)) {
                    int row0 = 3;
                    double[][] x = batch(size, row0, size + inputRows);
                    double[][] y = {x[0].clone(), x[1].clone()};
                    fft.forward(y[0], y[1], row0, inputRows);
                    int used = inputRows > size / 2 ? size : inputRows;
                    for (int p = 0; p < size; p++) {
                        for (int l = 0; l < LANES; l++) {
                            double[] expected = naiveDft(x[0], x[1], row0, size, used, l, fft.frequency(p), -1);
                            String where = fft.getClass().getSimpleName() + " size " + size + " input " + inputRows
                                    + " row " + p + " lane " + l;
                            assertEquals(expected[0], y[0][(row0 + p) * LANES + l], 1e-12 * size, where);
                            assertEquals(expected[1], y[1][(row0 + p) * LANES + l], 1e-12 * size, where);
                        }
                    }
                    // Rows outside the batch are not touched.
                    for (int k = 0; k < row0 * LANES; k++) {
                        assertEquals(x[0][k], y[0][k]);
                    }
                }
            }
        }
    }

    @Test
    void inverseUndoesForwardTimesTheSize() {
        for (int size : new int[] {2, 4, 8, 16, 32, 64, 128}) {
            for (int rows : new int[] {1, size / 2, size}) {
                for (LaneFft fft : implementations(size)) {
                    int row0 = 1;
                    double[][] x = batch(size, row0, 7 * size + rows);
                    double[][] y = {x[0].clone(), x[1].clone()};
                    fft.forward(y[0], y[1], row0, rows);
                    fft.inverse(y[0], y[1], row0, rows);
                    for (int r = 0; r < rows; r++) {
                        for (int l = 0; l < LANES; l++) {
                            int k = (row0 + r) * LANES + l;
                            assertEquals(size * x[0][k], y[0][k], 1e-12 * size, "size " + size + " row " + r);
                            assertEquals(size * x[1][k], y[1][k], 1e-12 * size, "size " + size + " row " + r);
                        }
                    }
                }
            }
        }
    }

    @Test
    void inverseIsTheInverseDftFromBitReversedOrder() {
        int size = 32;
        for (LaneFft fft : implementations(size)) {
            double[][] x = batch(size, 0, 5);
            double[][] y = {x[0].clone(), x[1].clone()};
            fft.inverse(y[0], y[1], 0, size);
            // x holds frequency frequency(p) at row p: the inverse DFT sums X_k e^(2πi kr / size).
            double[][] natural = {new double[x[0].length], new double[x[1].length]};
            for (int p = 0; p < size; p++) {
                System.arraycopy(x[0], p * LANES, natural[0], fft.frequency(p) * LANES, LANES);
                System.arraycopy(x[1], p * LANES, natural[1], fft.frequency(p) * LANES, LANES);
            }
            for (int r = 0; r < size; r++) {
                for (int l = 0; l < LANES; l++) {
                    double[] expected = naiveDft(natural[0], natural[1], 0, size, size, l, r, 1);
                    assertEquals(expected[0], y[0][r * LANES + l], 1e-11);
                    assertEquals(expected[1], y[1][r * LANES + l], 1e-11);
                }
            }
        }
    }

    @Test
    void vectorAndScalarGiveBitwiseTheSameValues() {
        int size = 256;
        double[] factors = new double[(size + 5) * LANES];
        Random random = new Random(3);
        for (int k = 0; k < factors.length; k++) {
            factors[k] = random.nextDouble();
        }
        double[][] reference = null;
        for (LaneFft fft : implementations(size)) {
            double[][] x = batch(size, 0, 11);
            fft.forward(x[0], x[1], 0, size / 2 - 3);
            fft.multiply(x[0], x[1], 0, size, factors, 5);
            fft.inverse(x[0], x[1], 0, size / 2 - 3);
            fft.forward(x[0], x[1], 0, size);
            fft.inverse(x[0], x[1], 0, size);
            double[] dx2 = new double[2 * LANES];
            for (int l = 0; l < dx2.length; l++) {
                dx2[l] = l == 3 ? Double.POSITIVE_INFINITY : 0.37 * l * l;
            }
            fft.kernelRow(x[0], x[1], 7, dx2, 2.5);
            assertEquals(1 / ((1 + 2.5) * (1 + 2.5)), x[0][7 * LANES], 1e-15);
            assertEquals(0, x[0][7 * LANES + 3]);
            double[][] convolved = batch(size, 0, 12);
            double[][] separately = {convolved[0].clone(), convolved[1].clone()};
            fft.convolve(convolved[0], convolved[1], 0, size / 2 - 3, factors, 5);
            fft.forward(separately[0], separately[1], 0, size / 2 - 3);
            fft.multiply(separately[0], separately[1], 0, size, factors, 5);
            fft.inverse(separately[0], separately[1], 0, size / 2 - 3);
            for (int k = 0; k < (size / 2 - 3) * LANES; k++) {
                assertEquals(separately[0][k], convolved[0][k], 0, "convolve, " + fft.getClass().getSimpleName());
                assertEquals(separately[1][k], convolved[1][k], 0, "convolve, " + fft.getClass().getSimpleName());
            }
            System.arraycopy(convolved[0], 0, x[0], 0, (size / 2 - 3) * LANES);
            if (reference == null) {
                reference = x;
            } else {
                assertArrayEquals(reference[0], x[0], fft.getClass().getSimpleName());
                assertArrayEquals(reference[1], x[1], fft.getClass().getSimpleName());
            }
        }
    }
}
