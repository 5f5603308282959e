package dev.glassbox.engine.io;

import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Looks entries up in a zip archive (a Keras 3 {@code .keras} file, a PyTorch checkpoint). {@link ZipFile} decodes
 * an entry's name and comment only when it hands the entry out, and throws a bare {@link IllegalArgumentException}
 * ("malformed input off : 132, length : 1") when they are not UTF-8; here that is a {@link ModelFileException}
 * naming the file.
 */
final class ZipEntries {
    private ZipEntries() {
    }

    /** The entry called {@code name}, or null. */
    static ZipEntry get(ZipFile zip, String name, Path file) {
        try {
            return zip.getEntry(name);
        } catch (IllegalArgumentException e) {
            throw malformed(file, e);
        }
    }

    /** The first entry that {@code wanted} accepts, in the archive's order, or null. */
    static ZipEntry first(ZipFile zip, Predicate<ZipEntry> wanted, Path file) {
        try {
            return zip.stream().filter(wanted).findFirst().orElse(null);
        } catch (IllegalArgumentException e) {
            throw malformed(file, e);
        }
    }

    private static ModelFileException malformed(Path file, IllegalArgumentException e) {
        return new ModelFileException(file, "corrupt zip archive (an entry's name or comment is not UTF-8: "
                + e.getMessage() + ")", e);
    }
}
