package dev.glassbox.instrument.vision;

import dev.glassbox.engine.nn.Conv2D;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Everything the seed notebook shows about a convnet for one image, written to a folder with an index.html:
 * feature-map grids of every conv/pool layer ({@code feature-maps/LAYER.png|svg}), filter patterns by gradient
 * ascent ({@code filters/LAYER.png|svg}), and Grad-CAM, Grad-CAM++, saliency and SmoothGrad maps over the image,
 * with the top predicted classes.
 */
public final class ConvnetVisualizer {
    /** What to draw: the layers (empty: every conv/pool layer), the class (negative: predicted), filters per layer. */
    public record Options(List<String> layers, int classIndex, int filters, FilterPatterns.Options ascent,
            double overlayAlpha) {
        public static Options defaults() {
            return new Options(List.of(), -1, 16, FilterPatterns.Options.SEED, 0.5);
        }

        public Options with(List<String> layerNames, int classIndexOrMinusOne, int filtersPerLayer) {
            return new Options(layerNames, classIndexOrMinusOne, filtersPerLayer, ascent, overlayAlpha);
        }

        public Options withAscent(FilterPatterns.Options options) {
            return new Options(layers, classIndex, filters, options, overlayAlpha);
        }
    }

    /** What was written, for callers that report it. */
    public record Written(Path index, List<ClassActivation.Prediction> top, int filterPatterns) {}

    private ConvnetVisualizer() {}

    /** The number of filter patterns {@link #write} will compute for this image (for a progress bar). */
    public static int filterCount(Model model, Tensor image, Options options) {
        requireConvnet(model);
        int count = 0;
        for (Tensor maps : FeatureMaps.compute(model, image, layers(model, options)).values()) {
            count += Math.min(options.filters(), maps.dim(0));
        }
        return count;
    }

    /**
     * @param image one image [1, C, H, W] in the engine layout, at the model's input size
     * @param progress called once per finished filter pattern (may be a no-op)
     */
    public static Written write(Model model, Tensor image, Path dir, Options options, IntConsumer progress)
            throws IOException {
        requireConvnet(model);
        Files.createDirectories(dir);
        List<Layer> layers = layers(model, options);
        Map<String, Tensor> maps = FeatureMaps.compute(model, image, layers);
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>What the convnet sees: ")
                .append(escape(model.name())).append("</title><style>body{font-family:sans-serif;margin:2em}"
                + "img{image-rendering:pixelated;margin:4px;border:1px solid #ccc}td,th{padding:2px 10px}</style>"
                + "</head><body><h1>What the convnet sees</h1>");

        // 1. Class activation maps and predictions.
        Tensor picture = image.reshape(image.dim(1), image.dim(2), image.dim(3));
        List<ClassActivation.Prediction> top = ClassActivation.topK(model, image, 5);
        int k = options.classIndex() >= 0 ? options.classIndex() : top.get(0).classIndex();
        Layer target = ClassActivation.lastConvLayer(model);
        int scale = Math.max(1, 224 / Math.max(image.dim(2), image.dim(3)));
        html.append("<h2>Where the evidence for class ").append(k).append(" lies</h2><table><tr><th>class</th>"
                + "<th>probability</th></tr>");
        for (ClassActivation.Prediction p : top) {
            html.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td></tr>", p.classIndex(),
                    p.probability()));
        }
        html.append("</table><p>");
        writeMap(dir, "image", Tiles.scaled(Images.toImage(picture), scale), html, "the image");
        writeMap(dir, "gradcam", Tiles.scaled(ClassActivation.overlay(picture,
                ClassActivation.gradCam(model, image, target, k).map(), ColorMap.INFERNO, options.overlayAlpha()),
                scale), html, "Grad-CAM on " + target.name());
        writeMap(dir, "gradcam-plus-plus", Tiles.scaled(ClassActivation.overlay(picture,
                ClassActivation.gradCamPlusPlus(model, image, target, k).map(), ColorMap.INFERNO,
                options.overlayAlpha()), scale), html, "Grad-CAM++");
        writeMap(dir, "saliency", Tiles.scaled(ClassActivation.colorize(ClassActivation.saliency(model, image, k),
                ColorMap.VIRIDIS), scale), html, "saliency |∂score/∂x|");
        writeMap(dir, "smoothgrad", Tiles.scaled(ClassActivation.colorize(ClassActivation.smoothGrad(model, image,
                k, 16, 0.15, 1), ColorMap.VIRIDIS), scale), html, "SmoothGrad");
        html.append("</p>");

        // 2. Feature maps of every chosen layer.
        html.append("<h2>Feature maps</h2>");
        for (Map.Entry<String, Tensor> e : maps.entrySet()) {
            String file = "feature-maps/" + e.getKey();
            Tiles.writePngAndSvg(FeatureMaps.grid(e.getKey(), e.getValue()), dir.resolve(file));
            html.append("<div><img src=\"").append(file).append(".png\" alt=\"").append(escape(e.getKey()))
                    .append("\"></div>");
        }

        // 3. Filter patterns by gradient ascent.
        int patterns = 0;
        html.append("<h2>Filter patterns (gradient ascent, ").append(options.ascent().steps()).append(" steps)</h2>");
        int[] inputShape = {image.dim(1), image.dim(2), image.dim(3)};
        for (Layer layer : layers) {
            int count = Math.min(options.filters(), maps.get(layer.name()).dim(0));
            List<BufferedImage> tiles = new ArrayList<>();
            for (int f = 0; f < count; f++) {
                FilterPatterns.Pattern p = FilterPatterns.ascend(model, layer, f, inputShape, options.ascent());
                tiles.add(Images.toImage(p.image()));
                progress.accept(++patterns);
            }
            if (!tiles.isEmpty()) {
                String file = "filters/" + layer.name();
                Tiles.writePngAndSvg(Tiles.tile(layer.name() + " — first " + count + " filters", tiles,
                        FeatureMaps.PER_ROW, Math.max(1, 64 / image.dim(2))), dir.resolve(file));
                html.append("<div><img src=\"").append(file).append(".png\" alt=\"").append(escape(layer.name()))
                        .append(" filters\"></div>");
            }
        }
        html.append("</body></html>\n");
        Path index = dir.resolve("index.html");
        Files.writeString(index, html, StandardCharsets.UTF_8);
        return new Written(index, top, patterns);
    }

    private static void writeMap(Path dir, String name, BufferedImage image, StringBuilder html, String caption)
            throws IOException {
        Tiles.writePngAndSvg(image, dir.resolve("maps/" + name));
        html.append("<figure style=\"display:inline-block\"><img src=\"maps/").append(name).append(".png\" alt=\"")
                .append(escape(caption)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>");
    }

    /** Every part of the page (feature maps, filter patterns, Grad-CAM) needs convolution layers. */
    private static void requireConvnet(Model model) {
        if (model.layers().stream().noneMatch(layer -> layer instanceof Conv2D)) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no Conv2D layer; feature maps,"
                    + " filter patterns and Grad-CAM need a convnet");
        }
    }

    private static List<Layer> layers(Model model, Options options) {
        if (options.layers().isEmpty()) {
            return FeatureMaps.mapLayers(model);
        }
        List<Layer> chosen = new ArrayList<>();
        for (String name : options.layers()) {
            chosen.add(model.layer(name));
        }
        return chosen;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
