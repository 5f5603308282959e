package dev.glassbox.examples;

import dev.glassbox.engine.io.KerasImporter;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.vision.ClassActivation;
import dev.glassbox.instrument.vision.ConvnetVisualizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Notebook 5: what a convnet learns (Deep Learning with Python §5.4) — the feature maps of every conv and pool
 * layer for one digit, the patterns each filter responds to (gradient ascent in input space), and where the
 * evidence for the class lies (Grad-CAM, Grad-CAM++, saliency) — on a convnet imported from a Keras {@code .h5}
 * file: Keras' {@code mnist_cnn} example (conv 32@3×3, conv 64@3×3, max-pool, dense 128, dense 10), trained and
 * saved by Keras 2.2.4, shipped with the examples. Any other Keras file can be given to {@code glassbox visualize}.
 */
public final class Notebook05_VisualizeConvnet {
    private Notebook05_VisualizeConvnet() {}

    static void run(HtmlReport report, Tour.Settings settings) throws IOException {
        // 1. The convnet, imported from its Keras file (channels-last, as Keras runs it).
        Path file = settings.out().resolve("notebook05/keras_mnist_cnn.h5");
        Files.createDirectories(file.getParent());
        try (InputStream in = Notebook05_VisualizeConvnet.class.getResourceAsStream("keras_mnist_cnn.h5")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Model model = KerasImporter.load(file);

        // 2. One test digit, and everything the seed draws for it, written to a page of its own.
        Tensor digit = settings.test().first(1).inputs();
        ConvnetVisualizer.Options options = ConvnetVisualizer.Options.defaults().with(List.of(), -1,
                settings.quick() ? 4 : 16);
        ConvnetVisualizer.Written written = ConvnetVisualizer.write(model, digit, settings.out().resolve("visualize"),
                options, n -> { });
        ClassActivation.Prediction top = written.top().get(0);

        report.section("5. What a convnet learns (a Keras model)");
        report.preformatted(model.summary(28, 28, 1));
        report.paragraph(String.format(Locale.ROOT, "For test digit 0 (a %d), the Keras CNN predicts %d with probability"
                + " %.4f. Feature maps of every conv and pool layer, %d filter patterns found by gradient ascent"
                + " (40 steps each), and Grad-CAM / saliency maps are on their own page:", settings.test().labels()[0],
                top.classIndex(), top.probability(), written.filterPatterns()));
        report.link("What the convnet sees (feature maps, filter patterns, Grad-CAM)",
                settings.out().relativize(written.index()).toString());
    }

    public static void main(String[] args) throws IOException {
        HtmlReport report = new HtmlReport("Notebook 5: visualise a convnet");
        Tour.Settings settings = Tour.Settings.shipped(Path.of("target/examples"), args.length > 0);
        run(report, settings);
        report.write(settings.out().resolve("notebook05.html"));
    }
}
