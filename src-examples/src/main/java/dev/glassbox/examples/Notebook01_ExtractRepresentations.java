package dev.glassbox.examples;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.io.ModelFile;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import dev.glassbox.instrument.Extraction;
import dev.glassbox.instrument.probe.CrossValidation;
import dev.glassbox.instrument.probe.LinearProbe;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.instrument.stats.HealthReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * Notebook 1: train an MLP on digits, then look at what each hidden layer knows.
 * The representation of every layer for the test digits is extracted, and a linear probe (multinomial logistic
 * regression, cross-validated) measures how much of the digit's class each layer makes linearly readable.
 */
public final class Notebook01_ExtractRepresentations {
    /** The layers whose outputs are extracted, probed and mapped. */
    static final List<String> LAYERS = List.of("hidden1", "hidden2", "hidden3", "output");

    /** What the notebook measured: test accuracy, probe accuracy per representation, a t-SNE map per layer. */
    record Result(double testAccuracy, Map<String, Double> probeAccuracy, List<Tour.Embedded> maps,
            HealthReport health) implements Tour.Numbers {
        @Override
        public String summary() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "MLP test accuracy %.1f %%; probes",
                    100 * testAccuracy));
            probeAccuracy.forEach((layer, a) -> line.append(String.format(Locale.ROOT, " %s %.1f %%", layer, 100 * a)));
            return line.toString();
        }
    }

    private Notebook01_ExtractRepresentations() {}

    static Result run(HtmlReport report, Tour.Settings settings) throws IOException {
        // 1. The model: 784-100-100-100-10, sigmoid, Keras' glorot-uniform init.
        Sequential model = SeedModels.mlp(1);

        // 2. Train: SGD lr 0.1, batch 10, 5 epochs, categorical cross-entropy (as the notebook's Keras model),
        //    with a health monitor looking at every 10th step: saturated sigmoids, dead units, update sizes.
        //    The sigmoid MLP sits on a plateau (about 11 % right) for its first few hundred steps, and it is cheap
        //    to train, so even the quick tour gives it every training digit and 3 epochs (about 80 % right).
        Dataset train = settings.trainData();
        int epochs = settings.quick() ? 3 : 5;
        HealthReport health;
        try (HealthMonitor monitor = HealthMonitor.attach(model, HealthMonitor.DEFAULT_KINDS, 10)) {
            Trainer.fit(model, Loss.categoricalCrossEntropy(), new Sgd(model.trainableParameters(), 0.1f), train,
                    Trainer.Options.of(epochs, 10, 1), monitor, settings.trainingProgress(epochs));
            health = monitor.report();
        }

        // 3. Save and reload: what follows runs on the reloaded model.
        Path file = settings.out().resolve("notebook01/mlp.safetensors");
        ModelFile.save(model, file);
        Model reloaded = ModelFile.load(file);
        double accuracy = Trainer.evaluate(reloaded, Loss.categoricalCrossEntropy(), settings.test(), 500).accuracy();

        // 4. The output of every layer for the first test digits, written as .npy files.
        Dataset digits = settings.test().first(settings.digits());
        Map<String, Tensor> representations = Extraction.extract(reloaded, LAYERS, digits.inputs(), 250);
        Extraction.writeNpy(representations, settings.out().resolve("notebook01/representations"));

        // 5. Linear probes: how well does each representation (the raw pixels first) predict the digit?
        int folds = settings.quick() ? 3 : 5;
        Map<String, Tensor> probed = new LinkedHashMap<>();
        probed.put(CrossValidation.PIXELS, digits.inputs());
        probed.putAll(representations);
        Map<String, Double> probes = new LinkedHashMap<>();
        try (ProgressBar bar = settings.bar("linear probes", probed.size())) {
            for (Map.Entry<String, Tensor> e : probed.entrySet()) {
                probes.put(e.getKey(), CrossValidation.accuracy(e.getValue(), digits.labels(), 10, folds,
                        LinearProbe.DEFAULT_C, LinearProbe.DEFAULT_MAX_ITERATIONS));
                bar.step();
            }
        }

        report.section("1. What each layer of an MLP knows");
        report.paragraph(String.format(Locale.ROOT, "The MLP 784-100-100-100-10 (sigmoid) trained %d epoch(s) of SGD"
                + " on %d digits reaches %.1f %% on the %,d test digits; saved and reloaded from %s.", epochs,
                train.size(), 100 * accuracy, settings.test().size(), settings.out().relativize(file)));
        report.paragraph("Health of the layers during training (every 10th step): findings, then the statistics.");
        report.findings(health.findings());
        report.table(HealthReport.COLUMNS, health.rows());
        List<List<String>> rows = new ArrayList<>();
        probes.forEach((layer, a) -> rows.add(List.of(layer, String.format(Locale.ROOT, "%.1f %%", 100 * a))));
        report.paragraph("Linear-probe accuracy (" + folds + "-fold cross-validated) on the first " + digits.size()
                + " test digits: the categorical content each layer makes linearly readable.");
        report.table(List.of("representation", "probe accuracy"), rows);

        // 6. t-SNE of every layer's representation.
        List<Tour.Embedded> maps = new ArrayList<>();
        for (String layer : LAYERS) {
            Tour.Embedded map = Tour.embed("MLP layer " + layer, representations.get(layer), digits, settings);
            map.addTo(report, settings, settings.out().resolve("notebook01/tsne-" + layer));
            maps.add(map);
        }
        return new Result(accuracy, probes, maps, health);
    }

    /** Runs this notebook alone: {@code [--quick] [--out DIR]}, writing DIR/notebook01.html. */
    public static void main(String[] args) throws IOException {
        Tour.runAlone(args, "Notebook 1: extract representations", "notebook01.html",
                Notebook01_ExtractRepresentations::run);
    }
}
