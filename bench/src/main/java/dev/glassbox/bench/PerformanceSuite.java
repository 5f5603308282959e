package dev.glassbox.bench;

import dev.glassbox.engine.kernels.Blas;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The project's performance suite, what {@code glassbox bench} runs: the JMH benchmarks of this module
 * ({@link JmhSuite}), optionally the side-by-side comparisons with PyTorch, scikit-learn and the machine's FMA peak
 * ({@link Comparisons}), then one table printed and written as {@code OUT/bench.md} and {@code OUT/bench.html}.
 *
 * <p>The JMH benchmarks run in forked JVMs (except in {@link SuiteMode#TINY}); the comparisons run afterwards in
 * this JVM, one workload at a time, each Python reference as a child process right after or before its Glassbox
 * counterpart, so both sides of a ratio see the same machine and load.
 */
public final class PerformanceSuite {

    /**
     * @param compare run the side-by-side comparisons after the JMH suite
     * @param threads threads of the comparisons (the JMH benchmarks name their own)
     * @param python  the interpreter for the references, or null for the default ({@link PythonReference#find})
     * @param jvmArgs extra arguments for every forked JMH JVM, such as {@code -Dglassbox.blas=jblas}
     */
    public record Settings(SuiteMode mode, boolean compare, Path out, int threads, String python,
            List<String> jvmArgs) {
        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            jvmArgs = List.copyOf(jvmArgs);
        }
    }

    private PerformanceSuite() {}

    /** Runs the suite, printing progress and the tables to {@code log}; returns the files written. */
    public static List<Path> run(Settings settings, PrintStream log) throws Exception {
        MachineInfo machine = MachineInfo.current();
        log.println(machine.describe());
        List<String> notes = new ArrayList<>();
        log.println("JMH benchmarks (" + settings.mode().name().toLowerCase(Locale.ROOT) + "):");
        List<JmhSuite.Row> jmh = JmhSuite.run(settings.mode(), settings.out().resolve("jmh"), settings.jvmArgs(),
                log, notes);
        List<Comparison> comparisons = List.of();
        if (settings.compare()) {
            log.println("Side by side:");
            PythonReference python = PythonReference.find(settings.python());
            comparisons = new Comparisons(settings.mode(), settings.threads(), python, log, notes).run(jmh);
        }
        SuiteReport report = new SuiteReport("Glassbox performance suite", machine, describe(settings), jmh,
                comparisons, notes);
        log.println();
        log.print(report.toText());
        List<Path> written = report.write(settings.out());
        written.forEach(p -> log.println("wrote " + p));
        return written;
    }

    private static String describe(Settings settings) {
        SuiteMode mode = settings.mode();
        String jmh = mode.keepsAnnotations() ? "each benchmark's own JMH settings"
                : String.format(Locale.ROOT, "%d fork(s), warm-up %d × %d ms (training steps %d × %d ms),"
                        + " measurement %d × %d ms", mode.forks, mode.warmupIterations, mode.warmupMillis,
                        JmhSuite.quickWarmupIterations(mode, "RecordingBench"), mode.warmupMillis,
                        mode.measurementIterations, mode.measurementMillis);
        return String.format(Locale.ROOT, "Mode %s: %s; comparisons on %d threads; sgemm backend %s; load average"
                        + " %.1f at the end.", mode.name().toLowerCase(Locale.ROOT), jmh, settings.threads(),
                Blas.get().name() + " (" + Blas.get().getClass().getSimpleName() + ")",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}

// Run: ./glassbox bench [--quick] [--compare] [--out DIR]   (bench/README.md explains each row)
