package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.instrument.DeepNetStudy;
import dev.glassbox.instrument.probe.CrossValidation;
import dev.glassbox.instrument.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each notebook run alone in quick mode on a few shipped digits, checked on what it measured and wrote. */
class NotebooksTest {
    @TempDir Path dir;

    /** Quick mode on the first training digits and 400 test digits (300 of them extracted, probed and mapped). */
    static Tour.Settings tiny(Path out, int trainingDigits) {
        return new Tour.Settings(out, Mnist.train().first(trainingDigits), Mnist.test().first(400), true, false);
    }

    @Test
    void aNotebookRunAloneTakesQuickAndOutAndNamesAnUnknownArgument() {
        Tour.Settings settings = Tour.aloneSettings(new String[] {"--quick", "--out", "elsewhere"});
        assertTrue(settings.quick());
        assertEquals(Path.of("elsewhere"), settings.out());
        assertFalse(Tour.aloneSettings(new String[0]).quick());
        var e = assertThrows(IllegalArgumentException.class, () -> Tour.aloneSettings(new String[] {"--fast"}));
        assertTrue(e.getMessage().contains("'--fast'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tour.aloneSettings(new String[] {"--out"}));
    }

    @Test
    void notebook01ProbesEveryLayerAndMapsIt() throws Exception {
        // The sigmoid MLP needs many steps to leave its plateau: all 8,000 training digits, as in the quick tour.
        var result = Notebook01_ExtractRepresentations.run(new HtmlReport("1"), tiny(dir, 8000));
        assertTrue(result.testAccuracy() > 0.6, "the MLP left its plateau: " + result.testAccuracy());
        assertEquals(CrossValidation.PIXELS, result.probeAccuracy().keySet().iterator().next());
        assertEquals(Notebook01_ExtractRepresentations.LAYERS.size() + 1, result.probeAccuracy().size());
        // Ten classes: chance is 10 %; a linear probe on any layer of a trained MLP reads most digits.
        result.probeAccuracy().forEach((layer, accuracy) ->
                assertTrue(accuracy > 0.5 && accuracy <= 1, layer + " probe accuracy " + accuracy));
        assertEquals(Notebook01_ExtractRepresentations.LAYERS.size(), result.maps().size());
        for (Tour.Embedded map : result.maps()) {
            assertTrue(map.trustworthiness() > 0.7 && map.trustworthiness() <= 1, map.caption());
            assertTrue(map.klDivergence() > 0 && Double.isFinite(map.klDivergence()), map.caption());
            assertTrue(Files.size(dir.resolve("notebook01/tsne-" + map.name().substring("MLP layer ".length())
                    + ".svg")) > 0, map.caption());
        }
        for (String layer : Notebook01_ExtractRepresentations.LAYERS) {
            assertTrue(Files.exists(dir.resolve("notebook01/representations/" + layer + ".npy")), layer);
        }
        assertFalse(result.health().rows().isEmpty(), "the training was watched");
    }

    @Test
    void notebook02MapsThePixelsAndEveryHiddenLayerOfACnnLoadedFromJsonAndWeights() throws Exception {
        var result = Notebook02_TsneHiddenLayers.run(new HtmlReport("2"), tiny(dir, 2000));
        assertTrue(result.testAccuracy() > 0.5, "one epoch on 2,000 digits: " + result.testAccuracy());
        assertTrue(Files.exists(dir.resolve("notebook02/cnn.json")));
        assertEquals(Notebook02_TsneHiddenLayers.LAYERS.size() + 1, result.maps().size());
        assertEquals("pixels", result.maps().get(0).name());
        for (Tour.Embedded map : result.maps()) {
            assertTrue(map.trustworthiness() > 0.7 && map.trustworthiness() <= 1, map.caption());
            assertTrue(map.klDivergence() > 0 && Double.isFinite(map.klDivergence()), map.caption());
            // Neighbours in 2-D share the digit far more often than chance (10 %).
            assertTrue(map.knnAccuracy() > 0.5, map.caption());
            assertTrue(Files.size(dir.resolve("notebook02/tsne-" + map.name() + ".svg")) > 0, map.caption());
        }
    }

    @Test
    void notebook03RecordsH1ToH6WithHooksAndLoadsThePyTorchWeights() throws Exception {
        var result = Notebook03_CnnHooks.run(new HtmlReport("3"), tiny(dir, 2000));
        // The .pt was trained by PyTorch; Glassbox must reproduce PyTorch's count of correct test digits (one
        // digit of 2,000 may flip where float32 rounding decides an argmax).
        assertEquals(result.torchAccuracyInPyTorch(), result.torchAccuracyHere(), 1.0 / 2000);
        assertTrue(result.testAccuracy() > 0.5, "one epoch on 2,000 digits: " + result.testAccuracy());
        int n = 300;
        assertArrayEquals(new int[] {n, 20, 24, 24}, result.shapes().get("h1"));
        assertArrayEquals(new int[] {n, 20, 12, 12}, result.shapes().get("h2"));
        assertArrayEquals(new int[] {n, 50, 8, 8}, result.shapes().get("h3"));
        assertArrayEquals(new int[] {n, 50, 4, 4}, result.shapes().get("h4"));
        assertArrayEquals(new int[] {n, 500}, result.shapes().get("h5"));
        assertArrayEquals(new int[] {n, 10}, result.shapes().get("h6"));
        assertEquals(6, result.maps().size());
        for (Tour.Embedded map : result.maps()) {
            assertTrue(map.trustworthiness() > 0.7 && map.trustworthiness() <= 1, map.caption());
        }
        assertFalse(result.health().rows().isEmpty(), "the training was watched");
    }

    @Test
    void notebook04GradientsVanishWithSmallWeightsAndDieBehindSaturatedTanh() throws Exception {
        var result = Notebook04_GradientFlow.run(new HtmlReport("4"), tiny(dir, 600));
        assertEquals(DeepNetStudy.ACTIVATIONS.size() * DeepNetStudy.STDS.size(), result.study().size());
        // std 0.01: every layer scales the backward signal by about 0.01·√20 < 1, so dL/d output shrinks on
        // its way from the output (dense_11) back to the first layer.
        double[] small = result.tanhOutputGradients().get(0.01);
        for (int k = 0; k + 1 < small.length; k++) {
            assertTrue(small[k] < small[k + 1], "dense_" + (k + 1) + " " + small[k] + " vs dense_" + (k + 2) + " "
                    + small[k + 1]);
        }
        assertTrue(small[0] < 1e-6 * small[small.length - 1], "ten layers of 0.045 lose more than six decades");
        // std 200: tanh saturates (tanh' rounds to 0 in float32), so no gradient reaches the early kernels.
        double[] saturated = result.of("tanh", 200.0).meanAbsGradient();
        assertEquals(0.0, saturated[1], "dense_2 kernel behind saturated layers");
        assertTrue(saturated[saturated.length - 1] > 0, "the last kernel still gets a gradient");
        assertTrue(result.findings().stream().anyMatch(f -> f.message().contains("saturated")),
                "the health monitor names the saturation: " + result.findings());
    }

    @Test
    void notebook05DrawsEveryConvAndPoolLayer() throws Exception {
        var result = Notebook05_VisualizeConvnet.run(new HtmlReport("5"), tiny(dir, 600));
        // Keras' mnist_cnn: conv2d_1, conv2d_2, max_pooling2d_1.
        assertEquals(java.util.List.of("conv2d_1", "conv2d_2", "max_pooling2d_1"), result.layers());
        assertEquals(3, result.featureMaps().size());
        assertEquals(3, result.filterGrids().size());
        for (Path file : result.featureMaps()) {
            assertTrue(Files.size(file) > 0, file.toString());
        }
        assertEquals(3 * 4, result.filterPatterns(), "4 filters per layer in quick mode");
        assertEquals(result.label(), result.top().get(0).classIndex(), "the Keras CNN reads the first test digit");
        assertTrue(result.top().get(0).probability() > 0.9, "with confidence: " + result.top().get(0));
        assertTrue(Files.exists(dir.resolve("visualize/index.html")));
    }

    /** The Keras model reads digits: with other data (Fashion-MNIST, say) notebook 5 still shows it a digit. */
    @Test
    void notebook05ShowsTheKerasModelAShippedDigitWhateverTheData() throws Exception {
        Dataset notDigits = new Dataset(Tensors.full(0.5f, 4, 1, 28, 28), new int[] {9, 9, 9, 9});
        var settings = new Tour.Settings(dir, Mnist.train().first(100), notDigits, true, false);
        var result = Notebook05_VisualizeConvnet.run(new HtmlReport("5"), settings);
        assertEquals(Mnist.test().labels()[0], result.label());
        assertEquals(result.label(), result.top().get(0).classIndex());
    }
}
