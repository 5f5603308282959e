package dev.glassbox.tsne;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TSneTest {

    @Test
    void sameSeedGivesABitwiseIdenticalEmbeddingWithOneAndTwoThreads() {
        float[][] x = MetricsTest.rows(400, 10, 1);
        for (TSneConfig.Method method : TSneConfig.Method.values()) {
            if (method == TSneConfig.Method.AUTO) {
                continue;
            }
            TSneConfig cfg = TSneConfig.builder().method(method).perplexity(10).iterations(60)
                    .exaggerationIterations(30).momentumSwitchIteration(30).seed(5).build();
            float[][] one = TSne.run(x, cfg.withThreads(1));
            float[][] two = TSne.run(x, cfg.withThreads(2));
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(one[i], two[i], 0, method + " row " + i);
            }
        }
    }

    @Test
    void exactRunOnMnistDigitsReachesAGoodTrustworthiness() throws Exception {
        float[][] pixels = Mnist.images(500);
        float[][] x = Pca.fit(pixels, 30, 2).transform(pixels);
        List<Double> kl = new ArrayList<>();
        float[][] y = TSne.run(x, TSneConfig.builder().method(TSneConfig.Method.EXACT).iterations(500).build(),
                (iteration, value) -> kl.add(value));
        assertEquals(500 / TSneConfig.DEFAULT_KL_EVERY, kl.size(), "one report every 50 iterations");
        assertTrue(kl.get(kl.size() - 1) < kl.get(4), "KL falls after the exaggeration: " + kl);
        double trust = Metrics.trustworthiness(x, y, 10, 2);
        // 500 points and 500 iterations: below the 0.965 of 1,000 points and 1,000 iterations, but far
        // above a poor embedding (a random one scores about 0.5).
        assertTrue(trust > 0.93, "trustworthiness " + trust);
        double accuracy = Metrics.knnAccuracy(y, Mnist.labels(500), 10, 2);
        assertTrue(accuracy > 0.7, "kNN accuracy " + accuracy);        // 10 classes: chance is 0.1
    }

    @Test
    void raggedRowsAreRejectedNamingTheRow() {
        float[][] x = {{1, 2}, {3, 4}, {5}};
        var e = assertThrows(IllegalArgumentException.class, () -> TSne.run(x, TSneConfig.defaults()));
        assertTrue(e.getMessage().contains("row 2 has 1"), e.getMessage());
    }

    @Test
    void nanInTheInputIsRejectedNamingRowAndColumn() {
        float[][] x = MetricsTest.rows(200, 3, 1);
        x[17][2] = Float.NaN;
        var e = assertThrows(IllegalArgumentException.class, () -> TSne.run(x, TSneConfig.defaults()));
        assertTrue(e.getMessage().contains("NaN at row 17 column 2"), e.getMessage());
    }

    @Test
    void aPerplexityTooLargeForTheDataIsRejected() {
        float[][] x = MetricsTest.rows(50, 3, 1);
        TSneConfig cfg = TSneConfig.defaults().withMethod(TSneConfig.Method.BARNES_HUT);
        var e = assertThrows(IllegalArgumentException.class, () -> TSne.run(x, cfg));
        assertTrue(e.getMessage().startsWith("perplexity 30 needs at least 91 points, got 50"), e.getMessage());
    }

    /** {@link TSne#check} throws what a run would, for every method, so a caller can report it before the run. */
    @Test
    void checkRejectsWhatARunWouldReject() {
        float[][] x = MetricsTest.rows(50, 3, 1);
        TSneConfig defaults = TSneConfig.defaults();
        for (TSneConfig cfg : new TSneConfig[] {defaults.withMethod(TSneConfig.Method.BARNES_HUT),
                defaults.withMethod(TSneConfig.Method.EXACT).withPerplexity(50),
                defaults.withMethod(TSneConfig.Method.FFT).withPerplexity(5).withDimensions(3)}) {
            var fromRun = assertThrows(IllegalArgumentException.class, () -> TSne.run(x, cfg));
            var fromCheck = assertThrows(IllegalArgumentException.class, () -> TSne.check(x, cfg));
            assertEquals(fromRun.getMessage(), fromCheck.getMessage());
        }
        TSne.check(x, defaults.withPerplexity(10));                // AUTO: exact for 50 points, and fine
    }

    @Test
    void configRejectsAnImpossibleValueByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> TSneConfig.defaults().withDimensions(4));
        assertEquals("dimensions must be 2 or 3, got 4", e.getMessage());
    }

    @Test
    void autoChoosesExactThenBarnesHutThenFft() {
        assertEquals(TSneConfig.Method.EXACT, TSne.chooseMethod(TSneConfig.Method.AUTO, 500, 2));
        assertEquals(TSneConfig.Method.BARNES_HUT, TSne.chooseMethod(TSneConfig.Method.AUTO, 5000, 2));
        assertEquals(TSneConfig.Method.BARNES_HUT, TSne.chooseMethod(TSneConfig.Method.AUTO, 10_000, 2));
        assertEquals(TSneConfig.Method.FFT, TSne.chooseMethod(TSneConfig.Method.AUTO, 60_000, 2));
        assertEquals(TSneConfig.Method.BARNES_HUT, TSne.chooseMethod(TSneConfig.Method.AUTO, 60_000, 3));
    }

    @Test
    void threeDimensionalEmbeddingHasThreeColumns() {
        float[][] x = MetricsTest.rows(150, 5, 2);
        TSneConfig cfg = TSneConfig.builder().dimensions(3).method(TSneConfig.Method.BARNES_HUT).perplexity(10)
                .iterations(50).threads(2).build();
        float[][] y = TSne.run(x, cfg);
        assertEquals(150, y.length);
        assertEquals(3, y[0].length);
    }
}
