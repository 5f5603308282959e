package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.Padding2D;
import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops rows and columns at the edges of each feature map (Keras' {@code Cropping2D}):
 * [N, C, H, W] → [N, C, H - top - bottom, W - left - right].
 */
public final class Cropping2D extends Layer {
    /** The rows and columns dropped on each side (the mirror image of {@link ZeroPadding2D}'s). */
    private final Padding2D crop;

    public Cropping2D(String name, int top, int bottom, int left, int right) {
        super(name, "cropping2d");
        this.crop = new Padding2D(top, bottom, left, right);
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() != 4 || crop.top() + crop.bottom() >= x.dim(2) || crop.left() + crop.right() >= x.dim(3)) {
            throw new IllegalArgumentException("Cropping2D '" + name() + "' cannot crop " + crop.top() + "+"
                    + crop.bottom() + " rows and " + crop.left() + "+" + crop.right() + " columns from "
                    + java.util.Arrays.toString(x.shape()));
        }
        return x.slice(2, crop.top(), x.dim(2) - crop.bottom()).slice(3, crop.left(), x.dim(3) - crop.right());
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("cropping", new int[] {crop.top(), crop.bottom(), crop.left(), crop.right()});
        return config;
    }
}
