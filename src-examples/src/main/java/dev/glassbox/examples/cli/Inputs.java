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
}
