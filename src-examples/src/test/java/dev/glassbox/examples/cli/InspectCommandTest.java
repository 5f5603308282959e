package dev.glassbox.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.ModelFile;
import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.examples.Glassbox;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir Path dir;
    Path model;
    Path input;
    Path labels;

    @BeforeEach
    void saveASmallModelAndFourDigits() throws Exception {
        model = dir.resolve("mlp.safetensors");
        ModelFile.save(SeedModels.mlp(1), model);
        Dataset digits = Mnist.test().first(4);
        input = dir.resolve("x.npy");
        Npy.write(input, digits.inputs());
        float[] y = new float[4];
        for (int i = 0; i < 4; i++) {
            y[i] = digits.labels()[i];
        }
        labels = dir.resolve("y.npy");
        Npy.write(labels, new Tensor(y, 4));
    }

    @Test
    void inspectWritesActivationsGradientsStatsAndReport() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(Glassbox.EXIT_OK, Glassbox.run("inspect", model.toString(), "--input", input.toString(),
                "--target", labels.toString(), "--loss", "categorical_crossentropy", "--out", out.toString()));
        assertArrayEquals(new int[] {4, 100}, Npy.read(out.resolve("activations/hidden1.npy")).shape());
        assertArrayEquals(new int[] {784, 100}, Npy.read(out.resolve("gradients/hidden1/kernel.npy")).shape());
        assertArrayEquals(new int[] {10}, Npy.read(out.resolve("gradients/output/bias.npy")).shape());
        assertArrayEquals(new int[] {4, 1, 28, 28}, Npy.read(out.resolve("input-gradient.npy")).shape());
        String tsv = Files.readString(out.resolve("stats.tsv"));
        assertTrue(tsv.startsWith("name\tkind\tcount"), tsv);
        assertTrue(tsv.contains("hidden1.kernel\tgradient"), tsv);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("hidden3"), "report has charts and layers");
    }

    @Test
    void withoutATargetTheGradientsAreThoseOfTheOutputSum() throws Exception {
        Path out = dir.resolve("plain");
        assertEquals(Glassbox.EXIT_OK, Glassbox.run("inspect", model.toString(), "--input", input.toString(),
                "--out", out.toString()));
        assertTrue(Files.isRegularFile(out.resolve("gradients/hidden2/bias.npy")));
    }

    @Test
    void badArgumentsAndFilesExitWithTwo() throws Exception {
        String out = dir.resolve("bad").toString();
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("inspect", model.toString(), "--input",
                dir.resolve("missing.npy").toString(), "--out", out));
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "not numpy");
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("inspect", model.toString(), "--input", text.toString(),
                "--out", out));
        Path wrongShape = dir.resolve("wrong.npy");
        Npy.write(wrongShape, new Tensor(new float[12], 3, 4));
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("inspect", model.toString(), "--input",
                wrongShape.toString(), "--out", out));
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("inspect", model.toString(), "--input", input.toString(),
                "--loss", "mse", "--out", out));
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("inspect", model.toString(), "--input", input.toString(),
                "--target", labels.toString(), "--loss", "no_such_loss", "--out", out));
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("inspect", dir.resolve("none.safetensors").toString(),
                "--input", input.toString(), "--out", out));
    }

    @Test
    void aConvolutionalModelGetsFeatureMapsInItsReport() throws Exception {
        Path cnn = dir.resolve("cnn.safetensors");
        ModelFile.save(SeedModels.cnn(1), cnn);
        Path out = dir.resolve("cnn-out");
        assertEquals(Glassbox.EXIT_OK, Glassbox.run("inspect", cnn.toString(), "--input", input.toString(),
                "--target", labels.toString(), "--out", out.toString()));
        assertArrayEquals(new int[] {4, 20, 24, 24}, Npy.read(out.resolve("activations/conv1.npy")).shape());
        assertArrayEquals(new int[] {20, 1, 5, 5}, Npy.read(out.resolve("gradients/conv1/kernel.npy")).shape());
        assertTrue(Files.readString(out.resolve("report.html")).contains("Feature maps of the first example"));
    }

    /**
     * A JVM with a 96 MB heap inspecting the CNN on 2,000 digits (one pass keeps every layer's activations and
     * gradients: several hundred MB) ends with one line and exit status 2, not an OutOfMemoryError's stack trace.
     */
    @Test
    void anInputTooLargeForTheHeapGetsOneLineAndExitTwo() throws Exception {
        Path cnn = dir.resolve("cnn.safetensors");
        ModelFile.save(SeedModels.cnn(1), cnn);
        Path many = dir.resolve("many.npy");
        Npy.write(many, Mnist.test().first(2000).inputs());
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(launcher.toString(), "-Xmx96m", JvmOptions.VECTOR_MODULE,
                JvmOptions.TRAP_LIMIT, "-cp", System.getProperty("java.class.path"), Glassbox.class.getName(),
                "inspect", cnn.toString(), "--input", many.toString(), "--out", dir.resolve("too-much").toString())
                .redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Glassbox.EXIT_BAD_INPUT, process.waitFor(), printed);
        assertTrue(printed.contains("glassbox: inspect ran out of memory") && printed.contains("GLASSBOX_JAVA_OPTS"),
                printed);
        assertTrue(!printed.contains("\tat "), "no stack trace: " + printed);
    }
}
