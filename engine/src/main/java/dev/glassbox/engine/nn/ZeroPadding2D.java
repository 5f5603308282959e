package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.PadOp;
import dev.glassbox.engine.ops.Padding2D;
import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Zero rows and columns around each feature map: [N, C, H, W] → [N, C, top + H + bottom, left + W + right]. */
public final class ZeroPadding2D extends Layer {
    private final Padding2D padding;

    public ZeroPadding2D(String name, int top, int bottom, int left, int right) {
        super(name, "zero_padding2d");
        this.padding = new Padding2D(top, bottom, left, right);
    }

    @Override
    protected Tensor forward(Tensor x) {
        return PadOp.pad2d(x, padding);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("padding", new int[] {padding.top(), padding.bottom(), padding.left(), padding.right()});
        return config;
    }
}
