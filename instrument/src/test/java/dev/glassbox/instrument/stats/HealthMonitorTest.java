package dev.glassbox.instrument.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Initializers;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.Recordings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

    private static String findings(HealthMonitor monitor) {
        return monitor.report().findings().toString();
    }

    @Test
    void streamingStatisticsMatchATwoPassComputationOnTheStoredTensors() {
        Model model = SeedModels.cnn(2);
        Dataset data = Mnist.train().first(96);
        Recordings recordings = new Recordings();
        try (HealthMonitor monitor = HealthMonitor.attach(model, Recorder.Kinds.ALL);
                Recorder ignored = Recorder.attach(model, recordings)) {
            Trainer.fit(model, Loss.nll(), new Sgd(model.trainableParameters(), 0.05f), data,
                    Trainer.Options.of(1, 32, 1), monitor);
            for (LayerHealth layer : monitor.layers()) {
                assertMatchesTwoPass(layer.name(), recordings.activations(layer.name()), layer.activations());
                assertMatchesTwoPass(layer.name() + " gradient", recordings.outputGradients(layer.name()),
                        layer.outputGradients());
            }
            for (ParameterHealth p : monitor.parameters()) {
                List<Tensor> grads = recordings.parameterGradients(p.name());
                assertMatchesTwoPass(p.name(), grads, p.gradients());
                assertEquals(3, p.gradientNormPerStep().size());
                assertEquals(3, p.updateRatioPerStep().size());
                double norm = 0;
                for (float g : Recordings.last(grads).data()) {
                    norm += (double) g * g;
                }
                assertEquals(Math.sqrt(norm), p.gradientNormPerStep().last(), 1e-9 * Math.sqrt(norm));
            }
            assertEquals(3, monitor.losses().size());
        }
        model.layers().forEach(l -> assertFalse(l.hasHooks(), l + " still has hooks"));
    }

    /**
     * With two engine threads the monitor's arithmetic runs in pieces on the pool's idle worker and at the next
     * step's start; with one it runs in the hooks. Training itself gives the same bits on any thread count, so
     * every statistic must too: bit for bit, whichever thread ran which piece.
     */
    @Test
    void statisticsAreTheSameBitsWithOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            List<Double> one = monitoredRun();
            Parallel.setThreads(2);
            List<Double> two = monitoredRun();
            assertEquals(one.size(), two.size());
            for (int i = 0; i < one.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(one.get(i)), Double.doubleToRawLongBits(two.get(i)),
                        "statistic " + i + ": " + one.get(i) + " with 1 thread, " + two.get(i) + " with 2");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * With two threads a step's statistics may still be queued when the step returns; {@code flush} finishes them,
     * so statistics read from objects taken before the steps (which do not drain the queue themselves) are whole.
     */
    @Test
    void flushFinishesTheStatisticsAStepQueued() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            Sequential model = SeedModels.cnn(3);
            Sgd optimizer = new Sgd(model.trainableParameters(), 0.05f, 0.9f);
            try (HealthMonitor monitor = HealthMonitor.attach(model)) {
                RunningStats conv1 = monitor.layers().get(1).activations();
                RunningStats fc1Kernel = monitor.parameters().get(4).gradients();
                assertEquals("conv1", monitor.layers().get(1).layer().name());
                assertEquals("fc1.kernel", monitor.parameters().get(4).name());
                for (int step = 0; step < 3; step++) {
                    trainingStep(model, optimizer, monitor, Mnist.train().range(64 * step, 64 * step + 64));
                    monitor.flush();
                    assertEquals((step + 1) * 64L * 20 * 24 * 24, conv1.count(), "conv1 outputs after step " + step);
                    assertEquals((step + 1) * 800L * 500, fc1Kernel.count(), "fc1 gradients after step " + step);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** One SGD step on {@code batch} with the NLL loss, closed with {@code monitor.stepFinished()}. */
    private static void trainingStep(Sequential model, Sgd optimizer, HealthMonitor monitor, Dataset batch) {
        Tensor loss = Losses.nll(model.forward(batch.inputs()), batch.labels());
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        monitor.stepFinished();
    }

    /** Five seed-CNN steps under a full monitor, its epoch closed after three: every number it then holds. */
    private static List<Double> monitoredRun() {
        Sequential model = SeedModels.cnn(3);
        Sgd optimizer = new Sgd(model.trainableParameters(), 0.05f, 0.9f);
        List<Double> numbers = new ArrayList<>();
        try (HealthMonitor monitor = HealthMonitor.attach(model, Recorder.Kinds.ALL)) {
            for (int step = 0; step < 5; step++) {
                trainingStep(model, optimizer, monitor, Mnist.train().range(32 * step, 32 * step + 32));
                if (step == 2) {
                    monitor.epochFinished();
                }
            }
            for (LayerHealth layer : monitor.layers()) {
                addAll(numbers, layer.activations());
                addAll(numbers, layer.outputGradients());
                numbers.add(layer.deadFraction());
                numbers.add(layer.saturatedFraction());
                for (double v : layer.meanAbsActivationPerStep().toArray()) {
                    numbers.add(v);
                }
                for (double v : layer.meanAbsGradientPerStep().toArray()) {
                    numbers.add(v);
                }
            }
            for (ParameterHealth p : monitor.parameters()) {
                addAll(numbers, p.gradients());
                for (double v : p.gradientNormPerStep().toArray()) {
                    numbers.add(v);
                }
                for (double v : p.updateRatioPerStep().toArray()) {
                    numbers.add(v);
                }
            }
            addAll(numbers, monitor.inputGradients());
        }
        return numbers;
    }

    private static void addAll(List<Double> numbers, RunningStats stats) {
        numbers.add((double) stats.count());
        numbers.add(stats.mean());
        numbers.add(stats.std());
        numbers.add(stats.meanAbs());
        numbers.add(stats.min());
        numbers.add(stats.max());
        numbers.add(stats.zeroFraction());
        numbers.add((double) stats.underflow());
        numbers.add((double) stats.overflow());
        for (long bin : stats.histogram()) {
            numbers.add((double) bin);
        }
    }

    /** Mean and std by the textbook two passes over all values, min, max, zeros and the histogram by counting. */
    private static void assertMatchesTwoPass(String what, List<Tensor> tensors, RunningStats stats) {
        double sum = 0;
        double abs = 0;
        long n = 0;
        long zeros = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Tensor t : tensors) {
            for (float v : t.data()) {
                sum += v;
                abs += Math.abs(v);
                n++;
                zeros += v == 0 ? 1 : 0;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double mean = sum / n;
        double squares = 0;
        long[] histogram = new long[stats.histogram().length];
        double width = (stats.histogramHigh() - stats.histogramLow()) / histogram.length;
        long outside = 0;
        for (Tensor t : tensors) {
            for (float v : t.data()) {
                squares += (v - mean) * (v - mean);
                int bin = (int) ((v - stats.histogramLow()) / width);
                if (v < stats.histogramLow() || bin >= histogram.length) {
                    outside++;
                } else {
                    histogram[bin]++;
                }
            }
        }
        double scale = Math.max(1e-30, Math.abs(mean) + Math.sqrt(squares / n));
        assertEquals(n, stats.count(), what);
        assertEquals(mean, stats.mean(), 1e-9 * scale, what + " mean");
        assertEquals(Math.sqrt(squares / n), stats.std(), 1e-6 * scale, what + " std");
        assertEquals(abs / n, stats.meanAbs(), 1e-9 * Math.max(1e-30, abs / n), what + " mean |x|");
        assertEquals(min, stats.min(), what + " min");
        assertEquals(max, stats.max(), what + " max");
        assertEquals((double) zeros / n, stats.zeroFraction(), 1e-15, what + " zeros");
        assertEquals(outside, stats.underflow() + stats.overflow(), what + " outside the histogram");
        assertArrayEquals(histogram, stats.histogram(), what + " histogram");
    }

    @Test
    void updateRatioIsTheNormOfTheChangeOverTheNormOfTheWeightsBefore() {
        Model model = SeedModels.mlp(4);
        Dataset data = Mnist.train().first(32);
        Sgd optimizer = new Sgd(model.trainableParameters(), 0.1f, 0.9f);
        try (HealthMonitor monitor = HealthMonitor.attach(model)) {
            for (int step = 0; step < 3; step++) {
                Tensor loss = Losses.nll(model.forward(data.inputs()), data.labels());
                optimizer.zeroGrad();
                loss.backward();
                List<float[]> before = monitor.parameters().stream()
                        .map(p -> p.parameter().value().data().clone()).toList();
                optimizer.step();
                monitor.stepFinished();
                for (int k = 0; k < before.size(); k++) {
                    ParameterHealth p = monitor.parameters().get(k);
                    float[] w = p.parameter().value().data();
                    double change = 0;
                    double size = 0;
                    for (int i = 0; i < w.length; i++) {
                        change += ((double) w[i] - before.get(k)[i]) * ((double) w[i] - before.get(k)[i]);
                        size += (double) before.get(k)[i] * before.get(k)[i];
                    }
                    if (size == 0) {
                        assertTrue(Double.isNaN(p.updateRatioPerStep().last()), p.name() + " was all zeros");
                    } else {
                        double expected = Math.sqrt(change / size);
                        assertEquals(expected, p.updateRatioPerStep().last(), 1e-12 * expected, p.name());
                    }
                }
            }
        }
    }

    /**
     * Too large a learning rate shows in the weights' update ratios; the seed MLP's zero-initialised biases, whose
     * ratios stay above 0.1 at a fitting learning rate (0.36–0.48 over its first 50 steps at 0.1), are not judged.
     */
    @Test
    void updateRatioFindingsJudgeWeightsNotBiases() {
        try (HealthMonitor monitor = watchOneEpochOfTheMlp(0.1f)) {
            List<Double> biasRatios = monitor.parameters().stream().filter(p -> p.name().endsWith("bias"))
                    .map(p -> p.updateRatioPerStep().mean()).toList();
            assertTrue(biasRatios.stream().allMatch(r -> r > HealthReport.UPDATE_RATIO_HIGH),
                    "were biases judged, each would be reported: " + biasRatios);
            assertFalse(findings(monitor).contains("update/weight ratio"), findings(monitor));
        }
        try (HealthMonitor monitor = watchOneEpochOfTheMlp(20f)) {
            assertTrue(findings(monitor).contains("output.kernel: mean update/weight ratio"), findings(monitor));
        }
    }

    /** A monitor that watched the seed MLP's SGD over 500 digits, batch 10. */
    private static HealthMonitor watchOneEpochOfTheMlp(float learningRate) {
        Model model = SeedModels.mlp(1);
        HealthMonitor monitor = HealthMonitor.attach(model);
        Trainer.fit(model, Loss.categoricalCrossEntropy(), new Sgd(model.trainableParameters(), learningRate),
                Mnist.train().first(500), Trainer.Options.of(1, 10, 1), monitor);
        return monitor;
    }

    @Test
    void aTanhNetWithWeightsOfStd200IsReportedSaturated() {
        Model model = SeedModels.deep("tanh", Initializers.randomNormal(0, 200), 1);
        try (HealthMonitor monitor = HealthMonitor.attach(model)) {
            model.forward(Tensors.randn(new SplittableRandom(2), 8, 20));
            String findings = findings(monitor);
            for (int k = 2; k <= 10; k++) {
                assertTrue(findings.contains("dense_" + k + ": "), findings);
            }
            assertTrue(monitor.layers().get(5).saturatedFraction() > 0.9, findings);
            assertTrue(findings.contains("saturated"), findings);
        }
    }

    @Test
    void aReluLayerWithALargeNegativeBiasIsReportedDead() {
        SplittableRandom random = new SplittableRandom(3);
        Dense first = new Dense("first", 20, 30, "relu");
        Dense doomed = new Dense("doomed", 30, 30, "relu");
        doomed.parameter("bias").set(Tensors.full(-100f, 30));
        Model model = new Sequential(first, doomed, new Dense("out", 30, 1));
        try (HealthMonitor monitor = HealthMonitor.attach(model)) {
            for (int step = 0; step < 3; step++) {
                model.forward(Tensors.randn(random, 16, 20));
            }
            assertTrue(findings(monitor).contains("doomed: 100 % dead units (zero for every one of the 48 examples"
                    + " seen, no epoch finished"), findings(monitor));
            monitor.epochFinished();
            model.forward(Tensors.randn(random, 5, 20));     // the next epoch, unfinished: the finding stays the last
            LayerHealth health = monitor.layers().get(1);
            assertEquals(1.0, health.deadFraction());
            assertEquals(48, health.deadFractionExamples());
            String findings = findings(monitor);
            assertTrue(findings.contains("doomed: 100 % dead units (zero for every one of the last epoch's 48"
                    + " examples"), findings);
            assertFalse(findings.contains("first:"), findings);
        }
        try (HealthMonitor monitor = HealthMonitor.attach(model)) {
            model.forward(Tensors.randn(random, 1, 20));
            assertTrue(findings(monitor).contains("doomed: 100 % dead units (zero for the one example seen, no epoch"
                    + " finished"), findings(monitor));
        }
    }

    @Test
    void aLearningRateOfTenReportsTheFirstNanStepAndPlace() {
        Model model = SeedModels.deep("relu", Initializers.randomNormal(0, 1), 4);
        SplittableRandom random = new SplittableRandom(5);
        Tensor x = Tensors.randn(random, 16, 20);
        Tensor target = Tensors.randn(random, 16, 1);
        Sgd optimizer = new Sgd(model.trainableParameters(), 10f);
        try (HealthMonitor monitor = HealthMonitor.attach(model)) {
            for (int step = 0; step < 40 && monitor.firstNaN() == null; step++) {
                Tensor loss = Losses.mse(model.forward(x), target);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                monitor.stepFinished();
            }
            HealthMonitor.NonFinite nan = monitor.firstNaN();
            assertNotNull(nan, "no NaN within 40 steps at lr 10");
            assertTrue(nan.step() > 0, nan.toString());
            assertTrue(model.layers().stream().map(Layer::name).anyMatch(nan.where()::startsWith), nan.where());
            String findings = findings(monitor);
            assertTrue(findings.contains("NaN first seen in " + nan.where() + " at step " + nan.step()), findings);
            HealthMonitor.NonFinite first = monitor.firstNonFinite();
            assertTrue(first.step() <= nan.step(), "the first non-finite value comes no later than the first NaN");
        }
    }

    @Test
    void aMonitorWithAnIntervalWatchesOnlyEveryKthTrainingStepAndNoValidationPass() {
        Model model = SeedModels.mlp(1);
        Dataset data = Mnist.train().first(50);
        try (HealthMonitor monitor = HealthMonitor.attach(model, HealthMonitor.DEFAULT_KINDS, 2)) {
            Trainer.fit(model, Loss.categoricalCrossEntropy(), new Sgd(model.trainableParameters(), 0.1f), data,
                    Trainer.Options.of(1, 10, 1).withValidation(data.first(20)), monitor);
            assertEquals(5, monitor.losses().size(), "every batch's loss");
            assertEquals(3, monitor.layers().get(1).meanAbsActivationPerStep().size(), "steps 0, 2, 4");
            assertEquals(3, monitor.parameters().get(0).updateRatioPerStep().size(), "steps 0, 2, 4");
            assertEquals(3 * 10 * 100, monitor.layers().get(1).activations().count());
        }
    }
}
