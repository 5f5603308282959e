package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientTest {

    /** A random embedding [n, dims] with coordinates of the given spread. */
    static double[] embedding(int n, int dims, double spread, long seed) {
        Random random = new Random(seed);
        double[] y = new double[n * dims];
        for (int k = 0; k < y.length; k++) {
            y[k] = spread * random.nextGaussian();
        }
        return y;
    }

    /** Dense P written as a sparse matrix with every off-diagonal entry, so all methods see the same P. */
    static Affinities.Sparse asSparse(double[] p, int n) {
        int[] start = new int[n + 1];
        int[] cols = new int[n * (n - 1)];
        double[] vals = new double[n * (n - 1)];
        int e = 0;
        for (int i = 0; i < n; i++) {
            start[i] = e;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    cols[e] = j;
                    vals[e++] = p[i * n + j];
                }
            }
        }
        start[n] = e;
        return new Affinities.Sparse(n, start, cols, vals);
    }

    static double relativeError(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int k = 0; k < expected.length; k++) {
            diff += (expected[k] - actual[k]) * (expected[k] - actual[k]);
            norm += expected[k] * expected[k];
        }
        return Math.sqrt(diff / norm);
    }

    /**
     * Points walking the tree a vector at a time give every point's repulsion and Z part bit for bit as the
     * one-point walk does: few points (fewer than a vector), many, points on top of each other (leaves at the
     * tree's full depth), and θ from 0 (no cell summarised) to 1.2.
     */
    @Test
    void barnesHutPacketsGiveTheOnePointWalksGradientBitForBit() {
        for (int n : new int[] {3, 11, 300, 2_000}) {
            double[] y = embedding(n, 2, 5, n);
            for (int i = 0; i < n / 10; i++) {
                y[2 * (10 * i + 1)] = y[2 * (10 * i)];                        // duplicates of every tenth point
                y[2 * (10 * i + 1) + 1] = y[2 * (10 * i) + 1];
            }
            try (Parallel parallel = new Parallel(2)) {
                Affinities.Sparse p = Affinities.sparse(AffinitiesTest.gaussianData(n, 5, n), n, 5,
                        Math.min(10, (n - 1) / 3.0), 1, parallel);
                for (double theta : new double[] {0, 0.5, 1.2}) {
                    double[] walked = new double[2 * n];
                    double z = new BarnesHutGradient(p, 2, theta, parallel, false).compute(y, 4, walked);
                    // packets only, and the warm-up's mix of packets and one-point walks
                    for (BarnesHutGradient packets : new BarnesHutGradient[] {
                        new BarnesHutGradient(p, 2, theta, parallel, true).packetsOnly(),
                        new BarnesHutGradient(p, 2, theta, parallel, true)}) {
                        double[] packed = new double[2 * n];
                        assertEquals(z, packets.compute(y, 4, packed), 0, n + " points, theta " + theta);
                        for (int k = 0; k < 2 * n; k++) {
                            assertEquals(walked[k], packed[k], 0, n + " points, theta " + theta + ", entry " + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void exactGradientMatchesFiniteDifferencesOfTheKlDivergence() {
        for (int dims = 2; dims <= 3; dims++) {
            int n = 25;
            try (Parallel parallel = new Parallel(1)) {
                double[] p = Affinities.dense(AffinitiesTest.gaussianData(n, 6, 11), n, 6, 5, parallel);
                ExactGradient gradient = new ExactGradient(p, n, dims, parallel);
                double[] y = embedding(n, dims, 1, 12);
                double[] analytic = new double[n * dims];
                gradient.compute(y, 1, analytic);
                double[] scratch = new double[n * dims];
                for (int k = 0; k < y.length; k++) {
                    double eps = 1e-6;
                    double keep = y[k];
                    y[k] = keep + eps;
                    double up = gradient.klDivergence(y, gradient.compute(y, 1, scratch));
                    y[k] = keep - eps;
                    double down = gradient.klDivergence(y, gradient.compute(y, 1, scratch));
                    y[k] = keep;
                    double numeric = (up - down) / (2 * eps);
                    // The methods leave out the constant 4 of dKL/dy (bhtsne's units).
                    assertEquals(numeric, 4 * analytic[k], 1e-6 + 1e-5 * Math.abs(numeric),
                            "dims " + dims + ", coordinate " + k);
                }
            }
        }
    }

    @Test
    void barnesHutWithThetaZeroEqualsTheExactGradient() {
        int n = 200;
        for (int dims = 2; dims <= 3; dims++) {
            try (Parallel parallel = new Parallel(2)) {
                double[] p = Affinities.dense(AffinitiesTest.gaussianData(n, 5, 3), n, 5, 10, parallel);
                double[] y = embedding(n, dims, 5, 4);
                double[] exact = new double[n * dims];
                double[] barnesHut = new double[n * dims];
                double zExact = new ExactGradient(p, n, dims, parallel).compute(y, 12, exact);
                double zTree = new BarnesHutGradient(asSparse(p, n), dims, 0, parallel).compute(y, 12, barnesHut);
                assertEquals(zExact, zTree, 1e-9 * zExact);
                assertTrue(relativeError(exact, barnesHut) < 1e-9, "dims " + dims);
            }
        }
    }

    @Test
    void barnesHutWithThetaHalfIsCloseToTheExactGradient() {
        int n = 1000;
        for (int dims = 2; dims <= 3; dims++) {
            try (Parallel parallel = new Parallel(2)) {
                double[] p = Affinities.dense(AffinitiesTest.gaussianData(n, 5, 3), n, 5, 30, parallel);
                double[] y = embedding(n, dims, 10, 4);
                double[] exact = new double[n * dims];
                double[] barnesHut = new double[n * dims];
                double zExact = new ExactGradient(p, n, dims, parallel).compute(y, 1, exact);
                double zTree = new BarnesHutGradient(asSparse(p, n), dims, 0.5, parallel).compute(y, 1, barnesHut);
                assertEquals(zExact, zTree, 1e-2 * zExact);
                double error = relativeError(exact, barnesHut);
                assertTrue(error < 0.02, "dims " + dims + ": relative error " + error);
            }
        }
    }

    @Test
    void fftGradientIsCloseToTheExactGradient() {
        int n = 400;
        try (Parallel parallel = new Parallel(2)) {
            double[] p = Affinities.dense(AffinitiesTest.gaussianData(n, 5, 8), n, 5, 20, parallel);
            // Early (compact) to late-run extents (about 0.05, 35 and 100): the interpolation error grows with
            // the box width, which grows with the extent once the grid reaches its size.
            for (double spread : new double[] {0.01, 5, 15}) {
                double[] y = embedding(n, 2, spread, 9);
                double[] exact = new double[n * 2];
                double[] fft = new double[n * 2];
                double zExact = new ExactGradient(p, n, 2, parallel).compute(y, 1, exact);
                double zFft = new FftGradient(asSparse(p, n), parallel).compute(y, 1, fft);
                assertEquals(zExact, zFft, 5e-3 * zExact, "Z at spread " + spread);
                double error = relativeError(exact, fft);
                assertTrue(error < 2e-2, "spread " + spread + ": relative error " + error);
            }
        }
    }

    @Test
    void aGradientRunInKdOrderEqualsTheOneInInputOrderUpToRounding() {
        // The relabelled gradient only adds in another order: the same gradient and Z to rounding, in the
        // caller's order (a point mixed up with another would be off by far more).
        int n = 1500;
        float[] data = AffinitiesTest.gaussianData(n, 10, 5);
        double[] y = embedding(n, 2, 8, 6);
        try (Parallel parallel = new Parallel(2)) {
            Affinities.Sparse p = Affinities.sparse(data, n, 10, 30, 1, parallel);
            int[] order = KdOrder.of(data, n, 10, 512, 8);
            for (boolean fft : new boolean[] {false, true}) {
                Gradient plain = fft ? new FftGradient(p, parallel) : new BarnesHutGradient(p, 2, 0.5, parallel);
                Gradient inner = fft ? new FftGradient(p.relabelled(order), parallel)
                        : new BarnesHutGradient(p.relabelled(order), 2, 0.5, parallel);
                Gradient relabelled = new Relabelled(inner, order, 2);
                double[] expected = new double[2 * n];
                double[] actual = new double[2 * n];
                double zPlain = plain.compute(y, 12, expected);
                double zRelabelled = relabelled.compute(y, 12, actual);
                // Barnes-Hut's tree summarises the same cells whatever the numbering; the FFT spreads the same
                // points onto the same grid: only the order of additions differs.
                assertTrue(relativeError(expected, actual) < 1e-9, "gradient, fft " + fft + ": "
                        + relativeError(expected, actual));
                assertEquals(zPlain, zRelabelled, 1e-9 * zPlain, "Z, fft " + fft);
                assertEquals(plain.klDivergence(y, zPlain), relabelled.klDivergence(y, zRelabelled), 1e-9,
                        "KL, fft " + fft);
            }
        }
    }

    @Test
    void theVectorAttractionAddsTheSameForcesAsTheScalarLoop() {
        // Rows of every length mod the vector width (the scalar tail), far and near neighbours; only the order of
        // additions differs between the two.
        int n = 900;
        float[] data = AffinitiesTest.gaussianData(n, 7, 9);
        double[] y = embedding(n, 2, 20, 10);
        try (Parallel parallel = new Parallel(1)) {
            Affinities.Sparse p = Affinities.sparse(data, n, 7, 11.3, 1, parallel);
            double[] scalar = new double[2 * n];
            double[] vector = new double[2 * n];
            new Attraction(p, 2, false).add(y, 4, scalar, 0, n);
            new Attraction(p, 2, true).add(y, 4, vector, 0, n);
            assertTrue(relativeError(scalar, vector) < 1e-13, "relative error " + relativeError(scalar, vector));
            for (int k = 0; k < 2 * n; k++) {
                assertEquals(scalar[k], vector[k], 1e-12 * Math.abs(scalar[k]) + 1e-18, "component " + k);
            }
        }
    }
}
