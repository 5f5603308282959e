package dev.glassbox.instrument.vision;

import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.tensor.Tensor;
import java.util.List;

/** Computing one layer's output without running the rest of the model, where the model allows it. */
final class Forward {
    private Forward() {}

    /**
     * The output of {@code target} for {@code input}: a Sequential model runs only the layers up to the target
     * (so a fully convolutional prefix accepts any image size); other graphs run whole, watched by a hook.
     */
    /**
     * An image batch in the engine's [N, C, H, W] as the model takes it: channels-last models (Keras imports)
     * get [N, H, W, C]. The permutation is an op, so gradients flow back to the NCHW image.
     */
    static Tensor input(Model model, Tensor nchw) {
        return model.dataFormat() == Model.DataFormat.CHANNELS_LAST && nchw.rank() == 4 ? nchw.permute(0, 2, 3, 1)
                : nchw;
    }

    static Tensor upTo(Model model, Layer target, Tensor image) {
        Tensor input = input(model, image);
        if (model instanceof Sequential) {
            Tensor x = input;
            for (Layer layer : model.layers()) {
                x = layer.call(x);
                if (layer == target) {
                    return x;
                }
            }
            throw new IllegalArgumentException("layer '" + target.name() + "' is not in model '" + model.name() + "'");
        }
        return LayerTap.run(model, image, List.of(target), false).outputs().get(target.name());
    }
}
