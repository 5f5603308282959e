package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

class VectorExpTest {

    /** e^x of each of {@code xs}, a vector at a time (the length a multiple of the lanes). */
    private static double[] exp(double[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i += VectorExp.LANES) {
            VectorExp.exp(DoubleVector.fromArray(DoubleVector.SPECIES_PREFERRED, xs, i))
                    .intoArray(out, i);
        }
        return out;
    }

    @Test
    void withinTwoUnitsInTheLastPlaceOfMathExp() {
        SplittableRandom random = new SplittableRandom(8);
        int n = 1 << 16;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = switch (i % 4) {
                case 0 -> -random.nextDouble() * 708;                              // the whole range
                case 1 -> -random.nextDouble() * 2;                                // near 0
                case 2 -> -Math.scalb(random.nextDouble(), -random.nextInt(60));   // tiny
                default -> -(random.nextInt(1000) + 0.5) * Math.log(2) * (1 + 1e-15 * random.nextGaussian());
            };                                                                     // last: ties of the reduction
        }
        xs[0] = 0;
        xs[1] = -0.0;
        xs[2] = VectorExp.SMALLEST;
        xs[3] = -Double.MIN_VALUE;
        double[] e = exp(xs);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double expected = Math.exp(xs[i]);
            double ulps = Math.abs(e[i] - expected) / Math.ulp(expected);
            worst = Math.max(worst, ulps);
            assertTrue(ulps <= 2, "exp(" + xs[i] + ") = " + e[i] + ", Math.exp gives " + expected);
        }
        assertEquals(1.0, e[0]);
        assertEquals(1.0, e[1]);
        assertTrue(worst > 0, "the polynomial is not Math.exp itself");
    }

    @Test
    void belowTheNormalRangeGivesZero() {
        double[] xs = new double[4 * VectorExp.LANES];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = VectorExp.SMALLEST - 1e-9 - i * 2.5;          // down to below −745, where e^x is 0 anyway
        }
        for (double e : exp(xs)) {
            assertEquals(0.0, e);
        }
    }

    /** The weights of a row and their two sums, as the one-value-at-a-time loop gives them, to rounding. */
    @Test
    void rowWeightsAgreeWithMathExp() {
        SplittableRandom random = new SplittableRandom(9);
        for (int len : new int[] {1, VectorExp.LANES - 1, 999, 1000}) {
            double[] d = new double[len];
            for (int j = 0; j < len; j++) {
                d[j] = 3 + random.nextDouble() * 400;
            }
            double min = java.util.Arrays.stream(d).min().getAsDouble();
            for (double beta : new double[] {0, 0.01, 1, 50}) {
                double[] fast = new double[len + 2];
                double[] sums = new double[2];
                VectorExp.weigh(d, len, min, beta, fast, 2, sums);
                double sum = 0;
                double weighted = 0;
                for (int j = 0; j < len; j++) {
                    double p = Math.exp(-beta * (d[j] - min));
                    // two units in the last place, or 0 where e^x is subnormal (the documented 2.3e-308)
                    assertEquals(p, fast[2 + j], Math.max(4.5e-16 * p, p < Double.MIN_NORMAL ? p : 0),
                            "len " + len + ", beta " + beta + ", j " + j);
                    sum += p;
                    weighted += (d[j] - min) * p;
                }
                assertEquals(sum, sums[0], 1e-14 * sum);
                assertEquals(weighted, sums[1], 1e-14 * Math.max(weighted, Double.MIN_NORMAL));
            }
        }
    }
}
