package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Lanczos' k leading eigenpairs against a full decomposition (EJML), on matrices A = V diag(λ) Vᵀ with a random
 * orthogonal V and chosen spectra: one that falls off as a covariance's does, a flat random one (a Wishart matrix,
 * the slowest for Lanczos), one of low rank (so the basis is exhausted and restarted), one with repeated
 * eigenvalues (whose eigenvectors are only defined up to a rotation within their eigenspace).
 */
class TopEigenTest {
    private static final int N = 200;
    private static final int K = 20;

    @Test
    void fallingSpectrumMatchesTheFullDecomposition() {
        double[] spectrum = new double[N];
        for (int i = 0; i < N; i++) {
            spectrum[i] = 100 * Math.pow(0.9, i);
        }
        check(withSpectrum(spectrum, 1), K);
    }

    @Test
    void flatRandomSpectrumMatchesTheFullDecomposition() {
        SplittableRandom random = new SplittableRandom(2);
        double[][] x = new double[N + N / 2][N];
        for (double[] row : x) {
            for (int j = 0; j < N; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] a = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (double[] row : x) {
                    s += row[i] * row[j];
                }
                a[i][j] = s;
            }
        }
        check(a, K);
    }

    @Test
    void lowRankExhaustsTheBasisAndStillGivesOrthonormalVectors() {
        double[] spectrum = new double[N];
        for (int i = 0; i < 10; i++) {
            spectrum[i] = 10 - i;
        }
        check(withSpectrum(spectrum, 3), K);                  // eigenvalues 11 to 20 are 0
    }

    @Test
    void repeatedEigenvaluesGiveVectorsInTheRightEigenspace() {
        double[] spectrum = new double[N];
        for (int i = 0; i < N; i++) {
            spectrum[i] = i < 3 ? 5 : i < 5 ? 3 : i < 12 ? 2 : Math.pow(0.8, i);
        }
        check(withSpectrum(spectrum, 4), K);
    }

    @Test
    void theSameBitsOnOneAndTwoThreads() {
        double[] spectrum = new double[N];
        for (int i = 0; i < N; i++) {
            spectrum[i] = 1.0 / (1 + i);
        }
        double[][] a = withSpectrum(spectrum, 5);
        double[][] one = new double[K][];
        double[][] two = new double[K][];
        double[] valuesOne;
        double[] valuesTwo;
        try (Parallel p = new Parallel(1)) {
            valuesOne = TopEigen.of(a, K, one, p);
        }
        try (Parallel p = new Parallel(2)) {
            valuesTwo = TopEigen.of(a, K, two, p);
        }
        assertArrayEquals(valuesOne, valuesTwo);
        for (int c = 0; c < K; c++) {
            assertArrayEquals(one[c], two[c]);
        }
    }

    /**
     * The eigenvalues agree with the full decomposition's to 1e-9 of the largest; every vector is a unit vector
     * orthogonal to the others, has a residual ‖Av − λv‖ within 1e-8 of the largest eigenvalue, and lies in the
     * full decomposition's eigenspace of its eigenvalue (all eigenvectors whose eigenvalues are within 1e-6 of
     * it): its projection there keeps all but 1e-8 of its length.
     */
    private static void check(double[][] a, int k) {
        double[][] vectors = new double[k][];
        double[] values;
        try (Parallel p = new Parallel(2)) {
            values = TopEigen.of(a, k, vectors, p);
        }
        int n = a.length;
        double[][] reference = new double[n][];
        double[] referenceValues = TopEigen.full(a, n, reference);
        double largest = Math.abs(referenceValues[0]);
        for (int c = 0; c < k; c++) {
            assertEquals(referenceValues[c], values[c], 1e-9 * largest, "eigenvalue " + c);
            for (int d = 0; d <= c; d++) {
                assertEquals(c == d ? 1 : 0, dot(vectors[c], vectors[d]), 1e-10, "q" + c + " · q" + d);
            }
            double residual = 0;
            for (int i = 0; i < n; i++) {
                double r = dot(a[i], vectors[c]) - values[c] * vectors[c][i];
                residual += r * r;
            }
            assertTrue(Math.sqrt(residual) <= 1e-8 * largest, "residual of " + c + ": " + Math.sqrt(residual));
            double inSpace = 0;
            for (int r = 0; r < n; r++) {
                if (Math.abs(referenceValues[r] - values[c]) <= 1e-6 * largest) {
                    double p = dot(reference[r], vectors[c]);
                    inSpace += p * p;
                }
            }
            assertEquals(1, inSpace, 1e-8, "vector " + c + " in its eigenspace");
        }
    }

    /** V diag(spectrum) Vᵀ with V orthogonal (Gram–Schmidt on random vectors, twice). */
    private static double[][] withSpectrum(double[] spectrum, long seed) {
        int n = spectrum.length;
        SplittableRandom random = new SplittableRandom(seed);
        double[][] v = new double[n][n];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < n; i++) {
                v[c][i] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int d = 0; d < c; d++) {
                    double p = dot(v[d], v[c]);
                    for (int i = 0; i < n; i++) {
                        v[c][i] -= p * v[d][i];
                    }
                }
            }
            double norm = Math.sqrt(dot(v[c], v[c]));
            for (int i = 0; i < n; i++) {
                v[c][i] /= norm;
            }
        }
        double[][] a = new double[n][n];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] += spectrum[c] * v[c][i] * v[c][j];
                }
            }
        }
        return a;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
