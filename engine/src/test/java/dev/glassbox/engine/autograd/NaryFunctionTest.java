package dev.glassbox.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import org.junit.jupiter.api.Test;

class NaryFunctionTest {

    /** y = a + (b if given): the shape of an op with an optional input, such as a convolution's bias. */
    private static final class AddOptional extends NaryFunction {
        @Override
        protected Tensor forward(Tensor... inputs) {
            float[] out = inputs[0].toArray();
            if (inputs[1] != null) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += inputs[1].data()[i];
                }
            }
            return new Tensor(out, inputs[0].shape());
        }

        @Override
        public Tensor[] backward(Tensor gradOutput) {
            return new Tensor[] {needsGrad(0) ? gradOutput : null, needsGrad(1) ? gradOutput : null};
        }
    }

    @Test
    void absentOptionalInputNeedsNoGradient() {
        // y = a with the optional b left out: dL/da = dL/dy, and asking whether b needs a gradient is just "no".
        Tensor a = Tensors.vector(1, 2).requiresGrad(true);
        Tensor y = new AddOptional().apply(a, null);
        y.backward(Tensors.vector(3, 4));
        assertArrayEquals(new float[] {3, 4}, a.grad().data());
    }
}
