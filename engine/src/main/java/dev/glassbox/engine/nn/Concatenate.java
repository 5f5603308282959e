package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.List;
import java.util.Map;

/** Joins its inputs along one axis (default 1, the channel axis of NCHW and the feature axis of [batch, n]). */
public final class Concatenate extends Layer {
    private final int axis;

    public Concatenate(String name) {
        this(name, 1);
    }

    public Concatenate(String name, int axis) {
        super(name, "concatenate");
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor input) {
        return forwardAll(List.of(input));
    }

    @Override
    protected Tensor forwardAll(List<Tensor> inputs) {
        return Tensors.concat(axis, inputs.toArray(new Tensor[0]));
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("axis", axis);
    }
}
