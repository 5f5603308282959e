package dev.glassbox.examples;

import dev.glassbox.engine.io.ModelFile;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.vision.ClassActivation;
import dev.glassbox.instrument.vision.ConvnetVisualizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Notebook 5: what a convnet learns (Deep Learning with Python §5.4) — the feature maps of every conv and pool
 * layer for one digit, the patterns each filter responds to (gradient ascent in input space), and where the
 * evidence for the class lies (Grad-CAM, Grad-CAM++, saliency). Runs on the CNN notebook 3 trained and saved.
 */
public final class Notebook05_VisualizeConvnet {
    private Notebook05_VisualizeConvnet() {}

    static void run(HtmlReport report, Tour.Settings settings) throws IOException {
        // 1. The convnet: the one notebook 3 saved (trained here if this notebook runs alone).
        Path file = settings.out().resolve("notebook03/cnn.safetensors");
        if (!Files.exists(file)) {
            Notebook03_CnnHooks.run(new HtmlReport("scratch"), settings);
        }
        Model model = ModelFile.load(file);

        // 2. One test digit, and everything the seed draws for it, written to a page of its own.
        Tensor digit = settings.test().first(1).inputs();
        ConvnetVisualizer.Options options = ConvnetVisualizer.Options.defaults().with(List.of(), -1,
                settings.quick() ? 4 : 16);
        ConvnetVisualizer.Written written = ConvnetVisualizer.write(model, digit, settings.out().resolve("visualize"),
                options, n -> { });
        ClassActivation.Prediction top = written.top().get(0);

        report.section("5. What the convnet learns");
        report.paragraph(String.format(Locale.ROOT, "For test digit 0 (a %d), the CNN predicts %d with probability"
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
