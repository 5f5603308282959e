package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import dev.glassbox.engine.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutOpTest {

    @Test
    void keptElementsAreScaledByOneOverKeepProbability() {
        // p = 0.75 keeps a quarter in expectation, so kept values are multiplied by 1 / (1 - 0.75) = 4:
        // x = [1, 2, 3, 4], mask = [1, 0, 0, 1] → y = [4, 0, 0, 16]; dL/dx = dL/dy · [4, 0, 0, 4].
        Tensor x = Tensors.vector(1, 2, 3, 4).requiresGrad(true);
        Tensor y = DropoutOp.dropout(x, 0.75f, Tensors.vector(1, 0, 0, 1));
        assertArrayEquals(new float[] {4, 0, 0, 16}, y.data());
        y.backward(Tensors.vector(1, 1, 1, 0.5f));
        assertArrayEquals(new float[] {4, 0, 0, 2}, x.grad().data());
    }

    @Test
    void inferenceIsTheIdentity() {
        Tensor x = Tensors.vector(1, 2, 3);
        assertSame(x, DropoutOp.dropout(x, 0.5f, false, new SplittableRandom(1)));
    }

    @Test
    void theSameSeedDrawsTheSameMask() {
        Tensor x = Tensors.ones(50);
        Tensor a = DropoutOp.dropout(x, 0.5f, true, new SplittableRandom(7));
        Tensor b = DropoutOp.dropout(x, 0.5f, true, new SplittableRandom(7));
        assertArrayEquals(a.data(), b.data());
        for (float v : a.data()) {
            assertTrue(v == 0f || v == 2f, "every element is dropped or doubled, got " + v);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesForAFixedMask() {
        Tensor mask = DropoutOp.keepMask(new SplittableRandom(2), 0.3f, 3, 5);
        Tensor x = Tensors.randn(new SplittableRandom(4), 3, 5);
        Checks.assertGradients("dropout", t -> DropoutOp.dropout(t[0], 0.3f, mask), x);
    }

    @Test
    void maskOfAnotherShapeIsRejected() {
        assertThrows(ShapeException.class, () -> DropoutOp.dropout(Tensors.ones(2, 3), 0.5f, Tensors.ones(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> new DropoutOp(1.5f, Tensors.ones(1)));
    }

    @Test
    void matchesPyTorchWithTheStoredMaskExactly() {
        try (Fixtures f = Fixtures.open("ops.h5")) {
            Tensor x = f.tensor("dropout_mask/x").requiresGrad(true);
            Tensor y = DropoutOp.dropout(x, (float) f.scalar("dropout_mask/p"), f.tensor("dropout_mask/mask"));
            Fixtures.assertExact("dropout_mask/y", f.tensor("dropout_mask/y"), y);
            y.backward(f.tensor("dropout_mask/gy"));
            Fixtures.assertExact("dropout_mask/g_x", f.tensor("dropout_mask/g_x"), x.grad());
        }
    }
}
