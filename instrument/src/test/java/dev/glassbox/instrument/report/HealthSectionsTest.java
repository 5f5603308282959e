package dev.glassbox.instrument.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.stats.HealthMonitor;
import org.junit.jupiter.api.Test;

class HealthSectionsTest {

    /** The page of a monitor that watched every {@code interval}-th of 8 steps of the seed CNN (32 digits each). */
    private static String pageOf(Recorder.Kinds kinds, int interval) {
        Sequential model = SeedModels.cnn(1);
        try (HealthMonitor monitor = HealthMonitor.attach(model, kinds, interval)) {
            Trainer.fit(model, Loss.nll(), new Sgd(model.trainableParameters(), 0.01f, 0.9f),
                    Mnist.train().first(256), Trainer.Options.of(1, 32, 1), monitor);
            assertEquals(interval, monitor.interval());
            assertEquals(8, monitor.losses().size(), "a loss for every batch");
            assertEquals((8 + interval - 1) / interval, monitor.parameters().get(0).gradientNormPerStep().size());
            HtmlReport report = new HtmlReport("health");
            HealthSections.addAll(report, monitor, monitor.report());
            return report.toHtml();
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void thePageShowsFindingsCurvesHistogramsAndTheTable() {
        String page = pageOf(HealthMonitor.DEFAULT_KINDS, 3);
        for (String heading : new String[] {"Findings", "Over the training steps", "Histograms", "Statistics"}) {
            assertTrue(page.contains("<h2 id=\"section-") && page.contains(">" + heading + "</h2>"), heading);
        }
        assertTrue(page.contains("Statistics taken at every 3 steps (steps 0, 3, 6, ...)"), "the interval is named");
        assertTrue(page.contains("the loss of every batch"));
        assertTrue(page.contains("each layer's mean |output|"));
        assertTrue(page.contains("the L2 norm of each parameter"));
        assertTrue(page.contains("‖Δw‖/‖w‖ of each optimizer step"));
        // Output gradients were not watched: no curve for them rather than an empty one.
        assertFalse(page.contains("mean |dL/d(output)|"), "no empty figure");
        // Four curves (loss, outputs, gradient norms, update ratios) and a histogram for each of the 12 layers.
        assertEquals(4 + 12, count(page, "<svg"));
        assertTrue(page.contains("conv1.kernel") && page.contains("log_softmax"), "every layer and parameter named");
    }

    @Test
    void watchedOutputGradientsGetTheirCurve() {
        String page = pageOf(Recorder.Kinds.LAYERS, 1);
        assertTrue(page.contains("Statistics taken at every step;"));
        assertTrue(page.contains("mean |dL/d(output)|"));
        assertEquals(5 + 12, count(page, "<svg"));
    }
}
