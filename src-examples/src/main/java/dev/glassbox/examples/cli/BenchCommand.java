package dev.glassbox.examples.cli;

import dev.glassbox.bench.PerformanceSuite;
import dev.glassbox.bench.SuiteMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * {@code glassbox bench}: the project's performance suite (module {@code bench}): the JMH benchmarks, with
 * {@code --compare} the side-by-side ratios against PyTorch, scikit-learn and the machine's FMA peak, printed and
 * written as OUT/bench.md and OUT/bench.html. bench/README.md says what each row measures.
 *
 * <p>Arguments after {@code --} go to JMH itself, for one benchmark or slice with JMH's own options and output:
 * {@code glassbox bench -- SgemmBench -p backend=vector -p shape=SQUARE_1024 -f 1}, or {@code glassbox bench -- -l}
 * to list the benchmarks.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the JMH performance suite; with --compare also PyTorch, scikit-learn and the FMA peak "
                + "side by side. Writes OUT/bench.md and OUT/bench.html.")
public final class BenchCommand implements Callable<Integer> {
    /** The comparisons' thread count when --threads is not given: the project's targets are set for two. */
    static final int DEFAULT_THREADS = 2;

    @Mixin CommonOptions common;

    @Option(names = "--quick", description = "One short fork per benchmark, a representative slice of each class, "
            + "t-SNE at N = 1,000: about 3-5 minutes on 2 cores (default: the full suite, about an hour).")
    boolean quick;

    @Option(names = "--compare", description = "Also time PyTorch, scikit-learn (when Python can import them) and "
            + "the fp32 FMA peak in the same run and print the ratios with their targets.")
    boolean compare;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/bench",
            description = "Output folder for bench.md, bench.html and the raw JMH results (default: out/bench).")
    Path out;

    @Option(names = "--python", paramLabel = "PATH",
            description = "Python interpreter for the references (default: /usr/bin/python3 if present, else python3).")
    String python;

    @Parameters(paramLabel = "JMH_ARGS", arity = "0..*",
            description = "After --: arguments for JMH itself (benchmark regexps and JMH options, e.g. "
                    + "-- SgemmBench -p threads=1 -f 1, or -- -l to list); the suite's own options are then ignored.")
    List<String> jmhArgs = List.of();

    /** Checks the plumbing in seconds (one benchmark, in this JVM, no warm-up); its numbers mean nothing. */
    @Option(names = "--tiny", hidden = true)
    boolean tiny;

    @Override
    public Integer call() throws Exception {
        if (quick && tiny) {
            throw new IllegalArgumentException("--quick and --tiny are different modes; give one of them");
        }
        common.apply();
        Outputs.checkFolder("--out", out);
        if (!jmhArgs.isEmpty()) {
            return runJmh(jmhArgs);
        }
        SuiteMode mode = tiny ? SuiteMode.TINY : quick ? SuiteMode.QUICK : SuiteMode.FULL;
        // The forked JMH JVMs do not see this JVM's settings, so the backend choice travels as a system property.
        List<String> jvmArgs = common.blas == null ? List.of() : List.of("-Dglassbox.blas=" + common.blas);
        int threads = common.threads == null ? DEFAULT_THREADS : common.threads;
        PerformanceSuite.run(new PerformanceSuite.Settings(mode, compare, out, threads, python, jvmArgs), System.out);
        return 0;
    }

    /** JMH as its own command line would run it, on the benchmarks this jar carries. */
    private static int runJmh(List<String> args) throws Exception {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            throw new IllegalArgumentException("JMH arguments " + args + ": " + e.getMessage());
        }
        if (options.shouldHelp()) {
            options.showHelp();
            return 0;
        }
        Runner runner = new Runner(options);
        if (options.shouldList()) {
            runner.list();
        } else if (options.shouldListWithParams()) {
            runner.listWithParams(options);
        } else {
            runner.run();
        }
        return 0;
    }
}
