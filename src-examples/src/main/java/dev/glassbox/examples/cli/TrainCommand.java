package dev.glassbox.examples.cli;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.io.ModelFile;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.optim.Adam;
import dev.glassbox.engine.optim.Optimizer;
import dev.glassbox.engine.optim.RmsProp;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import dev.glassbox.engine.train.TrainingListener;
import dev.glassbox.instrument.report.HealthSections;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.instrument.stats.HealthReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glassbox train}: trains a seed model (or continues training a saved one) on the shipped digits or an
 * IDX directory, saves it, and ends with the machine-readable line {@code test_accuracy=... test_loss=...}.
 * With {@code --health} a {@link HealthMonitor} watches the training, and its statistics table and findings are
 * printed before that line; {@code --health-report DIR} also writes them as a page and a TSV file.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train mlp, cnn, deep or a saved MODEL on digits and save it.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "mlp|cnn|deep|MODEL",
            description = "A seed model, or a Glassbox model file to train further.")
    String model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "MNIST-style IDX directory (default: the shipped digits).")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the seed's: mlp 5, cnn 3, deep 5).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: mlp 10, cnn 64, deep 10).")
    Integer batch;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|rmsprop", defaultValue = "sgd",
            description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X",
            description = "Learning rate (default: mlp 0.1, cnn 0.01, deep 0.1; adam/rmsprop 0.001).")
    Float lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: cnn 0.9, else 0).")
    Float momentum;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the initial weights and the batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--save", required = true, paramLabel = "FILE", description = "Where to save (.safetensors).")
    Path save;

    @Option(names = "--health", arity = "0..1", fallbackValue = "1", paramLabel = "N",
            description = "Watch every layer's outputs and every parameter's gradients at every N-th step (default 1)"
                    + " and print their statistics and findings.")
    Integer health;

    @Option(names = "--health-report", paramLabel = "DIR",
            description = "Also write DIR/report.html (findings, curves over the steps, histograms) and"
                    + " DIR/stats.tsv; implies --health.")
    Path healthReport;

    @Override
    public Integer call() throws IOException {
        common.apply();
        Outputs.checkFile("--save", save);
        if (healthReport != null) {
            Outputs.checkFolder("--health-report", healthReport);
        }
        int watchEvery = health != null ? health : healthReport != null ? 1 : 0;
        if (health != null && health < 1) {
            throw new IllegalArgumentException("--health " + health + ": watch every N-th step with N >= 1");
        }
        if (batch != null && batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (epochs != null && epochs < 0) {
            throw new IllegalArgumentException("--epochs must be at least 0, got " + epochs);
        }
        if (!ModelFile.hasModelName(save)) {
            throw new IllegalArgumentException("--save " + save + ": a model is saved as NAME.safetensors (with"
                    + " NAME.json beside it); give a name ending in .safetensors");
        }
        Dataset[] split = CommonOptions.trainAndTest(data);
        String kind = model.toLowerCase(Locale.ROOT);
        Model net;
        int defaultEpochs = 5;
        int defaultBatch = 10;
        float defaultLr = 0.1f;
        float defaultMomentum = 0f;
        switch (kind) {
            case "mlp" -> net = SeedModels.mlp(seed);
            case "deep" -> net = SeedModels.deepClassifier("tanh", seed);
            case "cnn" -> {
                net = SeedModels.cnn(seed);
                defaultEpochs = 3;
                defaultBatch = 64;
                defaultLr = 0.01f;
                defaultMomentum = 0.9f;
            }
            default -> net = Models.open(Path.of(model));
        }
        Loss loss = Models.lossFor(net);
        Optimizer opt = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd(net.trainableParameters(), lr != null ? lr : defaultLr,
                    momentum != null ? momentum : defaultMomentum);
            case "adam" -> new Adam(net.trainableParameters(), lr != null ? lr : Adam.DEFAULT_LEARNING_RATE);
            case "rmsprop" -> new RmsProp(net.trainableParameters(), lr != null ? lr : 1e-3f);
            default -> throw new IllegalArgumentException("--optimizer must be sgd, adam or rmsprop, got " + optimizer);
        };
        int e = epochs != null ? epochs : defaultEpochs;
        Trainer.Options options = Trainer.Options.of(e, batch != null ? batch : defaultBatch, seed);
        HealthMonitor monitor = watchEvery == 0 ? null
                : HealthMonitor.attach(net, HealthMonitor.DEFAULT_KINDS, watchEvery);
        Divergence divergence = new Divergence();
        try (monitor) {
            TrainingListener progress = new ProgressListener(e);
            Trainer.fit(net, loss, opt, split[0], options, monitor == null
                    ? new TrainingListener[] {progress, divergence}
                    : new TrainingListener[] {monitor, progress, divergence});
        }
        if (divergence.loss != null) {
            // Kept going, as Keras and PyTorch loops do: the model is saved and evaluated so it can be looked into.
            System.err.printf(Locale.ROOT, "glassbox: warning: training diverged: the loss was %s first at epoch %d,"
                    + " batch %d of %d; the saved weights are likely not finite (a smaller --lr or --momentum may"
                    + " help; --health names the first layer and step)%n", divergence.loss, divergence.epoch + 1,
                    divergence.batch + 1, divergence.batches);
        }
        ModelFile.save(net, save);                      // first: a report that fails to write loses no training
        if (monitor != null) {
            HealthReport report = monitor.report();     // the closed monitor's statistics stay readable
            System.out.print(report.toTable());
            report.findings().forEach(f -> System.out.println("finding: " + f.message()));
            if (healthReport != null) {
                writeHealthReport(monitor, report);
            }
        }
        Trainer.Evaluation test = Trainer.evaluate(net, loss, split[1], 500);
        System.err.println("saved " + save);
        System.out.printf(Locale.ROOT, "test_accuracy=%.4f test_loss=%.6f%n", test.accuracy(), test.loss());
        return 0;
    }

    /** Notes the first batch whose loss is NaN or infinite. */
    private static final class Divergence implements TrainingListener {
        Float loss;
        int epoch;
        int batch;
        int batches;
        private int epochBatches;

        @Override
        public void epochStarted(int epoch, int batches) {
            epochBatches = batches;
        }

        @Override
        public void batchFinished(int epoch, int batch, float loss) {
            if (this.loss == null && !Float.isFinite(loss)) {
                this.loss = loss;
                this.epoch = epoch;
                this.batch = batch;
                this.batches = epochBatches;
            }
        }
    }

    private void writeHealthReport(HealthMonitor monitor, HealthReport report) throws IOException {
        Files.createDirectories(healthReport);
        Files.writeString(healthReport.resolve("stats.tsv"), report.toTsv(), StandardCharsets.UTF_8);
        HtmlReport page = new HtmlReport("glassbox train --model " + model);
        HealthSections.addAll(page, monitor, report);
        page.write(healthReport.resolve("report.html"));
        System.err.println("wrote " + healthReport.resolve("report.html") + " and stats.tsv");
    }
}
