package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;

/**
 * Reshape: the same values in the same row-major order, seen with another shape (one -1 is inferred).
 * dL/dx = dL/dy seen with x's shape. A view: output and gradient share storage with what they came from.
 */
public final class ReshapeOp extends UnaryFunction {
    private final int[] requested;
    private int[] inputShape;

    public ReshapeOp(int... shape) {
        this.requested = shape.clone();
    }

    @Override
    protected Tensor forward(Tensor x) {
        inputShape = x.shape();
        return new Tensor(x.data(), Shapes.inferReshape(x.size(), requested));
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {gradOutput.reshapeData(inputShape)};
    }
}
