package dev.glassbox.engine.io;

import java.nio.file.Path;

/** A model file cannot be read: names the file and the tensor, layer or field at fault. */
public class ModelFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ModelFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
