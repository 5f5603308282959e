package dev.glassbox.examples.cli;

import dev.glassbox.engine.io.ModelFile;
import dev.glassbox.engine.nn.Activation;
import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.train.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opening the MODEL argument of the commands, and choosing the loss that fits a model's last layer. */
final class Models {
    private Models() {}

    /** Opens a model file; the kinds the contract lists grow with the importers. */
    static Model open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file " + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try {
            if (name.endsWith(".safetensors")) {
                return ModelFile.load(file);
            }
            if (name.endsWith(".json")) {
                Path weights = file.resolveSibling(name.substring(0, name.length() - 5) + ".safetensors");
                Model model = ModelFile.fromJson(file);
                ModelFile.loadWeights(model, weights);
                return model;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("model file " + file + ": unsupported kind; expected a Glassbox model"
                + " (.safetensors with its architecture, or its .json)");
    }

    /**
     * The training loss a model's output calls for: softmax → Keras categorical cross-entropy, log-softmax →
     * NLL, anything else → cross-entropy on logits.
     */
    static Loss lossFor(Model model) {
        List<Layer> layers = model.layers();
        Layer last = layers.get(layers.size() - 1);
        String activation = last instanceof Dense d ? d.activation()
                : last instanceof Activation a ? a.function() : "linear";
        return switch (activation) {
            case "softmax" -> Loss.categoricalCrossEntropy();
            case "log_softmax" -> Loss.nll();
            default -> Loss.crossEntropy();
        };
    }
}
