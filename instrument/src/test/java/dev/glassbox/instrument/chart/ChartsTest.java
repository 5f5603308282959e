package dev.glassbox.instrument.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.instrument.DeepNetStudy;
import dev.glassbox.instrument.stats.RunningStats;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static void assertDrawsAsSvgAndPng(Figure figure, Path dir, String name) throws Exception {
        String svg = figure.toSvg();
        assertTrue(svg.startsWith("<svg"), name + " is an svg element");
        assertFalse(svg.contains("NaN"), name + " has no NaN coordinates");
        Path png = dir.resolve(name + ".png");
        figure.writePng(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(figure.width(), image.getWidth(), name);
        assertEquals(figure.height(), image.getHeight(), name);
        figure.writeSvg(dir.resolve(name + ".svg"));
    }

    @Test
    void aScaledBitmapKeepsTheLayoutAtAFractionOfThePixels() {
        Figure figure = Charts.lines("mean |gradient|", "layer", "mean |g|", Map.of("tanh", new double[] {1, 0.1}),
                true);
        BufferedImage full = figure.toImage();
        BufferedImage half = figure.toImage(0.5);
        assertEquals(Math.round(figure.width() * 0.5), half.getWidth());
        assertEquals(Math.round(figure.height() * 0.5), half.getHeight());
        // The same drawing, only coarser: both start with the white background in the top-left corner.
        assertEquals(full.getRGB(0, 0), half.getRGB(0, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> figure.toImage(0));
    }

    /** The tick labels of the x axis (the integers drawn before the y axis' decimals) of a line chart's svg. */
    private static List<String> xTicks(Figure figure) {
        java.util.regex.Matcher label = java.util.regex.Pattern.compile(">([0-9.,]+)</text>").matcher(figure.toSvg());
        List<String> ticks = new java.util.ArrayList<>();
        while (label.find() && !label.group(1).contains(".")) {
            ticks.add(label.group(1));
        }
        return ticks;
    }

    @Test
    void linesPlaceTheirValuesAtTheGivenSteps() {
        Map<String, double[]> loss = Map.of("loss", new double[] {5, 4, 3, 2, 1});
        assertEquals(List.of("1", "2", "3", "4", "5"), xTicks(Charts.lines("loss", "step", "loss", loss, false)));
        // Watched every 100th step from step 0: the five values sit at 0, 100, ..., 400.
        List<String> ticks = xTicks(Charts.lines("loss", "step", "loss", loss, false, 0, 100));
        assertEquals("0", ticks.get(0), ticks.toString());
        assertEquals("400", ticks.get(ticks.size() - 1), ticks.toString());
    }

    @Test
    void everyKindOfFigureDrawsAsSvgAndPng(@TempDir Path dir) throws Exception {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("tanh", new double[] {1, 0.1, 0.01, 0, Double.NaN});
        series.put("relu", new double[] {1, 10, 100, 1000, 1e4});
        assertDrawsAsSvgAndPng(Charts.lines("mean |gradient|", "layer", "mean |g|", series, true), dir, "lines");
        RunningStats stats = new RunningStats();
        stats.add(Tensors.randn(new SplittableRandom(1), 1000).data());
        assertDrawsAsSvgAndPng(Charts.histogram("weights", stats), dir, "histogram");
        assertDrawsAsSvgAndPng(Charts.heatMap("kernel", "out", "in", new double[][] {{-1, 0, 2}, {0.5, 1, -2}}), dir,
                "heatmap");
        Map<String, double[]> ratios = new LinkedHashMap<>();
        ratios.put("measured", new double[] {0.7, Double.NaN});
        ratios.put("target", new double[] {0.8, 1.2});
        assertDrawsAsSvgAndPng(Charts.bars("ratios", "Glassbox / reference", List.of("epoch", "inference"), ratios),
                dir, "bars");
        Dataset digits = Mnist.test().first(12);
        String[] captions = new String[12];
        for (int i = 0; i < 12; i++) {
            captions[i] = Integer.toString(digits.labels()[i]);
        }
        assertDrawsAsSvgAndPng(new ImageGrid("digits", digits.inputs(), captions, 6, 56), dir, "grid");
        Tensor embedding = Tensors.randn(new SplittableRandom(2), 12, 2);
        assertDrawsAsSvgAndPng(EmbeddingPlot.of("embedding", embedding, digits.labels(), digits.inputs(),
                EmbeddingPlot.DEFAULT_MIN_DISTANCE), dir, "embedding");
    }

    @Test
    void barsNameEveryCategoryAndRefuseMisalignedSeries() {
        Map<String, double[]> ratios = new LinkedHashMap<>();
        ratios.put("measured", new double[] {0.7, 1.5});
        String svg = Charts.bars("ratios", "ratio", List.of("cnn epoch", "mlp epoch"), ratios).toSvg();
        assertTrue(svg.contains("cnn epoch") && svg.contains("mlp epoch"), "category labels drawn");
        ratios.put("target", new double[] {0.8});
        assertThrows(IllegalArgumentException.class,
                () -> Charts.bars("ratios", "ratio", List.of("cnn epoch", "mlp epoch"), ratios));
    }

    @Test
    void thumbnailsAreNeverCloserThanTheMinimumDistance() {
        Tensor embedding = Tensors.randn(new SplittableRandom(3), 400, 2);
        double[][] xy = EmbeddingPlot.scaledToUnitSquare(embedding);
        List<Integer> chosen = EmbeddingPlot.thumbnailIndices(xy, 0.1);
        assertTrue(chosen.size() > 5 && chosen.size() < 400, "some but not all: " + chosen.size());
        for (int a : chosen) {
            for (int b : chosen) {
                if (a != b) {
                    assertTrue(Math.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]) >= 0.1);
                }
            }
        }
        // Every example left out has a chosen thumbnail (or the start corner) nearby: that is why it was skipped.
        for (int i = 0; i < xy.length; i++) {
            if (!chosen.contains(i)) {
                double nearest = Math.hypot(xy[i][0] - 1, xy[i][1] - 1);
                for (int c : chosen) {
                    nearest = Math.min(nearest, Math.hypot(xy[i][0] - xy[c][0], xy[i][1] - xy[c][1]));
                }
                assertTrue(nearest < 0.1, "example " + i);
            }
        }
    }

    @Test
    void theDeepNetStudyGetsAChartPerSettingAndPerActivation(@TempDir Path dir) throws Exception {
        var results = List.of(DeepNetStudy.run("tanh", 0.1, 1,
                DeepNetStudy.Objective.MSE), DeepNetStudy.run("tanh",
                200, 1, DeepNetStudy.Objective.MSE));
        assertDrawsAsSvgAndPng(DeepNetCharts.setting(results.get(1)), dir, "setting");
        Map<String, Figure> byActivation = DeepNetCharts.byActivation(results);
        assertEquals(List.of("tanh-gradients", "tanh-activations"), List.copyOf(byActivation.keySet()));
        assertTrue(byActivation.get("tanh-gradients").toSvg().contains("std 200.0"));
    }
}
