package dev.glassbox.examples.cli;

import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reading the arrays a command is given, each fault one line that names the option and the file. */
final class Inputs {
    private Inputs() {}

    /** The array in {@code file} (given as {@code option}): an existing, readable .npy file with values in it. */
    static Tensor readNpy(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        Tensor array;
        try {
            array = Npy.read(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(option + " " + file + ": not a readable .npy file (" + e.getMessage()
                    + ")", e);
        }
        if (array.size() == 0) {
            throw new IllegalArgumentException(option + " " + file + " holds no values (shape "
                    + Arrays.toString(array.shape()) + ")");
        }
        return array;
    }

    /**
     * {@link #readNpy} for a model's input: a batch, one example per row along the first axis. A rank-1 array is
     * refused rather than taken as that many one-value examples.
     */
    static Tensor readBatch(Path file, String option) {
        return readRows(file, option, "a batch, one example per row ([N, ...]); for one example add a batch axis"
                + " (x[None] in numpy)");
    }

    /**
     * {@link #readNpy} for an array of rows (rank 2 or more); a rank-1 array is refused, saying it {@code expected}
     * (what a row is, and how to make rows of what was given).
     */
    static Tensor readRows(Path file, String option, String expected) {
        Tensor array = readNpy(file, option);
        if (array.rank() < 2) {
            throw new IllegalArgumentException(option + " " + file + " has shape " + Arrays.toString(array.shape())
                    + ": expected " + expected);
        }
        return array;
    }
}
