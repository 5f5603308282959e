package dev.glassbox.engine.io;

import java.nio.file.Path;

/**
 * A weight in an imported model file (Keras HDF5, PyTorch state_dict) is missing, malformed or does not fit the
 * architecture. The message names the file and the dataset path (or state_dict key) at fault.
 */
public class WeightImportException extends ModelFileException {
    private static final long serialVersionUID = 1L;

    private final String datasetPath;

    public WeightImportException(Path file, String datasetPath, String problem) {
        super(file, datasetPath + ": " + problem);
        this.datasetPath = datasetPath;
    }

    public WeightImportException(Path file, String datasetPath, String problem, Throwable cause) {
        super(file, datasetPath + ": " + problem, cause);
        this.datasetPath = datasetPath;
    }

    /** The HDF5 dataset path or state_dict key the problem is about. */
    public String datasetPath() {
        return datasetPath;
    }
}
