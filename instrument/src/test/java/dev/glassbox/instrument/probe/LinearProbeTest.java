package dev.glassbox.instrument.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    @Test
    void lbfgsFindsTheMinimumOfAnIllConditionedQuadratic() {
        // f(x) = Σ c_i (x_i − i)² with curvatures from 1 to 1e4: minimum at x_i = i.
        double[] x = new double[6];
        Lbfgs.minimize((p, g) -> {
            double f = 0;
            for (int i = 0; i < p.length; i++) {
                double c = Math.pow(10, i * 0.8);
                f += c * (p[i] - i) * (p[i] - i);
                g[i] = 2 * c * (p[i] - i);
            }
            return f;
        }, x, 200, 1e-10);
        for (int i = 0; i < x.length; i++) {
            assertEquals(i, x[i], 1e-6, "x[" + i + "]");
        }
    }

    @Test
    void threeWellSeparatedClustersAreProbedPerfectly() {
        Random random = new Random(1);
        int n = 90;
        float[] x = new float[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            x[2 * i] = (float) (10 * Math.cos(labels[i] * 2.1) + random.nextGaussian());
            x[2 * i + 1] = (float) (10 * Math.sin(labels[i] * 2.1) + random.nextGaussian());
        }
        Tensor features = new Tensor(x, n, 2);
        assertEquals(1.0, LinearProbe.fit(features, labels, 3).accuracy(features, labels));
        assertEquals(1.0, CrossValidation.accuracy(features, labels, 3, 5, 1.0, 100));
    }

    @Test
    void probesOfAnUntrainedMlpOn300DigitsBeatChanceAtEveryLayer() {
        Dataset digits = Mnist.test().first(300);
        Map<String, Double> accuracy = CrossValidation.perLayer(SeedModels.mlp(1), List.of("hidden1", "output"),
                digits, 10, 3);
        assertEquals(List.of(CrossValidation.PIXELS, "hidden1", "output"), List.copyOf(accuracy.keySet()));
        assertTrue(accuracy.get(CrossValidation.PIXELS) > 0.7, accuracy.toString());
        assertTrue(accuracy.get("hidden1") > 0.5, accuracy.toString());
    }

    @Test
    void labelsOutsideTheClassRangeAreRejected() {
        Tensor x = new Tensor(new float[] {1, 2}, 2, 1);
        var error = assertThrows(IllegalArgumentException.class, () -> LinearProbe.fit(x, new int[] {0, 3}, 3));
        assertTrue(error.getMessage().contains("label 3"), error.getMessage());
    }

    /**
     * The objective's gradient against central differences, with 21 features (two vectors and a tail) and weights
     * stored class by class: a wrong index in the transposed layout shows here.
     */
    @Test
    void objectiveGradientMatchesFiniteDifferences() {
        var random = new java.util.SplittableRandom(12);
        int n = 17;
        int d = 21;
        int classes = 4;
        double[] x = new double[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = random.nextGaussian() + (j == labels[i] ? 1.5 : 0);
            }
        }
        double[] params = new double[(d + 1) * classes];
        for (int p = 0; p < params.length; p++) {
            params[p] = 0.3 * random.nextGaussian();
        }
        double lambda = 0.05;
        double[] gradient = new double[params.length];
        LinearProbe.objective(x, labels, n, d, classes, lambda, params, gradient);
        double[] scratch = new double[params.length];
        for (int p = 0; p < params.length; p++) {
            double h = 1e-6;
            double saved = params[p];
            params[p] = saved + h;
            double up = LinearProbe.objective(x, labels, n, d, classes, lambda, params, scratch);
            params[p] = saved - h;
            double down = LinearProbe.objective(x, labels, n, d, classes, lambda, params, scratch);
            params[p] = saved;
            assertEquals((up - down) / (2 * h), gradient[p], 1e-7, "parameter " + p);
        }
    }

    /**
     * The objective, whose logits take four classes at a time and whose gradient takes the rows a block at a time,
     * gives the loss and gradient of the plain loop (below: one dot product per class, one row at a time) to the
     * bit, for class counts, feature counts and row counts that are not multiples of the blocks.
     */
    @Test
    void objectiveIsThePlainLoopsBitForBit() {
        SplittableRandom random = new SplittableRandom(4);
        for (int[] shape : new int[][] {{10, 37}, {4, 45}, {3, 100}, {10, 7}}) {      // classes, features
            int classes = shape[0];
            int d = shape[1];
            int n = 29;
            double[] x = new double[n * d];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = random.nextInt(classes);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = random.nextGaussian();
                }
            }
            double[] params = new double[(d + 1) * classes];
            for (int p = 0; p < params.length; p++) {
                params[p] = random.nextGaussian();
            }
            double[] fast = new double[params.length];
            double[] plain = new double[params.length];
            double loss = LinearProbe.objective(x, labels, n, d, classes, 0.01, params, fast);
            String where = classes + " classes, " + d + " features";
            assertEquals(plainObjective(x, labels, n, d, classes, 0.01, params, plain), loss, 0, where);
            assertArrayEquals(plain, fast, 0, where);
        }
    }

    /** The objective one class and one row at a time (the row's cross-entropy and the penalty as the probe's). */
    private static double plainObjective(double[] x, int[] labels, int n, int d, int classes, double lambda,
            double[] params, double[] gradient) {
        java.util.Arrays.fill(gradient, 0);
        int biasOffset = d * classes;
        double[] z = new double[classes];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < classes; k++) {
                z[k] = params[biasOffset + k] + LinearProbe.dot(params, k * d, x, i * d, d);
            }
            loss += LinearProbe.crossEntropyResidual(z, labels[i]);
            for (int k = 0; k < classes; k++) {
                LinearProbe.addScaled(z[k], x, i * d, gradient, k * d, d);
                gradient[biasOffset + k] += z[k];
            }
        }
        return loss / n + LinearProbe.regularise(params, gradient, n, biasOffset, lambda);
    }
}
