package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Mnist;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The five notebooks run end to end (quick mode, few training digits) and write one report. */
class TourTest {
    @TempDir Path dir;

    @Test
    void theTourWritesAReportWithEveryNotebook() throws Exception {
        Tour.Settings settings = new Tour.Settings(dir, Mnist.train().first(600), Mnist.test().first(400), true);
        Path report = Tour.run(settings);
        String html = Files.readString(report);
        for (String section : new String[] {"1. What each layer", "2. t-SNE", "3. Hooks", "4. Gradient flow",
            "5. What a convnet learns", "Total params: 431,080", "<svg", "PyTorch measured"}) {
            assertTrue(html.contains(section), "the report lacks " + section);
        }
        assertTrue(Files.exists(dir.resolve("visualize/index.html")));
        assertTrue(Files.exists(dir.resolve("notebook01/representations/hidden1.npy")));
        assertTrue(Files.exists(dir.resolve("notebook02/cnn.json")));
    }
}
