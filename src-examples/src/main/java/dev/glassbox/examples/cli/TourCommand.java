package dev.glassbox.examples.cli;

import dev.glassbox.examples.Tour;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glassbox tour}: the five notebooks, one report (OUT/report.html). */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = "Run the five notebooks on the shipped digits and write one HTML report.")
public final class TourCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--data", paramLabel = "DIR",
            description = "MNIST-style IDX directory or fashion-mnist (default: the shipped digits).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "Output folder (default: out).")
    Path out;

    @Option(names = "--quick", description = "Smaller runs (fewer digits, epochs, iterations): well under a minute.")
    boolean quick;

    @Override
    public Integer call() throws IOException {
        common.apply();
        Outputs.checkFolder("--out", out);
        var split = CommonOptions.trainAndTest(data);
        Path report = Tour.run(new Tour.Settings(out, split[0], split[1], quick, true)).report();
        System.out.println("wrote " + report);
        return 0;
    }
}
