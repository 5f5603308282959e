package dev.glassbox.examples.cli;

import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.instrument.vision.ConvnetVisualizer;
import dev.glassbox.instrument.vision.FilterPatterns;
import dev.glassbox.instrument.vision.Images;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glassbox visualize MODEL --image IMG --out DIR}: feature-map grids, filter patterns, Grad-CAM and
 * saliency for one image, gathered in DIR/index.html.
 */
@Command(name = "visualize", mixinStandardHelpOptions = true,
        description = "Feature maps, filter patterns and class activation maps of a convnet for one image.")
public final class VisualizeCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "MODEL", description = Models.SELF_DESCRIBING_MODEL_HELP)
    Path model;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "PNG, JPEG or .npy image.")
    Path image;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder: index.html and the pictures beside it.")
    Path out;

    @Option(names = "--layers", split = ",", paramLabel = "L1,L2",
            description = "Layers (default: every conv/pool layer).")
    List<String> layers = List.of();

    @Option(names = "--class", paramLabel = "K", defaultValue = "-1",
            description = "Class for the maps (default: the predicted one).")
    int classIndex;

    @Option(names = "--filters", paramLabel = "N", defaultValue = "16",
            description = "Filter patterns per layer (default 16).")
    int filters;

    @Option(names = "--input-shape", paramLabel = "C,H,W", split = ",", defaultValue = "1,28,28",
            description = "One input example in channels-first order (default: a 28x28 digit).")
    int[] inputShape;

    @Option(names = "--pixel-scale", paramLabel = "S", defaultValue = "1",
            description = "Top of the model's input range: 1 for [0, 1] pixels, 255 for raw ones.")
    double pixelScale;

    @Option(names = "--jitter", paramLabel = "PX", defaultValue = "0",
            description = "Filter patterns: random shift per step.")
    int jitter;

    @Option(names = "--blur", paramLabel = "SIGMA", defaultValue = "0",
            description = "Filter patterns: blur every 4 steps.")
    double blur;

    @Option(names = "--octaves", paramLabel = "N", defaultValue = "1",
            description = "Filter patterns: octaves (x1.2 each).")
    int octaves;

    @Override
    public Integer call() throws IOException {
        common.apply();
        Outputs.checkFolder("--out", out);
        if (inputShape.length != 3 || filters < 0) {
            throw new IllegalArgumentException("--input-shape takes C,H,W and --filters must be >= 0");
        }
        Model net = Models.open(model);
        Tensor picture = Images.read(image, inputShape[0], inputShape[1], inputShape[2]).mul((float) pixelScale);
        Tensor batch = picture.reshape(1, inputShape[0], inputShape[1], inputShape[2]);
        FilterPatterns.Options ascent = FilterPatterns.Options.SEED.withPixelScale(pixelScale)
                .withRegularisation(jitter, blur > 0 ? 4 : 0, blur, 0).withOctaves(octaves, 1.2);
        ConvnetVisualizer.Options options = ConvnetVisualizer.Options.defaults().with(layers, classIndex, filters)
                .withAscent(ascent);
        int total = ConvnetVisualizer.filterCount(net, batch, options);
        ConvnetVisualizer.Written written;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("filter patterns").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).build()) {
            written = ConvnetVisualizer.write(net, batch, out, options, bar::stepTo);
        }
        System.out.printf(Locale.ROOT, "predicted class %d (p = %.4f); wrote %s%n", written.top().get(0).classIndex(),
                written.top().get(0).probability(), written.index());
        return 0;
    }
}
