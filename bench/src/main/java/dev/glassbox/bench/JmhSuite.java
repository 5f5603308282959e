package dev.glassbox.bench;

import dev.glassbox.engine.kernels.JvmOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH benchmarks of this module as one suite, run programmatically ({@link Runner} with
 * {@link OptionsBuilder}), one benchmark class at a time: a class that is not in this build is skipped with a note,
 * and one that fails does not stop the others. Each class's raw JMH results are kept as
 * {@code DIR/jmh/<class>.json} (JMH's JSON format, for JMH visualisers or a later comparison).
 */
public final class JmhSuite {

    /**
     * One benchmark class; its quick slice is the methods matching {@code quickMethods} with the parameters in
     * {@code quickParams} (a parameter not named keeps all its values), warmed up for at least
     * {@code quickWarmupIterations} (0: the mode's own count).
     */
    record Entry(String className, boolean inQuick, String quickMethods, Map<String, String[]> quickParams,
                 int quickWarmupIterations) {
        Entry(String className, boolean inQuick, String quickMethods, Map<String, String[]> quickParams) {
            this(className, inQuick, quickMethods, quickParams, 0);
        }
    }

    /**
     * Warm-up iterations of the quick mode for whole training steps. A fresh fork's first seed-CNN step takes
     * about 2 s (every Vector API kernel still interpreted), and the step settles only after 3–4 s: with the
     * mode's 2 × 500 ms, the measured iterations still held those slow steps (a monitored step measured
     * 145 ± 1990 ms against 20–26 ms settled).
     */
    private static final int STEP_WARMUP_ITERATIONS = 10;

    /** Every class of the suite; the quick slices keep the seed CNN's shapes and the two-thread variants. */
    static final List<Entry> ENTRIES = List.of(
            new Entry("FmaPeakBench", true, ".*", Map.of()),
            new Entry("SgemmBench", true, "sgemm", Map.of("backend", new String[] {"vector"},
                    "shape", new String[] {"SQUARE_1024", "CONV2_FORWARD"}, "threads", new String[] {"1", "2"})),
            new Entry("Conv2DBench", true, ".*", Map.of()),
            new Entry("PoolBench", true, ".*", Map.of()),
            new Entry("TrainingStepBench", true, "cnnStepBatch64|mlpStepBatch10|cnnInference1000",
                    Map.of("threads", new String[] {"2"}),
                    STEP_WARMUP_ITERATIONS),
            new Entry("RecordingBench", true, "plain|monitored|pairedSteps", Map.of("threads", new String[] {"2"}),
                    STEP_WARMUP_ITERATIONS),
            // Each fork of TsneGradientBench first runs a whole t-SNE at N = 10,000 for its embedding, so the quick
            // slice keeps one fork: Barnes-Hut on two threads.
            new Entry("TsneGradientBench", true, ".*", Map.of("method", new String[] {"BARNES_HUT"},
                    "threads", new String[] {"2"})),
            new Entry("StatisticsBench", true, ".*", Map.of("threads", new String[] {"1"})),
            new Entry("KerasLoadBench", false, ".*", Map.of()));

    /** The tiny mode's one benchmark: pool2's forward, the cheapest thing in the suite. */
    private static final Entry TINY = new Entry("PoolBench", true, "forward", Map.of("layer", new String[] {"pool2"}));

    private static final String PACKAGE = "dev.glassbox.bench.";

    /**
     * One benchmark result: the method, its parameters, the score with its 99.9 % error, the unit, and the
     * secondary results by name (JMH's auxiliary counters, such as {@link RecordingBench.PairedClock}'s).
     */
    public record Row(String benchmark, String params, double score, double error, String unit,
                      Map<String, Double> secondary) {
        public Row(String benchmark, String params, double score, double error, String unit) {
            this(benchmark, params, score, error, unit, Map.of());
        }
    }

    private JmhSuite() {}

    /**
     * Runs the suite for {@code mode}, printing one progress line per class to {@code log}; extra JVM arguments
     * (such as {@code -Dglassbox.blas=...}) go to every forked JVM.
     */
    static List<Row> run(SuiteMode mode, Path jsonDir, List<String> jvmArgs, PrintStream log, List<String> notes)
            throws IOException {
        Files.createDirectories(jsonDir);
        List<Row> rows = new ArrayList<>();
        List<Entry> entries = mode == SuiteMode.TINY ? List.of(TINY)
                : ENTRIES.stream().filter(e -> mode != SuiteMode.QUICK || e.inQuick()).toList();
        for (Entry entry : entries) {
            if (!present(entry.className())) {
                notes.add(entry.className() + " is not in this build: skipped.");
                log.println("  " + entry.className() + ": not in this build, skipped");
                continue;
            }
            long start = System.nanoTime();
            log.printf(Locale.ROOT, "  %s ...%n", entry.className());
            PrintStream savedOut = System.out;
            PrintStream savedErr = System.err;
            System.setOut(withoutIncubatorNotice(savedOut));
            System.setErr(withoutIncubatorNotice(savedErr));
            try {
                Collection<RunResult> results = new Runner(options(mode, entry, jsonDir, jvmArgs)).run();
                results.forEach(r -> rows.add(row(r)));
                log.printf(Locale.ROOT, "  %s: %d results in %.0f s%n", entry.className(), results.size(),
                        (System.nanoTime() - start) / 1e9);
            } catch (RunnerException e) {
                String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                notes.add(entry.className() + " failed: " + why);
                log.println("  " + entry.className() + " failed: " + why);
            } finally {
                System.setOut(savedOut);
                System.setErr(savedErr);
            }
        }
        return rows;
    }

    /**
     * {@code target} without the JDK's "WARNING: Using incubator modules" line, which every forked JVM prints
     * because it loads the Vector API; JMH passes the forks' output through even when it is told to be silent.
     */
    private static PrintStream withoutIncubatorNotice(PrintStream target) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                line.write(b);
                if (b == '\n') {
                    flush();
                }
            }

            @Override
            public void flush() {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (!text.startsWith("WARNING: Using incubator modules")) {
                    target.print(text);
                    target.flush();
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static boolean present(String className) {
        try {
            Class.forName(PACKAGE + className, false, JmhSuite.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static org.openjdk.jmh.runner.options.Options options(SuiteMode mode, Entry entry, Path jsonDir,
            List<String> jvmArgs) {
        boolean slice = mode != SuiteMode.FULL;
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + PACKAGE.replace(".", "\\.") + entry.className() + "\\.("
                        + (slice ? entry.quickMethods() : ".*") + ")$")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .result(jsonDir.resolve(entry.className() + ".json").toString())
                .resultFormat(ResultFormatType.JSON);
        // Options given here replace the annotation's jvmArgsAppend, so the module and the trap limit are named again.
        List<String> forkArgs = new ArrayList<>(JvmOptions.RECOMMENDED);
        forkArgs.addAll(jvmArgs);
        options.jvmArgsAppend(forkArgs.toArray(String[]::new));
        if (slice) {
            entry.quickParams().forEach(options::param);
        }
        if (!mode.keepsAnnotations()) {
            options.forks(mode.forks)
                    .warmupIterations(warmupIterations(mode, entry))
                    .warmupTime(TimeValue.milliseconds(Math.max(1, mode.warmupMillis)))
                    .measurementIterations(mode.measurementIterations)
                    .measurementTime(TimeValue.milliseconds(mode.measurementMillis));
        }
        return options.build();
    }

    /** The warm-up iterations {@code mode} gives {@code entry}'s benchmarks (when it sets them at all). */
    private static int warmupIterations(SuiteMode mode, Entry entry) {
        return mode == SuiteMode.QUICK ? Math.max(mode.warmupIterations, entry.quickWarmupIterations())
                : mode.warmupIterations;
    }

    /** The same for the class named {@code className}, for the report's description of the run. */
    static int quickWarmupIterations(SuiteMode mode, String className) {
        return ENTRIES.stream().filter(e -> e.className().equals(className)).findFirst()
                .map(e -> warmupIterations(mode, e)).orElse(mode.warmupIterations);
    }

    private static Row row(RunResult result) {
        var params = result.getParams();
        String name = params.getBenchmark().substring(PACKAGE.length());
        StringBuilder keys = new StringBuilder();
        for (String key : params.getParamsKeys()) {
            keys.append(keys.length() == 0 ? "" : " ").append(key).append('=').append(params.getParam(key));
        }
        var primary = result.getPrimaryResult();
        Map<String, Double> secondary = new java.util.TreeMap<>();
        result.getSecondaryResults().forEach((label, r) -> secondary.put(label, r.getScore()));
        return new Row(name, keys.toString(), primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
                Map.copyOf(secondary));
    }

    /**
     * The secondary result {@code name} of {@code benchmark} with exactly {@code params}, or NaN when it did not
     * run or has no such result.
     */
    static double secondary(List<Row> rows, String benchmark, String params, String name) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark) && r.params().equals(params))
                .mapToDouble(r -> r.secondary().getOrDefault(name, Double.NaN)).findFirst().orElse(Double.NaN);
    }

    /** The score of {@code benchmark} (class.method) with exactly {@code params}, or NaN when it did not run. */
    static double score(List<Row> rows, String benchmark, String params) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark) && r.params().equals(params))
                .mapToDouble(Row::score).findFirst().orElse(Double.NaN);
    }
}

// Used by PerformanceSuite; run it as bench/README.md shows, e.g.
//   ./glassbox bench --quick
