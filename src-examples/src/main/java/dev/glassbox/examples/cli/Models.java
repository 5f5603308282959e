package dev.glassbox.examples.cli;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.io.KerasImporter;
import dev.glassbox.engine.io.ModelFile;
import dev.glassbox.engine.io.SafeTensors;
import dev.glassbox.engine.io.StateDicts;
import dev.glassbox.engine.nn.Activation;
import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.nn.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opening the MODEL argument of the commands (every form of the command-line contract), and choosing the loss
 * that fits a model's last layer.
 * <ul>
 * <li>a Keras full model: {@code .h5} / {@code .hdf5} with its architecture inside, or a Keras 3 {@code .keras};</li>
 * <li>a Keras weights-only {@code .h5} with {@code --config model.json};</li>
 * <li>a PyTorch state_dict ({@code .pt}, {@code .pth}, or {@code .safetensors}) with {@code --arch mlp|cnn|deep};</li>
 * <li>a Glassbox model: {@code .safetensors} with its architecture in the metadata, or its {@code .json}.</li>
 * </ul>
 */
final class Models {
    /** Help text of a MODEL argument that takes --config and --arch. */
    static final String MODEL_HELP = "A Keras .h5 or .keras model (a weights-only .h5 with --config), a PyTorch .pt or"
            + " .safetensors state_dict with --arch, or a Glassbox model (.safetensors, or its .json).";
    /** Help text of a MODEL argument that must describe itself. */
    static final String SELF_DESCRIBING_MODEL_HELP =
            "A Keras .h5 or .keras model, or a Glassbox model (.safetensors, or its .json).";

    private Models() {}

    /** Opens a model file that needs no extra options. */
    static Model open(Path file) {
        return open(file, null, null);
    }

    static Model open(Path file, ModelOptions options) {
        return open(file, options == null ? null : options.config, options == null ? null : options.arch);
    }

    /** Opens any MODEL form; every failure is an IllegalArgumentException naming the file (exit status 2). */
    static Model open(Path file, Path config, String arch) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file " + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (arch != null) {
                try {
                    return StateDicts.load(file, arch);
                } catch (IllegalArgumentException mismatch) {
                    // Read the metadata only now: a Glassbox model given --arch fails on its parameter names, and
                    // the clearer message is that it needs no architecture at all.
                    if (name.endsWith(".safetensors")
                            && SafeTensors.read(file).metadata().containsKey(ModelFile.CONFIG_KEY)) {
                        throw new IllegalArgumentException(file + " is a Glassbox model with its own architecture;"
                                + " --arch is for PyTorch state_dicts: open it without --arch", mismatch);
                    }
                    throw mismatch;
                }
            }
            if (config != null) {
                return KerasImporter.load(file, config);
            }
            if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
                return KerasImporter.load(file);
            }
            if (name.endsWith(".pt") || name.endsWith(".pth")) {
                throw new IllegalArgumentException(file + ": a PyTorch state_dict holds no architecture; name it"
                        + " with --arch " + String.join("|", StateDicts.ARCHITECTURES));
            }
            if (name.endsWith(".safetensors")) {
                return ModelFile.load(file);
            }
            if (name.endsWith(".json")) {
                Path weights = file.resolveSibling(file.getFileName().toString()
                        .replaceFirst("(?i)\\.json$", ".safetensors"));
                Model model = ModelFile.fromJson(file);
                ModelFile.loadWeights(model, weights);
                return model;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": " + e.getCause().getMessage(), e);
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new IllegalArgumentException(file + ": the file is corrupt or too large to read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        throw new IllegalArgumentException("model file " + file + ": unsupported kind; expected a Keras .h5/.keras"
                + " (a weights .h5 with --config), a PyTorch .pt/.safetensors with --arch, or a Glassbox model"
                + " (.safetensors with its architecture, or its .json)");
    }

    /** A dataset in the layout the model takes: NHWC images for a channels-last (Keras) model. */
    static Dataset inUserLayout(Model model, Dataset data) {
        if (model.dataFormat() == Model.DataFormat.CHANNELS_LAST && data.inputs().rank() == 4) {
            return new Dataset(data.inputs().permute(0, 2, 3, 1).copy(), data.labels());
        }
        return data;
    }

    /**
     * The engine's {@code reason} an input did not fit, followed by what the model's file says it takes ("; the
     * model takes [batch, 28, 28, 1] (channels last, as Keras)") when the file declares an input shape: the engine
     * names the shape inside the engine (NCHW), which for a Keras model is not the user's.
     */
    static String withDeclaredInput(String reason, Model model) {
        int[] shape = model.inputShape();
        if (shape == null) {
            return reason;
        }
        int[] batch = new int[shape.length + 1];
        System.arraycopy(shape, 0, batch, 1, shape.length);
        String text = java.util.Arrays.toString(batch).replaceFirst("^\\[0", "[batch");
        boolean keras = model.dataFormat() == Model.DataFormat.CHANNELS_LAST && shape.length == 3;
        return reason.replaceFirst("\\.$", "") + "; the model takes " + text
                + (keras ? " (channels last, as Keras)" : "");
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
