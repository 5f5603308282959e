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
    private Notebook02_TsneHiddenLayers() {}

    static void run(HtmlReport report, Tour.Settings settings) throws IOException {
        // 1. A trained CNN, saved as architecture (.json) + weights (.safetensors), then loaded from those files.
        Path weights = settings.out().resolve("notebook02/cnn.safetensors");
        Sequential trained = SeedModels.cnn(2);
        Trainer.fit(trained, Loss.nll(), new Sgd(trained.trainableParameters(), 0.01f, 0.9f),
                settings.train(), Trainer.Options.of(1, 64, 2));
        ModelFile.save(trained, weights);
        Model model = ModelFile.fromJson(weights.resolveSibling("cnn.json"));
        ModelFile.loadWeights(model, weights);

        // 2. The representations: raw pixels and the hidden layers, for the first test digits.
        Dataset digits = settings.test().first(settings.digits());
        Map<String, Tensor> representations = new LinkedHashMap<>();
        representations.put("pixels", digits.inputs());
        representations.putAll(Extraction.extract(model, List.of("pool1", "pool2", "relu3"), digits.inputs(), 250));

        // 3. t-SNE of each (perplexity 30, PCA initialisation), scored against its own input affinities.
        report.section("2. t-SNE of the input and the hidden layers of a CNN");
        report.paragraph("Each map places the test digits so that neighbours in the layer's representation stay"
                + " neighbours in 2-D. Deeper layers separate the classes more cleanly.");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : representations.entrySet()) {
            Tour.Embedded embedded = Tour.embed(e.getKey(), e.getValue(), digits, settings);
            report.figure(embedded.plot(), embedded.caption(e.getKey()));
            Tensor representation = e.getValue();
            rows.add(List.of(e.getKey(), Integer.toString(representation.size() / representation.dim(0)),
                    String.format(Locale.ROOT, "%.3f", embedded.klDivergence()),
                    String.format(Locale.ROOT, "%.3f", embedded.trustworthiness()),
                    String.format(Locale.ROOT, "%.3f", embedded.knnAccuracy())));
        }
        report.table(List.of("representation", "dimensions", "KL(P‖Q)", "trustworthiness (k = 10)",
                "10-NN accuracy in 2-D"), rows);
    }

    public static void main(String[] args) throws IOException {
        HtmlReport report = new HtmlReport("Notebook 2: t-SNE of hidden layers");
        Tour.Settings settings = Tour.Settings.shipped(Path.of("target/examples"), args.length > 0);
        run(report, settings);
        report.write(settings.out().resolve("notebook02.html"));
    }
}
