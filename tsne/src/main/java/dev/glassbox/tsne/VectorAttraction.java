package dev.glassbox.tsne;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2-D attraction of {@link Attraction#add} with the Vector API: a vector of edges at a time, y_j gathered
 * by index. Loaded only when the JVM has the {@code jdk.incubator.vector} module.
 */
final class VectorAttraction {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private VectorAttraction() {
    }

    /**
     * Rows [from, to) of α Σ_j p_ij w_ij (y_i − y_j) added to {@code gradient}; {@code twiceColumns} holds 2j for
     * every column j of P, the offsets of y_j's coordinates.
     */
    static void add(int[] start, int[] twiceColumns, double[] vals, double[] y, double exaggeration,
                    double[] gradient, int from, int to) {
        double[] lanes = new double[LANES];
        for (int i = from; i < to; i++) {
            double yi0 = y[2 * i];
            double yi1 = y[2 * i + 1];
            DoubleVector x0 = DoubleVector.broadcast(SPECIES, yi0);
            DoubleVector x1 = DoubleVector.broadcast(SPECIES, yi1);
            DoubleVector s0 = DoubleVector.zero(SPECIES);
            DoubleVector s1 = DoubleVector.zero(SPECIES);
            int e = start[i];
            int end = start[i + 1];
            for (; e + LANES <= end; e += LANES) {
                DoubleVector d0 = x0.sub(DoubleVector.fromArray(SPECIES, y, 0, twiceColumns, e));
                DoubleVector d1 = x1.sub(DoubleVector.fromArray(SPECIES, y, 1, twiceColumns, e));
                DoubleVector mult = DoubleVector.fromArray(SPECIES, vals, e)
                        .div(d0.mul(d0).add(1.0).add(d1.mul(d1)));
                s0 = s0.add(mult.mul(d0));
                s1 = s1.add(mult.mul(d1));
            }
            double t0 = 0;
            double t1 = 0;
            for (; e < end; e++) {
                int j2 = twiceColumns[e];
                double d0 = yi0 - y[j2];
                double d1 = yi1 - y[j2 + 1];
                double mult = vals[e] / (d0 * d0 + 1 + d1 * d1);
                t0 += mult * d0;
                t1 += mult * d1;
            }
            // Lanes added in index order, not by reduceLanes, whose order of additions is unspecified.
            s0.intoArray(lanes, 0);
            double f0 = t0;
            for (double v : lanes) {
                f0 += v;
            }
            s1.intoArray(lanes, 0);
            double f1 = t1;
            for (double v : lanes) {
                f1 += v;
            }
            gradient[2 * i] += exaggeration * f0;
            gradient[2 * i + 1] += exaggeration * f1;
        }
    }
}
