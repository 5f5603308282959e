package dev.glassbox.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HooksTest {

    private static Sequential twoLayers() {
        Dense first = new Dense("first", 4, 3, "tanh");
        Dense second = new Dense("second", 3, 2);
        first.initialize(Initializers.glorotUniform(), Initializers.randomUniform(-0.1f, 0.1f),
                new SplittableRandom(1));
        second.initialize(Initializers.glorotUniform(), Initializers.randomUniform(-0.1f, 0.1f),
                new SplittableRandom(2));
        return new Sequential("two", first, second);
    }

    private static Tensor input() {
        return Tensors.randn(new Random(3), 5, 4);
    }

    /**
     * The promise the instrumentation builds on (a monitor may read a step's tensors while the next step runs):
     * no tensor handed to a hook is written again, neither later in its own step nor in the steps after it, on
     * the seed CNN and MLP with every hook kind, while SGD with momentum changes the weights in place.
     */
    @Test
    void tensorsHandedToHooksAreNeverWrittenAgain() {
        Sequential seedCnn = SeedModels.cnn(1);
        for (Sequential model : List.of(seedCnn, SeedModels.mlp(1))) {
            Map<Tensor, float[]> seen = new IdentityHashMap<>();
            for (Layer layer : model.layers()) {
                layer.registerForwardHook((l, in, out) -> seen.put(out, out.data().clone()));
                layer.registerBackwardPreHook((l, gradOut) -> seen.put(gradOut, gradOut.data().clone()));
                layer.registerBackwardHook((l, gradIn, gradOut) -> {
                    if (gradIn != null) {
                        seen.put(gradIn, gradIn.data().clone());
                    }
                });
                for (Parameter p : layer.parameters()) {
                    p.registerGradientHook((parameter, gradient) -> seen.put(gradient, gradient.data().clone()));
                }
            }
            Sgd optimizer = new Sgd(model.trainableParameters(), 0.1f, 0.9f);
            boolean cnn = model == seedCnn;
            Random random = new Random(4);
            for (int step = 0; step < 3; step++) {
                Tensor x = cnn ? Tensors.randn(random, 6, 1, 28, 28) : Tensors.randn(random, 6, 784);
                int[] labels = {0, 1, 2, 3, 4, 5};
                Tensor loss = cnn ? Losses.nll(model.forward(x), labels)
                        : Losses.categoricalCrossEntropy(model.forward(x), Losses.oneHot(labels, 10));
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
            }
            assertTrue(seen.size() > 3 * model.layers().size(), model.name() + ": hooks saw " + seen.size());
            for (Map.Entry<Tensor, float[]> e : seen.entrySet()) {
                assertArrayEquals(e.getValue(), e.getKey().data(), model.name() + ": a tensor of shape "
                        + java.util.Arrays.toString(e.getKey().shape()) + " changed after its hook");
            }
        }
    }

    @Test
    void forwardHooksFireInRegistrationOrderAndSeeInputAndOutput() {
        Sequential model = twoLayers();
        List<String> calls = new ArrayList<>();
        Tensor x = input();
        model.layer("first").registerForwardHook((l, in, out) -> {
            calls.add("a");
            assertSame(x, in);
            assertArrayEquals(new int[] {5, 3}, out.shape());
        });
        model.layer("first").registerForwardHook((l, in, out) -> calls.add("b"));
        model.forward(x);
        assertEquals(List.of("a", "b"), calls);
    }

    @Test
    void removedHooksStopFiringAndRemovingTwiceIsHarmless() {
        Dense layer = new Dense("d", 4, 3);
        List<String> calls = new ArrayList<>();
        HookHandle handle = layer.registerForwardHook((l, in, out) -> calls.add("x"));
        layer.call(input());
        handle.remove();
        handle.remove();
        layer.call(input());
        assertEquals(1, calls.size());
        assertFalse(layer.hasHooks());
    }

    @Test
    void aHookMayRemoveItselfWhileHooksRun() {
        Dense layer = new Dense("d", 4, 3);
        List<String> calls = new ArrayList<>();
        HookHandle[] self = new HookHandle[1];
        self[0] = layer.registerForwardHook((l, in, out) -> {
            calls.add("once");
            self[0].remove();
        });
        layer.registerForwardHook((l, in, out) -> calls.add("always"));
        layer.call(input());
        layer.call(input());
        assertEquals(List.of("once", "always", "always"), calls);
    }

    @Test
    void withoutHooksTheOutputIsTheSame() {
        Sequential model = twoLayers();
        Tensor plain = model.forward(input());
        try (HookHandle h = model.layer("second").registerBackwardHook((l, gi, go) -> { })) {
            Tensor hooked = model.forward(input());
            assertArrayEquals(plain.data(), hooked.data());
        }
        assertFalse(model.layer("second").hasHooks());
    }

    @Test
    void backwardHookSeesTheGradientsOfInputAndOutputWithParametersReady() {
        Sequential model = twoLayers();
        Dense second = (Dense) model.layer("second");
        Tensor[] seen = new Tensor[3];
        second.registerBackwardHook((l, gradIn, gradOut) -> {
            seen[0] = gradIn;
            seen[1] = gradOut;
            seen[2] = second.kernel().grad();      // must already be complete here
        });
        Sequential reference = twoLayers();
        Tensor h = backwardWithoutHooks(reference);

        Tensor out = model.forward(input());
        out.mul(out).sum().backward();
        assertArrayEquals(h.grad().data(), seen[0].data(), 1e-6f);
        assertArrayEquals(out.mul(2f).data(), seen[1].data(), 1e-6f);
        assertNotNull(seen[2]);
        assertArrayEquals(((Dense) reference.layer("second")).kernel().grad().data(), seen[2].data(), 1e-6f);
    }

    /**
     * The reference for the backward-hook tests: loss Σy² through {@code model} without hooks, run layer by layer
     * so that the first layer's output h keeps its gradient; returns h.
     */
    private static Tensor backwardWithoutHooks(Sequential model) {
        Tensor h = model.layer("first").call(input()).retainGrad();
        Tensor y = model.layer("second").call(h);
        y.mul(y).sum().backward();
        return h;
    }

    @Test
    void backwardHookOnTheFirstLayerGetsTheInputGradient() {
        Sequential model = twoLayers();
        Tensor[] gradInput = new Tensor[1];
        model.layer("first").registerBackwardHook((l, gi, go) -> gradInput[0] = gi);
        Tensor x = input();
        model.forward(x).sum().backward();
        assertNotNull(gradInput[0]);
        Tensor xs = x.copy().requiresGrad(true);
        twoLayers().forward(xs).sum().backward();
        assertArrayEquals(xs.grad().data(), gradInput[0].data(), 1e-6f);
    }

    @Test
    void backwardPreHooksSeeEachOutputGradientBeforeTheLayersBackward() {
        Sequential model = twoLayers();
        Dense first = (Dense) model.layer("first");
        List<String> events = new ArrayList<>();
        Tensor[] seen = new Tensor[2];
        for (String name : List.of("first", "second")) {
            model.layer(name).registerBackwardPreHook((l, gradOut) -> {
                events.add(l.name() + (first.kernel().grad() == null ? " before" : " after") + " first's backward");
                seen[l == first ? 0 : 1] = gradOut;
            });
        }
        Tensor h = backwardWithoutHooks(twoLayers());

        Tensor out = model.forward(input());
        out.mul(out).sum().backward();
        assertEquals(List.of("second before first's backward", "first before first's backward"), events);
        assertArrayEquals(h.grad().data(), seen[0].data(), 1e-6f);
        assertArrayEquals(out.mul(2f).data(), seen[1].data(), 1e-6f);
    }

    /**
     * A backward hook on the first layer needs dL/d(input), so backward computes it although the input is data;
     * a pre-hook sees the first layer's output gradient without it: the input gets no gradient at all.
     */
    @Test
    void backwardPreHooksAddNoWorkToBackward() {
        Sequential model = twoLayers();
        int[] calls = new int[1];
        HookHandle handle = model.layer("first").registerBackwardPreHook((l, gradOut) -> calls[0]++);
        Tensor x = input();
        Tensor out = model.forward(x);
        assertSame(x, firstOpInput(out), "no identity op in front of the first layer");
        out.sum().backward();
        assertEquals(1, calls[0]);
        assertNull(x.grad());
        handle.remove();
        assertFalse(model.layer("first").hasHooks());
        model.forward(input()).sum().backward();
        assertEquals(1, calls[0]);
    }

    /** The tensor the graph of {@code out} starts from: follow the first inputs back to a leaf. */
    private static Tensor firstOpInput(Tensor out) {
        Tensor t = out;
        while (t.creator() != null) {
            t = t.creator().inputs()[0];
        }
        return t;
    }

    @Test
    void replacingBackwardHookChangesWhatFlowsOn() {
        Sequential model = twoLayers();
        Tensor x = input().requiresGrad(true);
        model.layer("second").registerBackwardReplaceHook((l, gi, go) -> Tensors.zeros(gi.shape()));
        model.forward(x).sum().backward();
        for (float v : x.grad().data()) {
            assertEquals(0f, v);
        }
        Dense first = (Dense) model.layer("first");
        for (float v : first.kernel().grad().data()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void replacingForwardHookChangesTheOutput() {
        Dense layer = new Dense("d", 4, 3);
        layer.registerForwardReplaceHook((l, in, out) -> Tensors.zeros(out.shape()));
        for (float v : layer.call(input()).data()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void parameterGradientHookFiresOnceWithTheAccumulatedGradient() {
        Dense shared = new Dense("shared", 3, 3);
        List<Tensor> seen = new ArrayList<>();
        shared.kernel().registerGradientHook((p, g) -> seen.add(g.copy()));
        Tensor x = Tensors.randn(new Random(4), 2, 3);
        shared.call(shared.call(x)).sum().backward();     // the kernel is used twice
        assertEquals(1, seen.size());
        assertArrayEquals(shared.kernel().grad().data(), seen.get(0).data());
    }

    @Test
    void noHooksFireInsideNoGradForBackward() {
        Dense layer = new Dense("d", 4, 3);
        List<String> calls = new ArrayList<>();
        layer.registerBackwardHook((l, gi, go) -> calls.add("b"));
        try (NoGrad ignored = NoGrad.enter()) {
            assertNull(layer.call(input()).creator());
        }
        assertEquals(List.of(), calls);
    }
}
