package dev.glassbox.examples;

import static dev.glassbox.examples.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.tensor.Tensor;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end on small inputs: exit codes, files written, the machine-readable lines. */
class CommandsTest {
    @TempDir Path dir;

    @Test
    void trainSavesAModelThatSummaryEvaluateAndVisualizeOpen() throws Exception {
        Path model = dir.resolve("mlp.safetensors");
        String[] train = run("train", "--model", "mlp", "--epochs", "1", "--batch", "50", "--save", model.toString());
        assertEquals("0", train[0]);
        assertTrue(train[1].matches("(?s).*test_accuracy=0\\.\\d{4} test_loss=\\d+\\.\\d+\\s*"), train[1]);
        String[] summary = run("summary", model.toString());
        assertEquals("0", summary[0]);
        assertTrue(summary[1].contains("hidden1 (Dense)") && summary[1].contains("Total params: 99,710"), summary[1]);
        String[] evaluate = run("evaluate", model.toString());
        assertEquals("0", evaluate[0]);
        assertTrue(evaluate[1].contains("test_accuracy="), evaluate[1]);
    }

    @Test
    void trainWithHealthPrintsTheStatisticsAndWritesTheReport() throws Exception {
        Path model = dir.resolve("mlp.safetensors");
        Path health = dir.resolve("health");
        String[] train = run("train", "--model", "mlp", "--epochs", "1", "--batch", "50", "--health=20",
                "--health-report", health.toString(), "--save", model.toString());
        assertEquals("0", train[0], train[1]);
        List<String> lines = train[1].lines().toList();
        assertTrue(lines.get(0).startsWith("name") && lines.get(0).contains("mean|x|"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("hidden1.kernel") && l.contains("gradient")), train[1]);
        assertTrue(lines.get(lines.size() - 1).matches("test_accuracy=0\\.\\d{4} test_loss=\\d+\\.\\d+"), train[1]);
        String page = Files.readString(health.resolve("report.html"));
        assertTrue(page.contains("Statistics taken at every 20 steps") && page.contains("Update-to-weight ratio"));
        // A row for each of the MLP's 5 layers (its flatten too) and 8 parameters, below the header.
        assertEquals(1 + 5 + 8, Files.readAllLines(health.resolve("stats.tsv")).size());
        assertTrue(Files.exists(model));
    }

    /** A command line that cannot be parsed is one line naming the fault and where the help is, not the usage. */
    @Test
    void unparsableCommandLinesAreOneLineWithTheNearestName() {
        assertRejected("Invalid value for option '--epochs': 'abc' is not an int (see glassbox train --help)",
                "train", "--model", "mlp", "--epochs=abc", "--save", "m.safetensors");
        assertRejected("Unknown options: '--epoch', '3'; did you mean --epochs? (see glassbox train --help)",
                "train", "--model", "mlp", "--epoch", "3", "--save", "m.safetensors");
        assertRejected("Unmatched argument at index 0: 'trian'; did you mean train? (see glassbox --help)", "trian");
        assertRejected("Missing required parameter: 'MODEL' (see glassbox summary --help)", "summary");
    }

