package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras' {@code Reshape} inside a channels-last model run on NCHW tensors. Keras reshapes the NHWC tensor it
 * holds, so an image input is first viewed NHWC, reshaped to the target (one -1 allowed), and a rank-3 target
 * (height, width, channels) is turned back to NCHW for the layers that follow. Without this, reshaping the NCHW
 * tensor directly would mix channels and positions.
 */
public final class ChannelsLastReshape extends Layer {
    private final int[] targetShape;

    /** @param targetShape (not modified) Keras' {@code target_shape}, channels last */
    public ChannelsLastReshape(String name, int... targetShape) {
        super(name, "reshape");
        this.targetShape = targetShape.clone();
    }

    @Override
    protected Tensor forward(Tensor x) {
        Tensor held = x.rank() == 4 ? x.permute(0, 2, 3, 1) : x;
        int[] shape = new int[targetShape.length + 1];
        shape[0] = x.dim(0);
        System.arraycopy(targetShape, 0, shape, 1, targetShape.length);
        Tensor y = held.reshape(shape);
        return y.rank() == 4 ? y.permute(0, 3, 1, 2) : y;
    }

    @Override
    public String type() {
        return "Reshape";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("target_shape", targetShape.clone());
        return config;
    }
}
