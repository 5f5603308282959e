package dev.glassbox.examples;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.KerasImporter;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.vision.ClassActivation;
import dev.glassbox.instrument.vision.ConvnetVisualizer;
import dev.glassbox.instrument.vision.FeatureMaps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ProgressBar;

/**
 * Notebook 5: what a convnet learns (Deep Learning with Python §5.4) — the feature maps of every conv and pool
 * layer for one digit, the patterns each filter responds to (gradient ascent in input space), and where the
 * evidence for the class lies (Grad-CAM, Grad-CAM++, saliency) — on a convnet imported from a Keras {@code .h5}
 * file: Keras' {@code mnist_cnn} example (conv 32@3×3, conv 64@3×3, max-pool, dense 128, dense 10), trained and
 * saved by Keras 2.2.4, shipped with the examples. Any other Keras file can be given to {@code glassbox visualize}.
 */
public final class Notebook05_VisualizeConvnet {
    /** The class-evidence maps the visualizer writes, and their captions. */
    static final Map<String, String> MAPS = mapsInOrder();

    /** What the notebook measured: the top predictions for the digit, and the files drawn for each layer. */
    record Result(int label, List<ClassActivation.Prediction> top, List<String> layers, List<Path> featureMaps,
            List<Path> filterGrids, int filterPatterns) implements Tour.Numbers {
        @Override
        public String summary() {
            return String.format(Locale.ROOT, "Keras CNN predicts %d (p %.4f) for a %d; %d feature-map grids,"
                    + " %d filter patterns", top.get(0).classIndex(), top.get(0).probability(), label,
                    featureMaps.size(), filterPatterns);
        }
    }

    private Notebook05_VisualizeConvnet() {}

    static Result run(HtmlReport report, Tour.Settings settings) throws IOException {
        // 1. The convnet, imported from its Keras file (channels-last, as Keras runs it).
        Path file = settings.out().resolve("notebook05/keras_mnist_cnn.h5");
        Files.createDirectories(file.getParent());
        try (InputStream in = Notebook05_VisualizeConvnet.class.getResourceAsStream("keras_mnist_cnn.h5")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Model model = KerasImporter.load(file);

        // 2. One test digit, and everything the seed draws for it, written to a page of its own: feature maps,
        //    filter patterns by gradient ascent (40 steps each), Grad-CAM, Grad-CAM++, saliency, SmoothGrad.
        //    Always a shipped digit, whatever data the other notebooks use: the Keras model was trained on MNIST
        //    digits, and its evidence for a "2" in an ankle boot would teach nothing.
        Dataset digits = Mnist.test();
        Tensor digit = digits.first(1).inputs();
        int label = digits.labels()[0];
        ConvnetVisualizer.Options options = ConvnetVisualizer.Options.defaults().with(List.of(), -1,
                settings.quick() ? 4 : 16);
        Path dir = settings.out().resolve("visualize");
        ConvnetVisualizer.Written written;
        try (ProgressBar bar = settings.bar("filter patterns", ConvnetVisualizer.filterCount(model, digit, options))) {
            written = ConvnetVisualizer.write(model, digit, dir, options, bar::stepTo);
        }
        ClassActivation.Prediction top = written.top().get(0);

        // 3. The same pictures in the report, inlined: first where the evidence lies, then what each layer holds.
        report.section("5. What a convnet learns (a Keras model)");
        report.preformatted(model.summary(28, 28, 1));
        report.paragraph(String.format(Locale.ROOT, "For the first shipped test digit (a %d), the Keras CNN predicts %d"
                + " with probability %.4f. Where the evidence for that class lies:", label, top.classIndex(),
                top.probability()));
        for (Map.Entry<String, String> map : MAPS.entrySet()) {
            inline(report, settings, dir.resolve("maps/" + map.getKey()), map.getValue(), 160);
        }
        List<String> layers = FeatureMaps.mapLayers(model).stream().map(Layer::name).toList();
        report.paragraph("Feature maps of every conv and pool layer for that digit (one tile per channel):");
        List<Path> featureMaps = new ArrayList<>();
        for (String layer : layers) {
            featureMaps.add(inline(report, settings, dir.resolve("feature-maps/" + layer), layer, 1040));
        }
        report.paragraph(String.format(Locale.ROOT, "The input patterns that excite the first %d filters of each layer"
                + " most (gradient ascent from noise, %d steps):", options.filters(), options.ascent().steps()));
        List<Path> filterGrids = new ArrayList<>();
        for (String layer : layers) {
            filterGrids.add(inline(report, settings, dir.resolve("filters/" + layer), layer + " filters", 1040));
        }
        report.link("The same pictures on a page of their own", settings.out().relativize(written.index()).toString());
        return new Result(label, written.top(), layers, featureMaps, filterGrids, written.filterPatterns());
    }

    /**
     * Inlines {@code base.png} (written by the visualizer) shown at most {@code maxWidth} pixels wide, its caption
     * linking to {@code base.svg}; returns the PNG's path.
     */
    private static Path inline(HtmlReport report, Tour.Settings settings, Path base, String caption, int maxWidth)
            throws IOException {
        Path png = base.resolveSibling(base.getFileName() + ".png");
        byte[] bytes = Files.readAllBytes(png);
        int width;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            width = ImageIO.read(in).getWidth();
        }
        String svg = settings.out().relativize(base.resolveSibling(base.getFileName() + ".svg")).toString();
        report.image(bytes, Math.min(width, maxWidth), caption, svg.replace('\\', '/'), true);
        return png;
    }

    private static Map<String, String> mapsInOrder() {
        Map<String, String> maps = new LinkedHashMap<>();
        maps.put("image", "the digit");
        maps.put("gradcam", "Grad-CAM");
        maps.put("gradcam-plus-plus", "Grad-CAM++");
        maps.put("saliency", "saliency |∂score/∂x|");
        maps.put("smoothgrad", "SmoothGrad");
        return maps;
    }

    /** Runs this notebook alone: {@code [--quick] [--out DIR]}, writing DIR/notebook05.html. */
    public static void main(String[] args) throws IOException {
        Tour.runAlone(args, "Notebook 5: visualise a convnet", "notebook05.html", Notebook05_VisualizeConvnet::run);
    }
}
