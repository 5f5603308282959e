package dev.glassbox.instrument.vision;

import dev.glassbox.engine.nn.HookHandle;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model once and keeps the outputs of chosen layers, through forward hooks (the model is not edited).
 * With {@code keepGradients}, the kept outputs also keep their gradient after a backward pass, which is what
 * Grad-CAM reads: dL/d(feature maps).
 */
final class LayerTap {
    private LayerTap() {}

    /**
     * The model's output and the outputs of {@code layers} (internal NCHW layout), by layer name, for an image
     * batch in the engine's [N, C, H, W] layout.
     */
    record Run(Tensor output, Map<String, Tensor> outputs) {}

    static Run run(Model model, Tensor input, List<Layer> layers, boolean keepGradients) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        HookHandle[] handles = new HookHandle[layers.size()];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = layers.get(i).registerForwardHook((layer, in, out) -> {
                if (keepGradients && out.requiresGrad()) {
                    out.retainGrad();
                }
                outputs.put(layer.name(), out);
            });
        }
        try {
            Tensor output = model.forward(Forward.input(model, input));
            return new Run(output, outputs);
        } finally {
            for (HookHandle h : handles) {
                h.remove();
            }
        }
    }

    /** The layer called {@code name}, or an error listing the model's layers. */
    static Layer layer(Model model, String name) {
        return model.layer(name);
    }
}
