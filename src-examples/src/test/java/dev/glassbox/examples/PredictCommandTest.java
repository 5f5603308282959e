package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glassbox predict} and {@code summary} on a Keras model of the shared fixtures, and on broken input. */
class PredictCommandTest {
    @TempDir Path dir;

    @Test
    void predictWritesTheOutputAndEveryLayerInKerasLayout() throws IOException {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Mnist.test().first(2).inputs().permute(0, 2, 3, 1).copy());       // NHWC, as Keras takes it
        Path y = dir.resolve("y.npy");
        Path layers = dir.resolve("layers");
        assertEquals(Glassbox.EXIT_OK, Glassbox.run("predict", fixture("mnist_cnn_k224.h5").toString(),
                "--input", x.toString(), "--output", y.toString(), "--layers", layers.toString()));
        Tensor probabilities = Npy.read(y);
        assertArrayEquals(new int[] {2, 10}, probabilities.shape());
        for (int n = 0; n < 2; n++) {
            float sum = 0;
            for (int k = 0; k < 10; k++) {
                sum += probabilities.get(n, k);
            }
            assertEquals(1, sum, 1e-4);
        }
        assertArrayEquals(new int[] {2, 26, 26, 32}, Npy.read(layers.resolve("conv2d_1.npy")).shape());
        assertArrayEquals(new int[] {2, 28, 28, 1}, Npy.read(layers.resolve("conv2d_1_input.npy")).shape());
        assertTrue(Files.exists(layers.resolve("dense_2.npy")));
    }

    /** The engine sees NCHW inside; the message also says what the user should give a Keras model. */
    @Test
    void aChannelsFirstInputToAKerasModelIsToldTheShapeTheModelTakes() throws IOException {
        Path x = dir.resolve("nchw.npy");
        Npy.write(x, Mnist.test().first(2).inputs());                                  // [2, 1, 28, 28]
        String printed = predictRejected(x);
        assertTrue(printed.contains("(shape [2, 1, 28, 28])")
                && printed.endsWith("; the model takes [batch, 28, 28, 1] (channels last, as Keras)"), printed);
    }

    /** A single flat example has no batch axis: refused, not taken as 784 one-value examples in batches. */
    @Test
    void anInputWithoutABatchAxisIsRefusedWithItsShape() throws IOException {
        Path x = dir.resolve("flat.npy");
        Npy.write(x, new Tensor(new float[784], 784));
        String printed = predictRejected(x);
        assertTrue(printed.contains("flat.npy has shape [784]") && printed.contains("x[None]"), printed);
        assertTrue(Files.notExists(dir.resolve("y.npy")));
    }

    /** Runs predict with the Keras CNN on {@code x}, expects exit status 2, and returns what it printed. */
    private String predictRejected(Path x) {
        String[] result = CommandLineRun.runWithErrors("predict", fixture("mnist_cnn_k224.h5").toString(), "--input",
                x.toString(), "--output", dir.resolve("y.npy").toString());
        String printed = result[2].strip();
        assertEquals(Integer.toString(Glassbox.EXIT_BAD_INPUT), result[0], printed);
        return printed;
    }

    @Test
    void summaryOfAKerasModelShowsNhwcShapes() {
        String out = capture(() -> assertEquals(Glassbox.EXIT_OK,
                Glassbox.run("summary", fixture("mnist_cnn_k224.h5").toString())));
        assertTrue(out.contains("26, 26, 32"), out);
    }

    @Test
    void evaluateOfTheKerasMlpReportsItsKnownAccuracy() {
        // the fixtures README: the trained seed MLP gets 1,763 of the 2,000 test digits right (0.8815); a digit
        // whose top two probabilities tie within float32 rounding may flip, so allow one either way
        String out = capture(() -> assertEquals(Glassbox.EXIT_OK,
                Glassbox.run("evaluate", fixture("seed_mlp_functional_k224.h5").toString())));
        var matcher = java.util.regex.Pattern.compile("test_accuracy=([0-9.]+)").matcher(out);
        assertTrue(matcher.find(), out);
        assertEquals(0.8815, Double.parseDouble(matcher.group(1)), 0.00051, out);
    }

    @Test
    void truncatedModelFileExitsWithTwo() throws IOException {
        Path broken = dir.resolve("broken.h5");
        byte[] bytes = Files.readAllBytes(fixture("seed_mlp_functional_k224.h5"));
        Files.write(broken, Arrays.copyOf(bytes, bytes.length / 3));
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("summary", broken.toString()));
    }

    @Test
    void stateDictWithoutArchitectureExitsWithTwo() throws IOException {
        Path pt = dir.resolve("weights.pt");
        Files.write(pt, new byte[] {(byte) 0x80, 2, 0x7d, 0x2e});                     // an empty dict
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("summary", pt.toString()));
    }

    private static String capture(Runnable run) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true));
        try {
            run.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString();
    }

    /** {@code shared/fixtures/NAME}: {@code -Dglassbox.shared}, else a {@code shared} folder above the working dir. */
    static Path fixture(String name) {
        String property = System.getProperty("glassbox.shared");
        if (property != null) {
            return Paths.get(property, "fixtures", name);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/fixtures"))) {
                return p.resolve("shared/fixtures").resolve(name);
            }
        }
        throw new IllegalStateException("shared/fixtures not found; set -Dglassbox.shared=DIR");
    }
}
