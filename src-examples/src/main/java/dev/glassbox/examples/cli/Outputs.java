package dev.glassbox.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of the files and folders a command will write, made before it does any work: a long training run or
 * t-SNE that can only fail at its very end, when it saves, should fail at once instead.
 */
final class Outputs {
    private Outputs() {}

    /** {@code file} (given as {@code option}) can be written: it is no folder, and its folder is or can be made. */
    static void checkFile(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a folder; expected the name of a file");
        }
        checkCanCreateIn(option, file, file.toAbsolutePath().getParent());
    }

    /** {@code folder} (given as {@code option}) is a folder, or can be made as one. */
    static void checkFolder(String option, Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(option + " " + folder + " is a file; expected a folder");
        }
        checkCanCreateIn(option, folder, folder.toAbsolutePath());
    }

    /** The nearest part of {@code folder} that exists is a folder this process may write in. */
    private static void checkCanCreateIn(String option, Path target, Path folder) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;                                     // nothing of it exists, not even a root: let the write say
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(option + " " + target + ": " + existing + " is a file, not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException(option + " " + target + ": no permission to write in " + existing);
        }
    }
}
