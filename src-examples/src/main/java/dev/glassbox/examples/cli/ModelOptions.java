package dev.glassbox.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How to read MODEL when the file alone does not say: a Keras config for a weights file, or an architecture. */
public final class ModelOptions {
    @Option(names = "--config", paramLabel = "JSON",
            description = "Keras architecture (model.to_json()) for a weights-only .h5 file.")
    Path config;

    @Option(names = "--arch", paramLabel = "NAME",
            description = "Architecture for a PyTorch state_dict (.pt or .safetensors): mlp, cnn or deep.")
    String arch;
}
