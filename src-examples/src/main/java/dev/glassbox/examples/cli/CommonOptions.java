package dev.glassbox.examples.cli;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.FashionMnist;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.Blas;
import dev.glassbox.engine.kernels.Parallel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command accepts: threads and BLAS backend (see ARCHITECTURE.md, the command-line contract). */
public final class CommonOptions {
    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--blas", paramLabel = "NAME", description = "BLAS backend: java, ejml, jblas or auto (default).")
    String blas;

    /** Applies the settings to the engine before a command runs. */
    public void apply() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        if (blas != null) {
            Blas.use(blas);
        }
    }

    /**
     * The shipped digits, Debian's Fashion-MNIST ({@code --data fashion-mnist}), or an MNIST-style IDX directory: train
     * and test files told apart by their names ("train"/"t10k" prefixes, as MNIST and Fashion-MNIST name them); a
     * directory with a single pair is split like the shipped digits (first 80 % train).
     */
    public static Dataset[] trainAndTest(Path dir) {
        if (dir == null) {
            return new Dataset[] {Mnist.train(), Mnist.test()};
        }
        if (dir.toString().equals("fashion-mnist")) {
            return new Dataset[] {FashionMnist.train(), FashionMnist.test()};
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + dir + ": not a directory");
        }
        try {
            try (var files = Files.list(dir)) {
                boolean split = files.anyMatch(p -> p.getFileName().toString().startsWith("t10k"));
                if (split) {
                    return new Dataset[] {Mnist.loadDirectory(dir, "train"), Mnist.loadDirectory(dir, "t10k")};
                }
            }
            Dataset all = Mnist.loadDirectory(dir, null);
            int cut = all.size() * 4 / 5;
            return new Dataset[] {all.range(0, cut), all.range(cut, all.size())};
        } catch (IOException e) {
            throw new IllegalArgumentException("--data " + dir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("--data " + dir + ": " + e.getCause().getMessage(), e);
        }
    }
}
