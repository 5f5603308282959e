package dev.glassbox.engine.io;

import dev.glassbox.engine.nn.BatchNormalization;
import dev.glassbox.engine.nn.Conv2D;
import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Puts a PyTorch {@code state_dict} (a {@code .pt} file or a {@code .safetensors} file of the same keys) into a
 * Glassbox architecture. A state_dict never holds the architecture, so the caller names it: one of the seed
 * models ({@code mlp}, {@code cnn}, {@code deep}), whose layers carry the PyTorch module names.
 *
 * <p>Keys map to parameters by name: {@code fc1.weight} → layer {@code fc1}, PyTorch parameter {@code weight}.
 * {@code nn.Sequential} indices ({@code conv1.0.weight}) and DataParallel's {@code module.} prefix are dropped.
 * Conversions: a Linear weight [out, in] is transposed into the Dense kernel [in, out]; a Conv2d weight is
 * already the engine's [out, in, kh, kw]; BatchNorm's {@code weight}, {@code bias}, {@code running_mean},
 * {@code running_var} become gamma, beta, moving_mean, moving_variance ({@code num_batches_tracked} is skipped).
 * Every parameter of the model must be filled and every key used; shapes are checked, naming the key.
 */
public final class StateDicts {
    /** The architectures {@link #load} knows. */
    public static final List<String> ARCHITECTURES = List.of("mlp", "cnn", "deep");

    private StateDicts() {}

    /** The seed model called {@code arch} with the weights of {@code file} (.pt or .safetensors). */
    public static Model load(Path file, String arch) throws IOException {
        Model model = switch (arch == null ? "" : arch.toLowerCase(Locale.ROOT)) {
            case "mlp" -> SeedModels.mlp(0);
            case "cnn" -> SeedModels.cnn(0, true);
            case "deep" -> SeedModels.deepClassifier("tanh", 0);
            default -> throw new IllegalArgumentException("unknown architecture '" + arch + "'; known: "
                    + ARCHITECTURES);
        };
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Map<String, Tensor> stateDict = name.endsWith(".safetensors") ? SafeTensors.read(file).tensors()
                : TorchStateDict.read(file);
        apply(model, stateDict, file);
        model.eval();
        return model;
    }

    /** Sets every parameter of {@code model} from the state_dict (modifies the model). */
    public static void apply(Model model, Map<String, Tensor> stateDict, Path file) {
        Map<String, Parameter> unfilled = new LinkedHashMap<>(model.namedParameters());
        List<String> unused = new ArrayList<>();
        for (Map.Entry<String, Tensor> entry : stateDict.entrySet()) {
            String key = entry.getKey();
            String[] parts = normalise(key);
            if (parts == null) {
                unused.add(key);
                continue;
            }
            if (parts[1].equals("num_batches_tracked")) {
                continue;
            }
            Layer layer = layerOrNull(model, parts[0]);
            if (layer == null) {
                unused.add(key);
                continue;
            }
            String parameter = glassboxName(layer, parts[1]);
            Tensor value = entry.getValue();
            if (layer instanceof Dense && parameter.equals("kernel")) {
                if (value.rank() != 2) {
                    throw new WeightImportException(file, key, "a Linear weight must be [out, in], got "
                            + Arrays.toString(value.shape()));
                }
                value = value.permute(1, 0).copy();
            }
            Parameter target = unfilled.remove(layer.name() + "." + parameter);
            if (target == null) {
                unused.add(key);
                continue;
            }
            if (!Arrays.equals(target.value().shape(), value.shape())) {
                throw new WeightImportException(file, key, "has shape " + Arrays.toString(entry.getValue().shape())
                        + " but " + layer.type() + " '" + layer.name() + "' needs " + parameter + " "
                        + Arrays.toString(target.value().shape()) + (layer instanceof Dense
                        ? " (the Linear weight [out, in] is transposed into it)" : ""));
            }
            target.set(value);
        }
        if (!unused.isEmpty() || !unfilled.isEmpty()) {
            throw new WeightImportException(file, unused.isEmpty() ? String.join(", ", unfilled.keySet())
                    : String.join(", ", unused), "the state_dict does not fit model '" + model.name() + "': keys"
                    + " without a parameter " + unused + ", parameters without a key " + unfilled.keySet()
                    + "; the model's layers are " + model.layers().stream().map(Layer::name).toList());
        }
    }

    /** {@code module.conv1.0.weight} → [conv1, weight]; null for a key without a dot. */
    static String[] normalise(String key) {
        List<String> parts = new ArrayList<>(Arrays.asList(key.split("\\.")));
        if (parts.size() > 2 && parts.get(0).equals("module")) {
            parts.remove(0);
        }
        parts.removeIf(p -> p.chars().allMatch(Character::isDigit) && !p.isEmpty());
        if (parts.size() < 2) {
            return null;
        }
        String parameter = parts.remove(parts.size() - 1);
        return new String[] {String.join(".", parts), parameter};
    }

    private static Layer layerOrNull(Model model, String name) {
        for (Layer layer : model.layers()) {
            if (layer.name().equals(name)) {
                return layer;
            }
        }
        return null;
    }

    private static String glassboxName(Layer layer, String torchName) {
        if (layer instanceof BatchNormalization) {
            return switch (torchName) {
                case "weight" -> "gamma";
                case "bias" -> "beta";
                case "running_mean" -> "moving_mean";
                case "running_var" -> "moving_variance";
                default -> torchName;
            };
        }
        if ((layer instanceof Dense || layer instanceof Conv2D) && torchName.equals("weight")) {
            return "kernel";
        }
        return torchName;
    }
}
