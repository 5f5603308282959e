package dev.glassbox.instrument.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.GradCheck;
import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.nn.Activation;
import dev.glassbox.engine.nn.Conv2D;
import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Flatten;
import dev.glassbox.engine.nn.Initializers;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Pooling2D;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Property tests of the convnet visualisations on a small CNN trained on the shipped digits. */
class VisionTest {
    private static Sequential cnn;

    /** conv 8@5×5 'same', relu, pool, conv 16@5×5 'same', relu, pool, dense 10 (logits); one epoch of SGD. */
    @BeforeAll
    static void train() {
        SplittableRandom random = new SplittableRandom(3);
        cnn = new Sequential("small_cnn",
                conv("conv_a", 1, 8, random), new Activation("relu_a", "relu"), Pooling2D.max("pool_a", 2),
                conv("conv_b", 8, 16, random), new Activation("relu_b", "relu"), Pooling2D.max("pool_b", 2),
                new Flatten("flatten"),
                new Dense("logits", 7 * 7 * 16, 10)
                        .initialize(Initializers.torchDefault(), Initializers.torchBias(), random));
        Trainer.fit(cnn, Loss.crossEntropy(), new Sgd(cnn.trainableParameters(), 0.05f, 0.9f), Mnist.train(),
                Trainer.Options.of(1, 64, 1));
        double accuracy = Trainer.evaluate(cnn, Loss.crossEntropy(), Mnist.test(), 500).accuracy();
        assertTrue(accuracy > 0.9, "the small CNN only reached " + accuracy);
    }

    private static Conv2D conv(String name, int in, int out, SplittableRandom random) {
        return new Conv2D(name, in, out, 5, 5, 1, 1, Conv2D.Padding.SAME, 1, 1, 1, true, "linear")
                .initialize(Initializers.torchDefault(), Initializers.torchBias(), random);
    }

    @Test
    void gradientAscentRaisesEveryLiveFilterTenfoldIn40Steps() {
        // After a relu, a filter that is exactly 0 on the grey start image has a zero gradient and cannot move
        // (the seed's procedure has the same blind spot); every filter that responds at all must rise tenfold.
        int tested = 0;
        for (String name : List.of("conv_a", "relu_a", "relu_b", "pool_b")) {
            Layer layer = cnn.layer(name);
            for (int filter = 0; filter < 8; filter++) {
                FilterPatterns.Pattern p = FilterPatterns.ascend(cnn, layer, filter, new int[] {1, 28, 28},
                        FilterPatterns.Options.SEED);
                if (!name.startsWith("conv") && p.startActivation() <= 0) {
                    assertEquals(0.0, p.finalActivation(), name + " filter " + filter + " was dead but moved");
                    continue;
                }
                assertTrue(p.finalActivation() > 0 && p.finalActivation() >= 10 * Math.abs(p.startActivation()),
                        name + " filter " + filter + ": " + p.startActivation() + " → " + p.finalActivation());
                tested++;
                for (float v : p.image().data()) {
                    assertTrue(v >= 0 && v <= 1);
                }
            }
        }
        assertTrue(tested >= 12, "only " + tested + " filters were live at the start");
    }

    @Test
    void ascentGradientMatchesFiniteDifferences() {
        Tensor x = Tensors.uniform(new SplittableRandom(5), 0.4f, 0.6f, 1, 1, 28, 28);
        Layer first = cnn.layer("conv_a");
        GradCheck.Result smooth = GradCheck.check("conv_a objective",
                in -> FilterPatterns.objective(cnn, first, 2, in[0]), x);
        assertTrue(smooth.passed(), smooth::toString);
        // Through relu and max-pool: a small step, so that few nudges cross a kink.
        Layer second = cnn.layer("conv_b");
        GradCheck.Result deep = GradCheck.check("conv_b objective",
                in -> FilterPatterns.objective(cnn, second, 2, in[0]), 1e-3, GradCheck.DEFAULT_MAX_RELATIVE_ERROR,
                GradCheck.DEFAULT_ABSOLUTE_FLOOR, x);
        assertTrue(deep.passed(), deep::toString);
    }

