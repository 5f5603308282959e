package dev.glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.kernels.JvmOptions;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The performance suite's pieces that need neither a benchmark run nor Python: verdicts and script output. */
class SuitePartsTest {

    @Test
    void timesMeetTheirTargetAtOrBelowItAndThroughputsAtOrAbove() {
        // 3 s against 4 s is a ratio of 0.75: under a time target of 0.8, over a throughput target of 0.9.
        assertEquals("met", new Comparison("epoch", "s", 3, "PyTorch", 4, false, 0.8).status());
        assertEquals("missed", new Comparison("epoch", "s", 3.6, "PyTorch", 4, false, 0.8).status());
        assertEquals("missed", new Comparison("gemm", "GFLOP/s", 3, "torch.mm", 4, true, 0.9).status());
        assertEquals("met", new Comparison("gemm", "GFLOP/s", 3.6, "torch.mm", 4, true, 0.9).status());
        assertEquals("≤ 0.33", new Comparison("epoch", "s", 1, "PyTorch", 4, false, 0.33).targetText());
    }

    /** A benchmark class the suite does not list would never run in {@code glassbox bench}. */
    @Test
    void theSuiteListsEveryBenchmarkClass() throws IOException {
        String list;
        try (var in = SuitePartsTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertTrue(in != null, "JMH's annotation processor wrote no benchmark list");
            list = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.Set<String> classes = new java.util.TreeSet<>();
        var name = java.util.regex.Pattern.compile("dev\\.glassbox\\.bench\\.(\\w+Bench)\\b").matcher(list);
        while (name.find()) {
            classes.add(name.group(1));
        }
        java.util.Set<String> listed = new java.util.TreeSet<>();
        JmhSuite.ENTRIES.forEach(entry -> listed.add(entry.className()));
        assertTrue(classes.contains("StatisticsBench") && classes.size() >= 9, classes.toString());
        assertEquals(classes, listed);
    }

    @Test
    void everyForkGetsTheVectorModuleAndTheTrapLimitBesideTheCallersOptions() {
        // options given to JMH replace each benchmark's @Fork(jvmArgsAppend), so the suite must name both again
        for (SuiteMode mode : SuiteMode.values()) {
            var options = JmhSuite.options(mode, JmhSuite.ENTRIES.get(0), java.nio.file.Path.of("json"),
                    java.util.List.of("-Xmx2g"));
            var forkArgs = options.getJvmArgsAppend().get();
            assertTrue(forkArgs.containsAll(JvmOptions.RECOMMENDED), mode + ": " + forkArgs);
            assertTrue(forkArgs.contains("-Xmx2g"), mode + ": " + forkArgs);
        }
    }

    @Test
    void theQuickModeWarmsWholeTrainingStepsUpLongerThanKernels() {
        // a fresh fork's first seed-CNN step takes about 2 s; two 500 ms warm-ups left slow steps in the measurement
        assertTrue(JmhSuite.quickWarmupIterations(SuiteMode.QUICK, "RecordingBench") * SuiteMode.QUICK.warmupMillis
                >= 4000);
        assertTrue(JmhSuite.quickWarmupIterations(SuiteMode.QUICK, "TrainingStepBench")
                * SuiteMode.QUICK.warmupMillis >= 4000);
        assertEquals(SuiteMode.QUICK.warmupIterations, JmhSuite.quickWarmupIterations(SuiteMode.QUICK, "PoolBench"));
        assertEquals(SuiteMode.TINY.warmupIterations, JmhSuite.quickWarmupIterations(SuiteMode.TINY,
                "RecordingBench"));
    }

    @Test
    void aRowShownForScaleHasARatioButNoVerdict() {
        Comparison small = new Comparison("t-SNE N = 1,000", "s", 2, "scikit-learn", 4, false, Double.NaN);
        assertEquals("0.500", Comparison.format(small.ratio()));
        assertEquals("no target", small.status());
        assertEquals("—", small.targetText());
    }

    @Test
    void aMissingReferenceGivesNoRatioAndNoVerdict() {
        Comparison alone = new Comparison("t-SNE", "s", 12.5, "scikit-learn (not run)", Double.NaN, false, 0.35);
        assertEquals("n/a", alone.status());
        assertEquals("n/a", Comparison.format(alone.ratio()));
        assertEquals("12.5", Comparison.format(alone.glassbox()));
    }

    @Test
    void scriptOutputGivesNumbersAndVersionsFromTheLastJsonLine() throws IOException {
        String output = "a warning from numpy\n{\"seconds\": 1}\n"
                + "{\"torch\": \"1.13.0a0\", \"threads\": 2, \"cnn_epoch_s\": 3.25, \"tiny_s\": 1.5e-05}\n";
        PythonReference.Output parsed = PythonReference.parse("torch_seed_epochs.py", output);
        assertEquals("1.13.0a0", parsed.text("torch"));
        assertEquals(3.25, parsed.number("cnn_epoch_s"));
        assertEquals(1.5e-5, parsed.number("tiny_s"));
        IOException missing = assertThrows(IOException.class, () -> parsed.number("seconds"));
        assertTrue(missing.getMessage().contains("torch_seed_epochs.py"), missing.getMessage());
        assertThrows(IOException.class, () -> PythonReference.parse("x.py", "Traceback ...\nImportError: torch\n"));
    }

    @Test
    void statisticsRowUsesThePairedStepsWhenTheyRan() {
        // pairedSteps: 50 pairs, 1.2 s monitored and 1.0 s plain in all; the separate benchmarks disagree wildly
        var paired = new JmhSuite.Row("RecordingBench.pairedSteps", "threads=2", 44.0, 1.0, "ms/op",
                java.util.Map.of("pairs", 50.0, "monitoredNanos", 1.2e9, "plainNanos", 1.0e9));
        var monitored = new JmhSuite.Row("RecordingBench.monitored", "threads=2", 40.0, 9.0, "ms/op");
        var plain = new JmhSuite.Row("RecordingBench.plain", "threads=2", 20.0, 9.0, "ms/op");
        Comparison row = Comparisons.recording(java.util.List.of(monitored, plain, paired));
        assertEquals(24.0, row.glassbox(), 1e-9);
        assertEquals(20.0, row.referenceValue(), 1e-9);
        assertEquals(1.2, row.ratio(), 1e-9);
        assertEquals("missed", row.status());
        // without them, the separate benchmarks
        Comparison fallback = Comparisons.recording(java.util.List.of(monitored, plain));
        assertEquals(2.0, fallback.ratio(), 1e-9);
    }
}
