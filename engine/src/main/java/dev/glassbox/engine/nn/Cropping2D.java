package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Drops rows and columns at the edges of each feature map: [N, C, H, W] → [N, C, H - top - bottom, W - left - right]. */
public final class Cropping2D extends Layer {
    private final int top;
    private final int bottom;
    private final int left;
    private final int right;

    public Cropping2D(String name, int top, int bottom, int left, int right) {
        super(name, "cropping2d");
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("Cropping2D '" + name() + "': crops must be >= 0, got top=" + top
                    + " bottom=" + bottom + " left=" + left + " right=" + right);
        }
        this.top = top;
        this.bottom = bottom;
        this.left = left;
        this.right = right;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() != 4 || top + bottom >= x.dim(2) || left + right >= x.dim(3)) {
            throw new IllegalArgumentException("Cropping2D '" + name() + "' cannot crop " + top + "+" + bottom
                    + " rows and " + left + "+" + right + " columns from " + java.util.Arrays.toString(x.shape()));
        }
        return x.slice(2, top, x.dim(2) - bottom).slice(3, left, x.dim(3) - right);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("cropping", new int[] {top, bottom, left, right});
        return config;
    }
}
