package dev.glassbox.instrument.probe;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The probe's loops along the features with the Vector API: one logit is a dot product of a standardised row with
 * a class's weights (784 of each for pixels), whose scalar loop may not reorder its sum and adds one product at a
 * time; and the gradient adds a scaled row into each class's weights, which the compiler did not vectorise.
 * Lanes are added in lane order, so a result depends only on its inputs. Loaded only when the JVM has the
 * {@code jdk.incubator.vector} module; {@link LinearProbe} keeps a scalar loop otherwise.
 */
final class VectorDot {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = DOUBLES.length();

    private VectorDot() {
    }

    /** Σ a[aFrom + j]·b[bFrom + j] for j < length. */
    static double dot(double[] a, int aFrom, double[] b, int bFrom, int length) {
        DoubleVector s0 = DoubleVector.zero(DOUBLES);
        DoubleVector s1 = s0;
        int j = 0;
        for (; j <= length - 2 * LANES; j += 2 * LANES) {
            s0 = DoubleVector.fromArray(DOUBLES, a, aFrom + j).fma(DoubleVector.fromArray(DOUBLES, b, bFrom + j), s0);
            s1 = DoubleVector.fromArray(DOUBLES, a, aFrom + j + LANES)
                    .fma(DoubleVector.fromArray(DOUBLES, b, bFrom + j + LANES), s1);
        }
        DoubleVector s = s0.add(s1);
        double total = 0;
        for (int lane = 0; lane < LANES; lane++) {
            total += s.lane(lane);
        }
        for (; j < length; j++) {
            total += a[aFrom + j] * b[bFrom + j];
        }
        return total;
    }

    /** y[yFrom + j] += alpha·x[xFrom + j] for j < length. @param y (modified) */
    static void addScaled(double alpha, double[] x, int xFrom, double[] y, int yFrom, int length) {
        DoubleVector scale = DoubleVector.broadcast(DOUBLES, alpha);
        int j = 0;
        for (; j <= length - LANES; j += LANES) {
            scale.fma(DoubleVector.fromArray(DOUBLES, x, xFrom + j), DoubleVector.fromArray(DOUBLES, y, yFrom + j))
                    .intoArray(y, yFrom + j);
        }
        for (; j < length; j++) {
            y[yFrom + j] += alpha * x[xFrom + j];
        }
    }
}