    @Test
    void trainRejectsABadHealthIntervalAndReportFolderBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        Path model = dir.resolve("m.safetensors");
        assertRejected("--health 0: watch every N-th step with N >= 1", "train", "--model", "mlp", "--health=0",
                "--save", model.toString());
        assertRejected("--health-report " + file + " is a file; expected a folder", "train", "--model", "mlp",
                "--health-report", file.toString(), "--save", model.toString());
        assertEquals(List.of("file.txt"), names(dir));
    }

    @Test
    void visualizeWritesThePageForAConvnet() throws Exception {
        Path model = dir.resolve("cnn.safetensors");
        dev.glassbox.engine.io.ModelFile.save(dev.glassbox.engine.nn.SeedModels.cnn(1), model);
        Path image = dir.resolve("digit.npy");
        Npy.write(image, Mnist.test().first(1).inputs().reshape(28, 28));
        String[] result = run("visualize", model.toString(), "--image", image.toString(), "--out",
                dir.resolve("vis").toString(), "--filters", "2", "--layers", "conv1,pool2");
        assertEquals("0", result[0], result[1]);
        assertTrue(Files.exists(dir.resolve("vis/index.html")));
        assertTrue(Files.exists(dir.resolve("vis/filters/pool2.png")));
    }

    @Test
    void tsneEmbedsRowsAndReportsQuality() throws Exception {
        Path input = dir.resolve("x.npy");
        Path labels = dir.resolve("y.npy");
        Path output = dir.resolve("emb.npy");
        var digits = Mnist.test().first(200);
        Npy.write(input, digits.inputs().reshape(200, 784));
        float[] y = new float[200];
        for (int i = 0; i < 200; i++) {
            y[i] = digits.labels()[i];
        }
        Npy.write(labels, new Tensor(y, 200));
        String[] result = run("tsne", input.toString(), "--output", output.toString(), "--iterations", "300",
                "--pca", "30", "--labels", labels.toString(), "--threads", "1", "--plot",
                dir.resolve("plot.svg").toString());
        assertEquals("0", result[0]);
        assertTrue(Files.readString(dir.resolve("plot.svg")).contains("<svg"));
        assertArrayEquals(new int[] {200, 2}, Npy.read(output).shape());
        assertTrue(result[1].contains("trustworthiness=") && result[1].contains("knn_accuracy="), result[1]);
    }

    /**
     * Bad input, settings or labels are reported before t-SNE starts: one line on standard error (no progress bar
     * drawn first) and no embedding written.
     */
    @Test
    void tsneRejectsBadInputBeforeItRuns() throws Exception {
        Path input = dir.resolve("x.npy");
        Path output = dir.resolve("emb.npy");
        float[] rows = new float[5 * 3];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i * 0.25f;
        }
        Npy.write(input, new Tensor(rows, 5, 3));
        Path nan = dir.resolve("nan.npy");
        rows[4] = Float.NaN;
        Npy.write(nan, new Tensor(rows, 5, 3));
        Path labels = dir.resolve("y.npy");
        Npy.write(labels, new Tensor(new float[4], 4));

        assertRejected("input has NaN at row 1 column 1", "tsne", nan.toString(), "--output", output.toString(),
                "--perplexity", "2");
        assertRejected("perplexity 30 must be below the number of points for the exact method, got 5 points",
                "tsne", input.toString(), "--output", output.toString());
        assertRejected("--labels " + labels + " holds 4 labels for 5 points", "tsne", input.toString(), "--output",
                output.toString(), "--perplexity", "2", "--labels", labels.toString());
        assertRejected("--plot needs --labels", "tsne", input.toString(), "--output", output.toString(),
                "--perplexity", "2", "--plot", dir.resolve("plot.svg").toString());
        assertTrue(Files.notExists(output));

        Path flat = dir.resolve("flat.npy");
        Npy.write(flat, new Tensor(new float[] {0, 1, 2, 3, 4}, 5));
        assertRejected("input " + flat + " has shape [5]: expected one point per row", "tsne", flat.toString(),
                "--output", output.toString(), "--perplexity", "2");
        assertTrue(Files.notExists(output));

        assertRejected("--method fft embeds in 2-D only, got --dims 3; use --method bh or exact for 3-D", "tsne",
                input.toString(), "--output", output.toString(), "--perplexity", "2", "--method", "fft", "--dims",
                "3");

        Path negative = dir.resolve("negative.npy");
        Npy.write(negative, new Tensor(new float[] {0, 1, -1, 0, 1}, 5));
        assertRejected("--labels " + negative + ": label -1.0 at row 2", "tsne", input.toString(), "--output",
                output.toString(), "--perplexity", "2", "--labels", negative.toString());
        assertTrue(Files.notExists(output));

        // The same input and settings, valid: it runs, and the quality measures use the neighbourhoods five
        // points have room for (2 for trustworthiness, 4 for the kNN accuracy), and say so.
        Path fine = dir.resolve("fine.npy");
        Npy.write(fine, new Tensor(new float[] {0, 1, 1, 0, 1}, 5));
        String[] result = run("tsne", input.toString(), "--output", output.toString(), "--perplexity", "2",
                "--iterations", "50", "--threads", "1", "--labels", fine.toString(), "--plot",
                dir.resolve("small.svg").toString());
        assertEquals("0", result[0]);
        assertTrue(result[1].matches("(?s)points=5 k=2,4 trustworthiness=[01]\\.\\d{4} knn_accuracy=[01]\\.\\d{4}\\s*"),
                result[1]);
        assertTrue(Files.exists(output) && Files.readString(dir.resolve("small.svg")).contains("<svg"));
    }

    /** Output files and folders are checked before any work: a save that would fail fails before training. */
    @Test
    void unwritableOutputsAreRejectedBeforeTheWork() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        Path x = dir.resolve("x.npy");
        Npy.write(x, new Tensor(new float[30], 10, 3));
        assertRejected("--save " + folder + " is a folder", "train", "--model", "mlp", "--save", folder.toString());
        assertRejected("--save " + dir.resolve("m.json") + ": a model is saved as NAME.safetensors", "train",
                "--model", "mlp", "--save", dir.resolve("m.json").toString());
        assertRejected("--save " + file.resolve("m.safetensors") + ": " + file + " is a file, not a folder",
                "train", "--model", "mlp", "--save", file.resolve("m.safetensors").toString());
        assertRejected("--output " + folder + " is a folder", "tsne", x.toString(), "--output", folder.toString());
        assertRejected("--out " + file + " is a file; expected a folder", "tour", "--out", file.toString());
        assertRejected("--layers " + file + " is a file", "predict", x.toString(), "--input", x.toString(),
                "--output", dir.resolve("y.npy").toString(), "--layers", file.toString());
        assertEquals(List.of("file.txt", "folder", "x.npy"), names(dir));
    }

    @Test
    void emptyInputsAndModelsThatCannotDoTheJobAreRefusedFirst() throws Exception {
        Path mlp = dir.resolve("mlp.safetensors");
        dev.glassbox.engine.io.ModelFile.save(dev.glassbox.engine.nn.SeedModels.mlp(1), mlp);
        Path empty = dir.resolve("empty.npy");
        Npy.write(empty, new Tensor(new float[0], 0, 28, 28));
        Path digit = dir.resolve("digit.npy");
        Npy.write(digit, Mnist.test().first(1).inputs().reshape(28, 28));
        assertRejected("--input " + empty + " holds no values (shape [0, 28, 28])", "predict", mlp.toString(),
                "--input", empty.toString(), "--output", dir.resolve("y.npy").toString());
        assertRejected("--input " + empty + " holds no values (shape [0, 28, 28])", "inspect", mlp.toString(),
                "--input", empty.toString(), "--out", dir.resolve("inspect").toString());
        assertRejected("model 'seed_mlp' has no Conv2D layer", "visualize", mlp.toString(), "--image",
                digit.toString(), "--out", dir.resolve("vis").toString());
        assertRejected(mlp + " is a Glassbox model with its own architecture; --arch is for PyTorch state_dicts",
                "summary", mlp.toString(), "--arch", "cnn");
        Path shaped = dir.resolve("shaped.npy");
        Npy.write(shaped, new Tensor(new float[10], 1, 10));
        assertRejected("unknown loss 'bogus'", "inspect", mlp.toString(), "--input", digit.toString(), "--target",
                shaped.toString(), "--loss", "bogus", "--out", dir.resolve("inspect").toString());
        assertTrue(Files.notExists(dir.resolve("y.npy")) && Files.notExists(dir.resolve("vis")));
    }

    @Test
    void aFileTheSystemRefusesIsNamedWithItsReason() {
        assertEquals("/a/b: permission denied", Glassbox.describe(new AccessDeniedException("/a/b")));
        assertEquals("/t -> /u: Is a directory", Glassbox.describe(new FileSystemException("/t", "/u",
                "Is a directory")));
    }

    private static List<String> names(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertRejected(String message, String... args) {
        String[] result = CommandLineRun.runWithErrors(args);
        String printed = result[2];
        assertEquals("2", result[0], printed);
        assertEquals(1, printed.lines().count(), printed);
        assertTrue(printed.startsWith("glassbox: " + message), printed);
    }

    /**
     * A run whose loss turns NaN still saves its model and prints its last line, but says on standard error where
     * training diverged; impossible epochs and batch sizes are refused before the data is read.
     */
    @Test
    void aDivergingRunSaysWhereItsLossWasFirstNotFinite() throws Exception {
        Path model = dir.resolve("diverged.safetensors");
        String[] result = CommandLineRun.runWithErrors("train", "--model", "mlp", "--epochs", "1", "--batch", "50",
                "--lr", "1", "--momentum", "3", "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(Files.exists(model));
        assertTrue(result[1].strip().endsWith("test_loss=NaN"), result[1]);
        assertTrue(result[2].matches("(?s).*glassbox: warning: training diverged: the loss was (NaN|Infinity) first"
                + " at epoch 1, batch \\d+ of 160;.*"), result[2]);
        String[] healthy = CommandLineRun.runWithErrors("train", "--model", "mlp", "--epochs", "1", "--batch", "50",
                "--save", model.toString());
        assertFalse(healthy[2].contains("training diverged"), healthy[2]);

        assertRejected("--batch must be at least 1, got 0", "train", "--model", "mlp", "--batch", "0", "--save",
                model.toString());
        assertRejected("--epochs must be at least 0, got -1", "train", "--model", "mlp", "--epochs", "-1", "--save",
                model.toString());
    }

    @Test
    void badInputExitsWithTwo() {
        assertEquals("2", run("evaluate", dir.resolve("missing.safetensors").toString())[0]);
        assertEquals("2", run("train", "--model", "mlp", "--optimizer", "lbfgs", "--save", "x.safetensors")[0]);
        assertEquals("2", run("tsne", dir.resolve("missing.npy").toString(), "--output", "e.npy")[0]);
        assertEquals("2", run("summary")[0]);
    }
}
