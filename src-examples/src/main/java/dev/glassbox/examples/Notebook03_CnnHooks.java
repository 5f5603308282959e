package dev.glassbox.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.ModelFile;
import dev.glassbox.engine.io.StateDicts;
import dev.glassbox.engine.nn.HookHandle;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import dev.glassbox.instrument.report.HealthSections;
import dev.glassbox.instrument.report.HtmlReport;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.instrument.stats.HealthReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Notebook 3: the PyTorch MNIST example CNN (conv 20@5×5, max-pool, conv 50@5×5, max-pool, fc 500, fc 10), one
 * epoch of SGD, saved and reloaded (and the same network trained by PyTorch, loaded from its .pt state_dict);
 * forward hooks record the activations h1 … h6 after each relu, each pool and
 * the output for the test digits, and each is mapped with t-SNE.
 */
public final class Notebook03_CnnHooks {
    /** The notebook's names for the recorded activations, and the layers whose outputs they are. */
    static final Map<String, String> ACTIVATIONS = Map.of("h1", "relu1", "h2", "pool1", "h3", "relu2", "h4", "pool2",
            "h5", "relu3", "h6", "log_softmax");

    /**
     * What the notebook measured: the test accuracy of the CNN trained here, of the same CNN trained by PyTorch
     * (in Glassbox and as PyTorch measured it), the recorded activations' shapes and a t-SNE map of each.
     */
    record Result(double testAccuracy, double torchAccuracyHere, double torchAccuracyInPyTorch,
            Map<String, int[]> shapes, List<Tour.Embedded> maps, HealthReport health) implements Tour.Numbers {
        @Override
        public String summary() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "CNN test accuracy %.1f %%, .pt %.2f %%"
                    + " (PyTorch %.2f %%); KL/trust", 100 * testAccuracy, 100 * torchAccuracyHere,
                    100 * torchAccuracyInPyTorch));
            int i = 0;
            for (String h : shapes.keySet()) {
                Tour.Embedded m = maps.get(i++);
                line.append(String.format(Locale.ROOT, " %s %.2f/%.3f", h, m.klDivergence(), m.trustworthiness()));
            }
            return line.toString();
        }
    }

    private Notebook03_CnnHooks() {}

    static Result run(HtmlReport report, Tour.Settings settings) throws IOException {
        // 1. The model and its summary (parameter counts as torchsummary prints them).
        Sequential model = SeedModels.cnn(1);
        report.section("3. Hooks on the PyTorch example CNN");
        report.preformatted(model.summary(1, 28, 28));

        // 2. One epoch of SGD (lr 0.01, momentum 0.9, batch 64) on log-softmax + NLL, with a health monitor
        //    looking at every 10th step: dead ReLUs, update sizes, NaN/Inf.
        Dataset train = settings.train();
        HealthReport health;
        String watched;
        List<HealthSections.Captioned> curves;
        try (HealthMonitor monitor = HealthMonitor.attach(model, HealthMonitor.DEFAULT_KINDS, 10)) {
            Trainer.fit(model, Loss.nll(), new Sgd(model.trainableParameters(), 0.01f, 0.9f), train,
                    Trainer.Options.of(1, 64, 1), monitor, settings.trainingProgress(1));
            health = monitor.report();
            watched = HealthSections.watchedSteps(monitor);
            curves = HealthSections.curvesOverSteps(monitor);
        }

        // 3. Save and load.
        Path file = settings.out().resolve("notebook03/cnn.safetensors");
        ModelFile.save(model, file);
        Model loaded = ModelFile.load(file);
        double accuracy = Trainer.evaluate(loaded, Loss.nll(), settings.test(), 500).accuracy();
        report.paragraph(String.format(Locale.ROOT, "After one epoch on %d digits: %.1f %% on the test digits."
                + " Health of the layers during training (every 10th step):", train.size(), 100 * accuracy));
        report.findings(health.findings());
        report.table(HealthReport.COLUMNS, health.rows());
        // The same statistics over the steps: how each layer and parameter moved while the network learned.
        report.paragraph(watched);
        for (int i = 0; i < curves.size(); i++) {
            Tour.addFigure(report, settings, curves.get(i).figure(), Tour.MAP_DISPLAY_WIDTH, curves.get(i).caption(),
                    settings.out().resolve("notebook03/training-" + (i + 1)));
        }

        // 3b. The same architecture trained by PyTorch, loaded from its state_dict (.pt), runs to PyTorch's numbers.
        Path pt = settings.out().resolve("notebook03/seed_cnn_pytorch.pt");
        double ours;
        double torchAccuracy;
        try (InputStream in = Notebook03_CnnHooks.class.getResourceAsStream("seed_cnn_pytorch.pt");
                InputStream meta = Notebook03_CnnHooks.class.getResourceAsStream("seed_cnn_pytorch.json")) {
            Files.copy(in, pt, StandardCopyOption.REPLACE_EXISTING);
            torchAccuracy = new ObjectMapper().readTree(meta).get("test_accuracy").asDouble();
            Model fromTorch = StateDicts.load(pt, "cnn");
            ours = Trainer.evaluate(fromTorch, Loss.nll(), Mnist.test(), 500).accuracy();
            report.paragraph(String.format(Locale.ROOT, "The same CNN trained one epoch by PyTorch and saved with"
                    + " torch.save(model.state_dict()): loaded from the .pt file,"
                    + " it scores %.2f %% on the 2,000 shipped"
                    + " test digits in Glassbox; PyTorch measured %.2f %%.", 100 * ours, 100 * torchAccuracy));
        }

        // 4. Forward hooks record h1 … h6 for every batch of test digits; removing them leaves the model as it was.
        Dataset digits = settings.test().first(settings.digits());
        Map<String, List<Tensor>> batches = new LinkedHashMap<>();
        List<HookHandle> handles = new ArrayList<>();
        for (Map.Entry<String, String> e : sortedActivations().entrySet()) {
            List<Tensor> kept = batches.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
            handles.add(loaded.layer(e.getValue()).registerForwardHook((layer, in, out) -> kept.add(out.copy())));
        }
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < digits.size(); start += 250) {
                loaded.forward(digits.range(start, Math.min(digits.size(), start + 250)).inputs());
            }
        }
        handles.forEach(HookHandle::remove);

        // 5. t-SNE of each recorded activation.
        Map<String, int[]> shapes = new LinkedHashMap<>();
        List<Tour.Embedded> maps = new ArrayList<>();
        for (Map.Entry<String, List<Tensor>> e : batches.entrySet()) {
            Tensor all = Tensors.concat(0, e.getValue().toArray(new Tensor[0]));
            shapes.put(e.getKey(), all.shape());
            Tour.Embedded embedded = Tour.embed(e.getKey() + " (" + ACTIVATIONS.get(e.getKey()) + ", "
                    + Arrays.toString(all.shape()) + ")", all, digits, settings);
            embedded.addTo(report, settings, settings.out().resolve("notebook03/tsne-" + e.getKey()));
            maps.add(embedded);
        }
        return new Result(accuracy, ours, torchAccuracy, shapes, maps, health);
    }

    private static Map<String, String> sortedActivations() {
        Map<String, String> sorted = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            sorted.put("h" + i, ACTIVATIONS.get("h" + i));
        }
        return sorted;
    }

    /** Runs this notebook alone: {@code [--quick] [--out DIR]}, writing DIR/notebook03.html. */
    public static void main(String[] args) throws IOException {
        Tour.runAlone(args, "Notebook 3: CNN hooks", "notebook03.html", Notebook03_CnnHooks::run);
    }
}
