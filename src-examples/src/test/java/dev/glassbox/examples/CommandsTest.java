package dev.glassbox.examples;

import static dev.glassbox.examples.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void badInputExitsWithTwo() {
        assertEquals("2", run("evaluate", dir.resolve("missing.safetensors").toString())[0]);
        assertEquals("2", run("train", "--model", "mlp", "--optimizer", "lbfgs", "--save", "x.safetensors")[0]);
        assertEquals("2", run("tsne", dir.resolve("missing.npy").toString(), "--output", "e.npy")[0]);
        assertEquals("2", run("summary")[0]);
    }
}
