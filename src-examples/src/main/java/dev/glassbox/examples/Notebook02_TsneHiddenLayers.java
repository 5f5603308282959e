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
import dev.glassbox.instrument.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Notebook 2: map the input and the hidden representations of a trained CNN to 2-D with t-SNE. The CNN is
 * loaded from its JSON architecture plus its weights (Keras' model_from_json + load_weights); each map is drawn
 * with coloured digit labels and image thumbnails, and scored by KL divergence and trustworthiness.
 */
public final class Notebook02_TsneHiddenLayers {
    /** The hidden layers mapped after the raw pixels. */
    static final List<String> LAYERS = List.of("pool1", "pool2", "relu3");

    /** What the notebook measured: the CNN's test accuracy and a t-SNE map per representation, pixels first. */
    record Result(double testAccuracy, List<Tour.Embedded> maps) implements Tour.Numbers {
        @Override
        public String summary() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "CNN test accuracy %.1f %%; KL/trust",
                    100 * testAccuracy));
            maps.forEach(m -> line.append(String.format(Locale.ROOT, " %s %.2f/%.3f", m.name(), m.klDivergence(),
                    m.trustworthiness())));
            return line.toString();
        }
    }

    private Notebook02_TsneHiddenLayers() {}

    static Result run(HtmlReport report, Tour.Settings settings) throws IOException {
        // 1. A trained CNN, saved as architecture (.json) + weights (.safetensors), then loaded from those files.
        Path weights = settings.out().resolve("notebook02/cnn.safetensors");
        Sequential trained = SeedModels.cnn(2);
        Trainer.fit(trained, Loss.nll(), new Sgd(trained.trainableParameters(), 0.01f, 0.9f),
                settings.train(), Trainer.Options.of(1, 64, 2), settings.trainingProgress(1));
        ModelFile.save(trained, weights);
        Model model = ModelFile.fromJson(weights.resolveSibling("cnn.json"));
        ModelFile.loadWeights(model, weights);
        double accuracy = Trainer.evaluate(model, Loss.nll(), settings.test(), 500).accuracy();

        // 2. The representations: raw pixels and the hidden layers, for the first test digits.
        Dataset digits = settings.test().first(settings.digits());
        Map<String, Tensor> representations = new LinkedHashMap<>();
        representations.put("pixels", digits.inputs());
        representations.putAll(Extraction.extract(model, LAYERS, digits.inputs(), 250));

        // 3. t-SNE of each (perplexity 30, PCA initialisation), scored against its own input affinities.
        report.section("2. t-SNE of the input and the hidden layers of a CNN");
        report.paragraph(String.format(Locale.ROOT, "The CNN (one epoch of SGD on %,d digits, %.1f %% on the test"
                + " digits) was saved as %s plus its weights and loaded back from those two files. Each map places"
                + " the first %d test digits so that neighbours in the layer's representation stay neighbours in 2-D."
                + " Deeper layers separate the classes more cleanly.", settings.train().size(), 100 * accuracy,
                settings.out().relativize(weights.resolveSibling("cnn.json")), digits.size()));
        List<List<String>> rows = new ArrayList<>();
        List<Tour.Embedded> maps = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : representations.entrySet()) {
            Tour.Embedded embedded = Tour.embed(e.getKey(), e.getValue(), digits, settings);
            embedded.addTo(report, settings, settings.out().resolve("notebook02/tsne-" + e.getKey()));
            maps.add(embedded);
            Tensor representation = e.getValue();
            rows.add(List.of(e.getKey(), Integer.toString(representation.size() / representation.dim(0)),
                    String.format(Locale.ROOT, "%.3f", embedded.klDivergence()),
                    String.format(Locale.ROOT, "%.3f", embedded.trustworthiness()),
                    String.format(Locale.ROOT, "%.3f", embedded.knnAccuracy())));
        }
        report.table(List.of("representation", "dimensions", "KL(P‖Q)", "trustworthiness (k = 10)",
                "10-NN accuracy in 2-D"), rows);
        return new Result(accuracy, maps);
    }

    /** Runs this notebook alone: {@code [--quick] [--out DIR]}, writing DIR/notebook02.html. */
    public static void main(String[] args) throws IOException {
        Tour.runAlone(args, "Notebook 2: t-SNE of hidden layers", "notebook02.html", Notebook02_TsneHiddenLayers::run);
    }
}
