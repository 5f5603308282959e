package dev.glassbox.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {

    @Test
    void gradientOfReusedInputAccumulates() {
        // y = x * x → dy/dx = 2x: both uses of x contribute x.
        Tensor x = Tensors.vector(3f, -2f).requiresGrad(true);
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {6f, -4f}, x.grad().data());
    }

    @Test
    void diamondGraphSumsBothPaths() {
        // z = (x + 1)·(x·2) with x = 3: dz/dx = (x·2) + (x + 1)·2 = 6 + 8 = 14.
        Tensor x = Tensors.vector(3f).requiresGrad(true);
        Tensor a = x.add(1f);
        Tensor b = x.mul(2f);
        a.mul(b).sum().backward();
        assertEquals(14f, x.grad().item());
    }

    @Test
    void secondBackwardAccumulatesIntoLeafGradients() {
        Tensor w = Tensors.vector(1f, 2f).requiresGrad(true);
        w.mul(3f).sum().backward();
        w.mul(3f).sum().backward();
        assertArrayEquals(new float[] {6f, 6f}, w.grad().data());
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void firstGradientIsNotCorruptedWhenAnOpPassesItToTwoInputs() {
        // AddOp hands the same gradient tensor to both inputs; accumulating into one must not change the other.
        Tensor a = Tensors.vector(1f).requiresGrad(true);
        Tensor b = Tensors.vector(2f).requiresGrad(true);
        Tensor s = a.add(b);
        s.add(a).sum().backward();
        assertEquals(2f, a.grad().item());
        assertEquals(1f, b.grad().item());
    }

    @Test
    void backwardOnNonScalarNeedsASeed() {
        Tensor x = Tensors.vector(1f, 2f).requiresGrad(true);
        Tensor y = x.mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        y.backward(Tensors.vector(1f, 10f));
        assertArrayEquals(new float[] {2f, 20f}, x.grad().data());
    }

    @Test
    void backwardOnTensorWithoutGradFailsClearly() {
        Tensor x = Tensors.vector(1f, 2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void backwardTwiceOnTheSameGraphFails() {
        Tensor x = Tensors.vector(1f).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("already called"), e.getMessage());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensors.vector(1f).requiresGrad(true);
        Tensor y;
        try (NoGrad ignored = NoGrad.enter()) {
            y = x.mul(2f).exp();
            assertTrue(!NoGrad.isRecording());
        }
        assertTrue(NoGrad.isRecording());
        assertNull(y.creator());
        assertTrue(!y.requiresGrad());
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = Tensors.vector(2f).requiresGrad(true);
        Tensor d = x.mul(3f).detach();
        assertNull(d.creator());
        Tensor z = x.mul(d).sum();
        z.backward();
        assertEquals(6f, x.grad().item());  // d is a constant 6, so dz/dx = 6
    }

    @Test
    void intermediateGradientsAreFreedUnlessRetained() {
        Tensor x = Tensors.vector(1f, 2f).requiresGrad(true);
        Tensor hidden = x.mul(2f);
        Tensor kept = x.mul(3f).retainGrad();
        hidden.add(kept).sum().backward();
        assertNull(hidden.grad());
        assertArrayEquals(new float[] {1f, 1f}, kept.grad().data());
    }

    @Test
    void gradHooksSeeTheCompleteGradientInReverseOrder() throws Exception {
        Tensor x = Tensors.vector(1f).requiresGrad(true);
        Tensor h = x.mul(2f);
        List<String> seen = new ArrayList<>();
        AutoCloseable hx = x.registerGradHook(g -> seen.add("x:" + g.item()));
        h.registerGradHook(g -> seen.add("h:" + g.item()));
        h.add(h).sum().backward();
        assertEquals(List.of("h:2.0", "x:4.0"), seen);
        hx.close();
        seen.clear();
        x.mul(5f).sum().backward();
        assertEquals(List.of(), seen);   // removed: it no longer fires
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensors.vector(1f).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.mul(1f);
        }
        y.sum().backward();
        assertEquals(1f, x.grad().item());
    }
}
