package dev.glassbox.examples.cli;

import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.Recordings;
import dev.glassbox.instrument.chart.Charts;
import dev.glassbox.instrument.chart.ImageGrid;
import dev.glassbox.instrument.report.HealthSections;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.instrument.stats.HealthReport;
import dev.glassbox.instrument.stats.ParameterHealth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glassbox inspect MODEL --input X.npy [--target Y.npy --loss NAME] --out DIR}: one forward and backward
 * pass over X with every layer recorded, written out as
 * <pre>
 *   DIR/activations/&lt;layer&gt;.npy            every layer's output (the model's own layout)
 *   DIR/gradients/&lt;layer&gt;/&lt;param&gt;.npy    every parameter's gradient
 *   DIR/input-gradient.npy                 d objective / d X (saliency)
 *   DIR/stats.tsv, DIR/report.html         the per-layer statistics, findings and charts
 * </pre>
 * The objective is the loss against Y when a target is given (labels [n] for cross_entropy, nll,
 * categorical_crossentropy; labels or a tensor of the output's shape for mse), else the sum of the outputs.
 * The model runs in inference mode (no dropout), so the recorded tensors are those a prediction computes.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Record every layer's activations and gradients on an input; write npy files, stats and a"
                + " report.")
public final class InspectCommand implements Callable<Integer> {
    /** Inputs with more examples than this are not drawn in the report (the npy files have them all). */
    static final int MAX_IMAGES = 64;

    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "MODEL", description = Models.SELF_DESCRIBING_MODEL_HELP)
    Path model;

    @Option(names = "--input", required = true, paramLabel = "X.npy",
            description = "Input batch in the model's layout.")
    Path input;

    @Option(names = "--target", paramLabel = "Y.npy", description = "Labels [n] or targets of the output's shape.")
    Path target;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "cross_entropy, nll, categorical_crossentropy or mse (default: fits the last layer).")
    String loss;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        common.apply();
        Outputs.checkFolder("--out", out);
        if (loss != null && target == null) {
            throw new IllegalArgumentException("--loss " + loss + " needs --target Y.npy");
        }
        if (loss != null) {
            Loss.byName(loss);                          // an unknown name is the first fault, whatever the target
        }
        Model net = Models.open(model);
        Tensor x = Inputs.readBatch(input, "--input");
        Tensor y = target == null ? null : Inputs.readNpy(target, "--target");
        if (y != null && y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("--target " + target + " has " + y.dim(0) + " rows but --input "
                    + input + " has " + x.dim(0));
        }
        net.eval();
        Recordings recordings = new Recordings();
        HealthReport health;
        HealthMonitor monitor = HealthMonitor.attach(net, Recorder.Kinds.ALL);
        try (monitor; Recorder ignored = Recorder.attach(net, recordings)) {
            Tensor output;
            try {
                output = net.forward(x.copy());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--input " + input + " of shape " + Arrays.toString(x.shape())
                        + " does not fit model " + model + ": " + Models.withDeclaredInput(e.getMessage(), net), e);
            }
            objective(net, output, y).backward();
            health = monitor.report();
        }
        write(net, recordings, health);
        Tensor saliency = recordings.inputGradients().isEmpty() ? null : Recordings.last(recordings.inputGradients());
        writeReport(net, monitor, health, x, saliency, recordings);
        System.out.print(health.toTable());
        health.findings().forEach(f -> System.out.println("finding: " + f.message()));
        return 0;
    }

    private Tensor objective(Model net, Tensor output, Tensor y) {
        if (y == null) {
            return output.sum();
        }
        String name = loss;
        if (y.sameShape(output) && y.rank() > 1) {
            String chosen = name == null ? "mse" : name;
            return switch (chosen) {
                case "mse" -> Losses.mse(output, y);
                case "categorical_crossentropy" -> Losses.categoricalCrossEntropy(output, y);
                default -> throw new IllegalArgumentException("--loss " + chosen + " takes labels [n]; --target "
                        + target + " has the output's shape " + Arrays.toString(y.shape())
                        + " (use mse or categorical_crossentropy)");
            };
        }
        if (y.rank() != 1) {
            throw new IllegalArgumentException("--target " + target + " must be labels [n] or of the output's shape "
                    + Arrays.toString(output.shape()) + ", got " + Arrays.toString(y.shape()));
        }
        int[] labels = new int[y.size()];
        for (int i = 0; i < labels.length; i++) {
            float v = y.data()[i];
            if (v != Math.rint(v) || v < 0) {
                throw new IllegalArgumentException("--target " + target + ": labels must be whole numbers >= 0, got "
                        + v + " at index " + i);
            }
            labels[i] = (int) v;
        }
        Loss chosen = name == null ? Models.lossFor(net) : Loss.byName(name);
        return chosen.compute(output, labels);
    }

    private void write(Model net, Recordings recordings, HealthReport health) throws IOException {
        Files.createDirectories(out.resolve("activations"));
        for (Layer layer : net.layers()) {
            Tensor activation = Recordings.last(recordings.activations(layer.name()));
            Npy.write(out.resolve("activations").resolve(layer.name() + ".npy"), net.toUserLayout(activation));
            for (Parameter p : layer.parameters()) {
                Path dir = out.resolve("gradients").resolve(layer.name());
                Files.createDirectories(dir);
                Npy.write(dir.resolve(p.name() + ".npy"), Recordings.last(recordings.parameterGradients(p.fullName())));
            }
        }
        if (!recordings.inputGradients().isEmpty()) {
            Npy.write(out.resolve("input-gradient.npy"), Recordings.last(recordings.inputGradients()));
        }
        Files.writeString(out.resolve("stats.tsv"), health.toTsv(), StandardCharsets.UTF_8);
    }

    private void writeReport(Model net, HealthMonitor monitor, HealthReport health, Tensor x, Tensor saliency,
            Recordings recordings) throws IOException {
        HtmlReport report = new HtmlReport("glassbox inspect " + model.getFileName());
        report.section("Findings").findings(health.findings());
        Map<String, double[]> activations = new LinkedHashMap<>();
        activations.put("mean |activation|", monitor.layers().stream().mapToDouble(l -> l.activations().meanAbs())
                .toArray());
        activations.put("mean |d objective / d activation|", monitor.layers().stream()
                .mapToDouble(l -> l.outputGradients().meanAbs()).toArray());
        Map<String, double[]> gradients = new LinkedHashMap<>();
        gradients.put("mean |gradient|", monitor.parameters().stream().mapToDouble(p -> p.gradients().meanAbs())
                .toArray());
        report.section("Per layer")
                .paragraph("Layers in order: " + net.layers().stream().map(Layer::name).toList())
                .figure(Charts.lines("Activations and their gradients", "layer", "mean |x|", activations, true),
                        "mean |activation| and mean |gradient| of each layer's output (log scale)")
                .paragraph("Parameters in order: " + monitor.parameters().stream().map(ParameterHealth::name).toList())
                .figure(Charts.lines("Parameter gradients", "parameter", "mean |g|", gradients, true),
                        "mean |gradient| of each parameter (log scale)");
        HealthSections.histograms(report, monitor);
        if (x.rank() == 4 && x.dim(0) <= MAX_IMAGES) {
            report.section("Input and saliency").figure(new ImageGrid("input", channelsFirst(net, x), null, 8, 56),
                    "the input examples");
            if (saliency != null) {
                Tensor absolute = saliency.abs();
                report.figure(new ImageGrid("|d objective / d input|", channelsFirst(net, absolute), null, 8, 56),
                        "saliency: where a small change of the input changes the objective most");
            }
        }
        featureMaps(net, recordings, report);
        report.section("Statistics").table(HealthReport.COLUMNS, health.rows());
        report.write(out.resolve("report.html"));
    }

    /** The feature maps of the first example at every layer with image-shaped [n, c, h, w] output. */
    private static void featureMaps(Model net, Recordings recordings, HtmlReport report) {
        boolean first = true;
        for (Layer layer : net.layers()) {
            Tensor output = Recordings.last(recordings.activations(layer.name()));
            if (output.rank() != 4) {
                continue;
            }
            if (first) {
                report.section("Feature maps of the first example");
                first = false;
            }
            int channels = Math.min(output.dim(1), MAX_IMAGES);
            int plane = output.dim(2) * output.dim(3);
            float[] maps = java.util.Arrays.copyOf(output.data(), channels * plane);
            report.figure(new ImageGrid(layer.name(), new Tensor(maps, channels, output.dim(2), output.dim(3)), null,
                    10, 48), layer.name() + ": " + channels + " of " + output.dim(1) + " channels, each scaled to"
                    + " its own range");
        }
    }

    /** The input as [n, c, h, w] for drawing (a channels-last model's input is NHWC). */
    private static Tensor channelsFirst(Model net, Tensor x) {
        return net.dataFormat() == Model.DataFormat.CHANNELS_LAST ? x.permute(0, 3, 1, 2).copy() : x;
    }
}
