package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.ModelFile;
import dev.glassbox.engine.nn.HookHandle;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.Recordings;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.tsne.Metrics;
import dev.glassbox.tsne.Pca;
import dev.glassbox.tsne.TSne;
import dev.glassbox.tsne.TSneConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java examples of the README and of the t-SNE module's README, word for word, so that they compile against the
 * API as it is, and those that run in seconds run here. A test checks that every {@code java} block of those READMEs
 * appears in this file.
 */
class ReadmeApiTest {

    /** "Ten lines of API": compiled only (it trains a whole epoch and writes cnn.safetensors where it runs). */
    static void tenLinesOfApi() throws IOException {
        Sequential model = SeedModels.cnn(1);                  // conv 20@5x5, pool, conv 50@5x5, pool, fc 500, fc 10
        try (HealthMonitor health = HealthMonitor.attach(model)) {           // statistics of every layer, every step
            Trainer.fit(model, Loss.nll(), new Sgd(model.trainableParameters(), 0.01f, 0.9f), Mnist.train(),
                    Trainer.Options.of(1, 64, 1), health);     // 1 epoch, batch 64, shuffle seed 1
            System.out.println(health.report().toTable());     // per-layer statistics and findings
        }
        ModelFile.save(model, Path.of("cnn.safetensors"));     // JSON architecture + safetensors weights
    }

    @Test
    void theHookAndTheRecordingExamplesRunAsWritten() {
        Sequential model = SeedModels.cnn(1);
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            HookHandle handle = model.layer("relu1").registerForwardHook(
                    (layer, in, out) -> System.out.println(layer.name() + " " + Arrays.toString(out.shape())));
            Dataset test = Mnist.test().first(1000);
            model.forward(test.inputs());
            handle.close();
            model.forward(test.inputs());                      // the closed hook prints nothing more

            Recordings recorded = new Recordings();
            try (Recorder recorder = Recorder.attach(model, recorded)) {
                Loss.nll().compute(model.forward(test.inputs()), test.labels()).backward();
            }
            Tensor fc1 = Recordings.last(recorded.activations("fc1"));          // [1000, 500]
            float[][] map = TSne.run(Tensors.rows(fc1), TSneConfig.defaults());   // [1000, 2]

            assertArrayShape(new int[] {1000, 500}, fc1.shape());
            assertEquals(1000, map.length);
            assertEquals(2, map[0].length);
        } finally {
            System.setOut(saved);
        }
        assertEquals("relu1 [1000, 20, 24, 24]", printed.toString(StandardCharsets.UTF_8).strip());
    }

    /** The t-SNE module's README example, on {@code features} and their {@code labels}; returns its numbers. */
    static double[] tsneReadme(float[][] features, int[] labels) {
        float[][] x = Pca.fit(features, 50, 2).transform(features);      // optional: reduce to 50 dimensions first
        TSneConfig cfg = TSneConfig.builder().perplexity(30).method(TSneConfig.Method.AUTO).threads(2).build();
        float[][] y = TSne.run(x, cfg, (iteration, kl) -> System.out.printf("%4d  KL %.4f%n", iteration, kl));
        double trust = Metrics.trustworthiness(x, y, 10, 2);
        double accuracy = Metrics.knnAccuracy(y, labels, 10, 2);
        double kl = Metrics.klDivergence(x, y, 30, 2);                    // against the exact, dense P
        return new double[] {trust, accuracy, kl};
    }

    @Test
    void theTsneExampleRunsAsWritten() {
        Dataset digits = Mnist.test().first(300);
        PrintStream saved = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        double[] numbers;
        try {
            numbers = tsneReadme(Tensors.rows(digits.inputs()), digits.labels());
        } finally {
            System.setOut(saved);
        }
        assertTrue(numbers[0] > 0.85 && numbers[1] > 0.7 && numbers[2] > 0, Arrays.toString(numbers));
    }

    @Test
    void everyJavaBlockOfTheReadmesIsInThisFile() throws IOException {
        List<String> readme = new ArrayList<>(Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8));
        readme.addAll(Files.readAllLines(Path.of("..", "tsne", "README.md"), StandardCharsets.UTF_8));
        List<String> here = Files.readAllLines(Path.of("src", "test", "java", "dev", "glassbox", "examples",
                "ReadmeApiTest.java"), StandardCharsets.UTF_8).stream().map(String::strip).toList();
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        for (String line : readme) {
            if (line.strip().equals("```java")) {
                block = new ArrayList<>();
            } else if (block != null && line.strip().equals("```")) {
                blocks.add(block);
                block = null;
            } else if (block != null && !line.isBlank()) {
                block.add(line.strip());
            }
        }
        assertFalse(blocks.isEmpty(), "the README has no java blocks");
        for (List<String> lines : blocks) {
            assertTrue(java.util.Collections.indexOfSubList(here, lines) >= 0,
                    "this README block is not in ReadmeApiTest, so nothing compiles it:\n" + String.join("\n", lines));
        }
    }

    private static void assertArrayShape(int[] expected, int[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual));
    }
}
