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
import dev.glassbox.instrument.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Notebook 1: train an MLP on digits, then look at what each hidden layer knows.
 * The representation of every layer for the test digits is extracted, and a linear probe (multinomial logistic
 * regression, cross-validated) measures how much of the digit's class each layer makes linearly readable.
 */
public final class Notebook01_ExtractRepresentations {
    private Notebook01_ExtractRepresentations() {}

    static void run(HtmlReport report, Tour.Settings settings) throws IOException {
        // 1. The model: 784-100-100-100-10, sigmoid, Keras' glorot-uniform init.
        Sequential model = SeedModels.mlp(1);

        // 2. Train: SGD lr 0.1, batch 10, 5 epochs, categorical cross-entropy (as the notebook's Keras model).
        Dataset train = settings.train();
        int epochs = settings.quick() ? 2 : 5;
        Trainer.fit(model, Loss.categoricalCrossEntropy(), new Sgd(model.trainableParameters(), 0.1f), train,
                Trainer.Options.of(epochs, 10, 1));

        // 3. Save and reload: what follows runs on the reloaded model.
        Path file = settings.out().resolve("notebook01/mlp.safetensors");
        ModelFile.save(model, file);
        Model reloaded = ModelFile.load(file);
        double accuracy = Trainer.evaluate(reloaded, Loss.categoricalCrossEntropy(), settings.test(), 500).accuracy();

        // 4. The output of every layer for the first test digits, written as .npy files.
        Dataset digits = settings.test().first(settings.digits());
        List<String> layers = List.of("hidden1", "hidden2", "hidden3", "output");
        Map<String, Tensor> representations = Extraction.extract(reloaded, layers, digits.inputs(), 250);
        Extraction.writeNpy(representations, settings.out().resolve("notebook01/representations"));

        // 5. Linear probes: how well does each layer's representation predict the digit?
        Map<String, Double> probes = CrossValidation.perLayer(reloaded, layers, digits, 10, settings.quick() ? 3 : 5);

        report.section("1. What each layer of an MLP knows");
        report.paragraph(String.format(Locale.ROOT, "The MLP 784-100-100-100-10 (sigmoid) trained %d epoch(s) of SGD"
                + " on %d digits reaches %.1f %% on the 2,000 test digits; saved and reloaded from %s.", epochs,
                train.size(), 100 * accuracy, settings.out().relativize(file)));
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : probes.entrySet()) {
            rows.add(List.of(e.getKey(), String.format(Locale.ROOT, "%.1f %%", 100 * e.getValue())));
        }
        report.paragraph("Linear-probe accuracy (" + (settings.quick() ? 3 : 5) + "-fold cross-validated) on the first "
                + digits.size() + " test digits: the categorical content each layer makes linearly readable.");
        report.table(List.of("representation", "probe accuracy"), rows);
        for (String layer : List.of("hidden1", "hidden3")) {
            Tour.Embedded e = Tour.embed("MLP layer " + layer, representations.get(layer), digits, settings);
            report.figure(e.plot(), e.caption(layer));
        }
    }

    public static void main(String[] args) throws IOException {
        HtmlReport report = new HtmlReport("Notebook 1: extract representations");
        Tour.Settings settings = Tour.Settings.shipped(Path.of("target/examples"), args.length > 0);
        run(report, settings);
        report.write(settings.out().resolve("notebook01.html"));
    }
}
