package dev.glassbox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkspaceTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void outsideAStepEveryCallIsAFreshArray() {
        assertFalse(Workspace.inStep());
        float[] a = Workspace.floatsToOverwrite(8);
        float[] b = Workspace.floatsToOverwrite(8);
        assertNotSame(a, b);
        assertArrayEquals(new float[8], Workspace.floats(8));
    }

    @Test
    void theNextStepReusesTheArraysOfTheStepBeforeAndZeroesWhatItMustZero() {
        Workspace workspace = new Workspace();
        float[] first;
        int[] indices;
        try (Workspace.Step ignored = workspace.step()) {
            assertTrue(Workspace.inStep());
            first = Workspace.floats(5);
            indices = Workspace.intsToOverwrite(3);
            java.util.Arrays.fill(first, 7f);
        }
        assertFalse(Workspace.inStep());
        try (Workspace.Step ignored = workspace.step()) {
            float[] again = Workspace.floats(5);
            assertSame(first, again);
            assertArrayEquals(new float[5], again, "floats() must zero a reused array");
            assertSame(indices, Workspace.intsToOverwrite(3));
            assertNotSame(first, Workspace.floats(5), "one array serves one request per step");
        }
        assertEquals(3, workspace.arraysCreated());
        assertEquals(2, workspace.arraysReused());
    }

    @Test
    void aTensorOfAnEarlierStepRefusesToBeReadAndSaysWhy() {
        Workspace workspace = new Workspace();
        Tensor kept;
        Tensor view;
        Tensor copy;
        try (Workspace.Step ignored = workspace.step()) {
            kept = new Tensor(Workspace.floats(6), 2, 3);
            view = kept.reshape(3, 2);
            copy = kept.copy();
            assertEquals(0f, kept.get(1, 2));               // readable during its step
        }
        assertEquals(0f, kept.get(1, 2));                   // and after it, until the next step opens
        try (Workspace.Step ignored = workspace.step()) {
            Workspace.floats(6);                            // the next step takes the array back
            IllegalStateException e = assertThrows(IllegalStateException.class, kept::data);
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("copy"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> view.get(0, 0));
            assertThrows(IllegalStateException.class, () -> kept.detach().data());
            assertTrue(kept.toString().contains("no longer readable"), kept.toString());
            assertEquals(6, copy.data().length, "a copy never comes from a workspace");
        }
    }

    @Test
    void aRetainedTensorStaysReadableAndItsArrayIsNotHandedOutUntilReleased() {
        Workspace workspace = new Workspace();
        Tensor held;
        Runnable release;
        try (Workspace.Step ignored = workspace.step()) {
            held = new Tensor(Workspace.floats(4), 4);
            held.data()[2] = 5f;
            release = Workspace.retain(held);
        }
        float[] inNextStep;
        try (Workspace.Step ignored = workspace.step()) {
            inNextStep = Workspace.floats(4);
            assertNotSame(held.data(), inNextStep, "a retained array must not be handed out");
            assertEquals(5f, held.get(2));
            release.run();                                  // e.g. from the worker that read it
            assertThrows(IllegalStateException.class, held::data);
            assertThrows(IllegalStateException.class, release::run, "released twice");
        }
        try (Workspace.Step ignored = workspace.step()) {
            float[] a = Workspace.floats(4);
            float[] b = Workspace.floats(4);
            assertTrue((a == inNextStep || b == inNextStep) && (a != b), "both arrays are back in use");
        }
        Tensor plain = Tensors.zeros(3);
        Workspace.retain(plain).run();                      // nothing to hold: releasing does nothing
        assertEquals(0f, plain.get(0));
    }

    @Test
    void stepsDoNotNestAndSizesTheLastStepDidNotUseAreDropped() {
        Workspace workspace = new Workspace();
        try (Workspace.Step ignored = workspace.step()) {
            Workspace.floats(100);
            IllegalStateException e = assertThrows(IllegalStateException.class, workspace::step);
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        try (Workspace.Step ignored = workspace.step()) {
            Workspace.floats(10);                           // a shorter batch: 100 is not asked for
        }
        try (Workspace.Step ignored = workspace.step()) {
            assertTrue(workspace.describe().startsWith("free float arrays: 1 (40 bytes)"), workspace.describe());
        }
    }

    /**
     * Every array handed back is filled with NaN first, so an op that reads an array it was given to overwrite
     * (or that accumulates into one it did not zero) turns the weights into NaN, or at least changes them.
     */
    @Test
    void trainingWithReusedArraysGivesTheSameWeightsBitForBit() {
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            Dataset data = Mnist.train().first(64 * 4);
            Sequential plain = SeedModels.cnn(3);
            Sequential reusing = SeedModels.cnn(3);
            Sgd plainSgd = new Sgd(plain.trainableParameters(), 0.01f, 0.9f);
            Sgd reusingSgd = new Sgd(reusing.trainableParameters(), 0.01f, 0.9f);
            Workspace workspace = new Workspace(true);
            for (int step = 0; step < 4; step++) {
                Dataset batch = data.range(step * 64, step * 64 + 64);
                trainStep(plain, plainSgd, batch);
                try (Workspace.Step ignored = workspace.step()) {
                    trainStep(reusing, reusingSgd, batch);
                }
            }
            assertEquals(3 * workspace.arraysCreated(), workspace.arraysReused(), "steps 2-4 create nothing");
            List<Parameter> expected = plain.parameters();
            List<Parameter> actual = reusing.parameters();
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).value().toArray(), actual.get(i).value().toArray(),
                        expected.get(i).fullName() + " with " + threads + " threads");
            }
        }
    }

    private static void trainStep(Sequential model, Sgd optimizer, Dataset batch) {
        Tensor loss = Losses.nll(model.forward(batch.inputs()), batch.labels());
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
    }

    @Test
    void trainerFitLetsAHookCopyButNotKeepATensorAcrossSteps() {
        Sequential model = SeedModels.mlp(2);
        Layer hidden = model.layers().get(1);
        List<Tensor> copies = new ArrayList<>();
        List<Tensor> references = new ArrayList<>();
        var handle = hidden.registerForwardHook((layer, input, output) -> {
            copies.add(output.copy());
            references.add(output);
        });
        Trainer.fit(model, Loss.nll(), new Sgd(model.trainableParameters(), 0.1f, 0f), Mnist.train().first(30),
                Trainer.Options.of(1, 10, 1));
        handle.remove();
        assertEquals(3, copies.size());
        assertArrayEquals(copies.get(2).data(), references.get(2).data(), "the last step stays readable");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> references.get(0).data());
        assertTrue(e.getMessage().contains("copy it there"), e.getMessage());
    }

    /** From a hook inside another step (or any open step), fit and evaluate run on that step's workspace. */
    @Test
    void fitAndEvaluateInsideAnOpenStepTakeThatStepsArrays() {
        Workspace outer = new Workspace();
        Sequential model = SeedModels.mlp(4);
        Dataset data = Mnist.train().first(20);
        try (Workspace.Step ignored = outer.step()) {
            Trainer.fit(model, Loss.categoricalCrossEntropy(), new Sgd(model.trainableParameters(), 0.1f, 0f), data,
                    Trainer.Options.of(1, 10, 1));
            Trainer.Evaluation evaluation = Trainer.evaluate(model, Loss.categoricalCrossEntropy(), data, 10);
            assertEquals(20, evaluation.size());
            assertTrue(Workspace.inStep());
        }
        assertTrue(outer.arraysCreated() > 20, "the ops took their arrays from the open step: " + outer.describe());
    }

    @Test
    void predictInBatchesGivesTheOutputOfOneForwardPass() {
        Sequential model = SeedModels.cnn(6);
        Tensor x = Mnist.test().first(45).inputs();
        model.eval();
        Tensor whole;
        try (dev.glassbox.engine.autograd.NoGrad ignored = dev.glassbox.engine.autograd.NoGrad.enter()) {
            whole = model.forward(x);
        }
        Tensor batched = Trainer.predict(model, x, 16);                 // 16, 16 and 13 digits
        assertArrayEquals(whole.shape(), batched.shape());
        assertArrayEquals(whole.data(), batched.data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.predict(model, x.slice(0, 0, 0), 8));
        assertTrue(e.getMessage().contains("no inputs"), e.getMessage());
    }
}
