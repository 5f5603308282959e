package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** Element-wise sum of two or more inputs of the same shape (Keras' {@code Add}, residual connections). */
public final class Add extends Layer {

    public Add(String name) {
        super(name, "add");
    }

    @Override
    protected Tensor forward(Tensor input) {
        return forwardAll(List.of(input));
    }

    @Override
    protected Tensor forwardAll(List<Tensor> inputs) {
        Tensor sum = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            if (!sum.sameShape(inputs.get(i))) {
                throw new dev.glassbox.engine.tensor.ShapeException("Add '" + name() + "': input " + i + " has shape "
                        + java.util.Arrays.toString(inputs.get(i).shape()) + ", input 0 has "
                        + java.util.Arrays.toString(sum.shape()), sum.shape(), inputs.get(i).shape());
            }
            sum = sum.add(inputs.get(i));
        }
        return sum;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