    @Test
    void regularisedAscentWithOctavesStillRaisesTheFilter() {
        FilterPatterns.Options options = FilterPatterns.Options.SEED.withRegularisation(1, 4, 0.5, 1e-3)
                .withOctaves(2, 1.25);
        FilterPatterns.Pattern p = FilterPatterns.ascend(cnn, cnn.layer("conv_a"), 1, new int[] {1, 28, 28}, options);
        assertTrue(p.finalActivation() > p.startActivation(), p.startActivation() + " → " + p.finalActivation());
    }

    @Test
    void gradCamPutsItsMassOnTheInkAndDeletingItHurtsMost() {
        Dataset digits = Mnist.test().first(30);
        Layer last = ClassActivation.lastConvLayer(cnn);
        double massOnInk = 0;
        double inkShare = 0;
        double dropTop = 0;
        double dropRandom = 0;
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < digits.size(); i++) {
            Tensor image = digits.inputs().slice(0, i, i + 1);
            ClassActivation.Result cam = ClassActivation.gradCam(cnn, image, last, digits.labels()[i]);
            float[] heat = cam.map().data();
            float[] pixels = image.data();
            double total = 0;
            double onInk = 0;
            int ink = 0;
            for (int p = 0; p < heat.length; p++) {
                total += heat[p];
                if (pixels[p] > 0.2f) {
                    onInk += heat[p];
                    ink++;
                }
            }
            massOnInk += total > 0 ? onInk / total : 0;
            inkShare += (double) ink / heat.length;
            float score = score(image, cam.classIndex());
            dropTop += score - score(delete(image, topFifth(heat)), cam.classIndex());
            dropRandom += score - score(delete(image, randomFifth(heat.length, random)), cam.classIndex());
        }
        massOnInk /= digits.size();
        inkShare /= digits.size();
        assertTrue(massOnInk > 1.5 * inkShare, "Grad-CAM mass on ink " + massOnInk + " vs ink share " + inkShare);
        assertTrue(dropTop > dropRandom, "deleting the top 20 % dropped the score by " + dropTop / digits.size()
                + ", a random 20 % by " + dropRandom / digits.size());
    }

    private static float score(Tensor image, int k) {
        try (NoGrad ignored = NoGrad.enter()) {
            return cnn.forward(image).data()[k];
        }
    }

    private static boolean[] topFifth(float[] heat) {
        float[] sorted = heat.clone();
        java.util.Arrays.sort(sorted);
        float threshold = sorted[(int) (sorted.length * 0.8)];
        boolean[] mask = new boolean[heat.length];
        int count = 0;
        for (int p = 0; p < heat.length && count < heat.length / 5; p++) {
            if (heat[p] >= threshold) {
                mask[p] = true;
                count++;
            }
        }
        return mask;
    }

    private static boolean[] randomFifth(int n, SplittableRandom random) {
        boolean[] mask = new boolean[n];
        int count = 0;
        while (count < n / 5) {
            int p = random.nextInt(n);
            if (!mask[p]) {
                mask[p] = true;
                count++;
            }
        }
        return mask;
    }

    private static Tensor delete(Tensor image, boolean[] mask) {
        float[] d = image.toArray();
        for (int p = 0; p < mask.length; p++) {
            if (mask[p]) {
                d[p] = 0f;
            }
        }
        return new Tensor(d, image.shape());
    }

    @Test
    void gradCamWeightsAreTheSpatialMeansOfTheGradients() {
        Tensor image = Mnist.test().first(1).inputs();
        Layer last = ClassActivation.lastConvLayer(cnn);
        ClassActivation.Result cam = ClassActivation.gradCam(cnn, image, last, -1);
        // Independent computation: retain the layer output's gradient through a forward hook, by hand.
        Tensor[] kept = new Tensor[1];
        var handle = last.registerForwardHook((l, in, out) -> kept[0] = out.retainGrad());
        Tensor out = cnn.forward(image);
        handle.remove();
        Tensor seed = Tensors.zeros(out.shape());
        seed.data()[cam.classIndex()] = 1f;
        out.backward(seed);
        Tensor expected = kept[0].grad().mean(false, 0, 2, 3);
        assertArrayEquals(expected.data(), cam.channelWeights().data(), 1e-6f);
        assertEquals(cam.classIndex(), (int) out.argmax(-1).data()[0]);
        float max = 0;
        for (float v : cam.map().data()) {
            max = Math.max(max, v);
            assertTrue(v >= 0);
        }
        assertEquals(1f, max, 1e-6f);
    }

    @Test
    void gradCamPlusPlusSaliencyAndSmoothGradGiveUnitMapsOfTheImageSize() {
        Tensor image = Mnist.test().first(1).inputs();
        for (Tensor map : List.of(
                ClassActivation.gradCamPlusPlus(cnn, image, ClassActivation.lastConvLayer(cnn), -1).map(),
                ClassActivation.saliency(cnn, image, -1),
                ClassActivation.smoothGrad(cnn, image, -1, 4, 0.15, 1))) {
            assertArrayEquals(new int[] {28, 28}, map.shape());
            float max = 0;
            for (float v : map.data()) {
                assertTrue(v >= 0 && v <= 1);
                max = Math.max(max, v);
            }
            assertEquals(1f, max, 1e-6f);
        }
        List<ClassActivation.Prediction> top = ClassActivation.topK(cnn, image, 3);
        assertEquals(3, top.size());
        assertTrue(top.get(0).probability() >= top.get(1).probability());
        BufferedImage overlay = ClassActivation.overlay(image.reshape(1, 28, 28),
                ClassActivation.saliency(cnn, image, -1), ColorMap.INFERNO, 0.5);
        assertEquals(28, overlay.getWidth());
    }

    @Test
    void featureMapGridsShowEveryChannelNormalisedLikeTheSeed() {
        Tensor image = Mnist.test().first(1).inputs();
        Map<String, Tensor> maps = FeatureMaps.compute(cnn, image, FeatureMaps.mapLayers(cnn));
        assertEquals(List.of("conv_a", "pool_a", "conv_b", "pool_b"), List.copyOf(maps.keySet()));
        assertArrayEquals(new int[] {8, 28, 28}, maps.get("conv_a").shape());
        BufferedImage grid = FeatureMaps.grid("conv_b", maps.get("conv_b"));
        assertTrue(grid.getWidth() >= 16 * 8 && grid.getHeight() > FeatureMaps.TITLE_HEIGHT);
        // A constant map shows mid grey; a map with values -1, 1 shows 128 ∓ 64.
        assertEquals(128, FeatureMaps.normalise(new float[] {5, 5, 5, 5}, 0, 4)[0]);
        assertArrayEquals(new int[] {64, 192}, FeatureMaps.normalise(new float[] {-1, 1}, 0, 2));
    }

    @Test
    void colourMapsRunFromDarkToLight() {
        for (ColorMap map : ColorMap.values()) {
            assertTrue(luma(map.rgb(0)) < luma(map.rgb(0.5)) && luma(map.rgb(0.5)) < luma(map.rgb(1)), map.name());
        }
    }

    private static double luma(int rgb) {
        return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    }

    @Test
    void theVisualizerWritesEveryPictureAndAnIndex(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Tensor image = Mnist.test().first(1).inputs();
        ConvnetVisualizer.Options options = ConvnetVisualizer.Options.defaults()
                .with(List.of("conv_a", "pool_b"), -1, 3);
        int[] progress = new int[1];
        ConvnetVisualizer.Written written = ConvnetVisualizer.write(cnn, image, dir, options, n -> progress[0] = n);
        assertEquals(6, written.filterPatterns());
        assertEquals(6, progress[0]);
        assertEquals(6, ConvnetVisualizer.filterCount(cnn, image, options));
        for (String file : List.of("index.html", "maps/gradcam.png", "maps/gradcam.svg", "maps/saliency.png",
                "feature-maps/conv_a.png", "feature-maps/pool_b.svg", "filters/conv_a.png", "filters/pool_b.png")) {
            assertTrue(java.nio.file.Files.size(dir.resolve(file)) > 0, file);
        }
        String html = java.nio.file.Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("feature-maps/pool_b.png") && html.contains("Grad-CAM"), html);
    }

    /** A model without convolutions is refused before any work (the command then shows no progress bar first). */
    @Test
    void theVisualizerRefusesAModelWithoutConvolutions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Tensor image = Mnist.test().first(1).inputs();
        var mlp = dev.glassbox.engine.nn.SeedModels.mlp(1);
        ConvnetVisualizer.Options options = ConvnetVisualizer.Options.defaults();
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> ConvnetVisualizer.filterCount(mlp, image, options),
                () -> ConvnetVisualizer.write(mlp, image, dir.resolve("out"), options, n -> { }))) {
            var e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().startsWith("model 'seed_mlp' has no Conv2D layer"), e.getMessage());
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve("out")));
    }
}
