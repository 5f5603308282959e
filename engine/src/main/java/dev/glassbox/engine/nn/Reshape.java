package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reshapes each example (the batch dimension is kept): [batch, ...] → [batch, targetShape...]; one -1 allowed. */
public final class Reshape extends Layer {
    private final int[] targetShape;

    public Reshape(String name, int... targetShape) {
        super(name, "reshape");
        this.targetShape = targetShape.clone();
    }

    @Override
    protected Tensor forward(Tensor x) {
        int[] shape = new int[targetShape.length + 1];
        shape[0] = x.dim(0);
        System.arraycopy(targetShape, 0, shape, 1, targetShape.length);
        return x.reshape(shape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("target_shape", targetShape.clone());
        return config;
    }

    @Override
    public String toString() {
        return "Reshape '" + name() + "' to [batch, " + Shapes.toString(targetShape) + "]";
    }
}
