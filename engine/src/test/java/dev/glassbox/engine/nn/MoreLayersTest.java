package dev.glassbox.engine.nn;

import static dev.glassbox.engine.testing.Checks.assertGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MoreLayersTest {

    @Test
    void batchNormalizationNormalisesEachChannelWhileTraining() {
        BatchNormalization bn = new BatchNormalization("bn", 3);
        Tensor x = Tensors.normal(new Random(1), 5f, 2f, 4, 3, 2, 2);
        Tensor y = bn.call(x);
        Tensor mean = y.mean(false, 0, 2, 3);
        for (float m : mean.data()) {
            assertEquals(0f, m, 1e-5f);
        }
        Tensor centered = y.sub(y.mean(true, 0, 2, 3));
        for (float v : centered.mul(centered).mean(false, 0, 2, 3).data()) {
            assertEquals(1f, v, 5e-3f);            // σ²/(σ² + ε) with ε = 1e-3
        }
        // Moving mean moved 1 % of the way from 0 to the batch mean (≈ 5).
        for (float m : bn.movingMean().value().data()) {
            assertTrue(m > 0.03f && m < 0.07f, "moving mean " + m);
        }
    }

    @Test
    void batchNormalizationUsesMovingStatisticsAtInference() {
        BatchNormalization bn = new BatchNormalization("bn", 2);
        bn.movingMean().set(Tensors.vector(1f, -1f));
        bn.movingVariance().set(Tensors.vector(4f, 9f));
        bn.setTraining(false);
        Tensor y = bn.call(Tensors.vector(3f, 2f).reshape(1, 2));
        // (3 - 1)/√(4 + 0.001), (2 + 1)/√(9 + 0.001)
        assertEquals(2 / Math.sqrt(4.001), y.data()[0], 1e-6);
        assertEquals(3 / Math.sqrt(9.001), y.data()[1], 1e-6);
        assertEquals(4, bn.parameters().size());
        assertEquals(2, bn.parameters().stream().filter(Parameter::trainable).count());
    }

    @Test
    void batchNormalizationGradientsMatchFiniteDifferences() {
        BatchNormalization bn = new BatchNormalization("bn", 2);
        bn.gamma().set(Tensors.vector(1.5f, 0.5f));
        Tensor x = Tensors.randn(new Random(2), 3, 2, 2, 2);
        assertGradients("batchnorm", in -> bn.call(in[0]), x);
    }

    @Test
    void functionalResidualGraphRunsAndTrainsThroughBothPaths() {
        Functional.Builder g = Functional.builder("residual");
        String x = g.input("x");
        Dense fc = new Dense("fc", 4, 4, "tanh");
        String h = g.apply(fc, x);
        String y = g.apply(new Add("sum"), h, x);
        Functional model = g.build(y);
        Tensor input = Tensors.randn(new Random(3), 2, 4);
        Tensor expected = fc.call(input).add(input);
        assertArrayEquals(expected.data(), model.forward(input).data());
        assertEquals(List.of("fc", "sum"), model.layers().stream().map(Layer::name).toList());
        assertTrue(model.summary(4).contains("sum (Add)"));
        Tensor in = input.copy().requiresGrad(true);
        model.forward(in).sum().backward();
        assertTrue(fc.kernel().grad() != null && in.grad() != null);
    }

    @Test
    void functionalBuilderRejectsUnknownInputs() {
        Functional.Builder g = Functional.builder("m");
        g.input("x");
        assertThrows(IllegalArgumentException.class, () -> g.apply(new Dense("d", 2, 2), "nope"));
    }

    @Test
    void concatenateJoinsChannels() {
        Concatenate cat = new Concatenate("cat");
        Tensor out = cat.call(List.of(Tensors.ones(2, 1, 3), Tensors.zeros(2, 2, 3)));
        assertArrayEquals(new int[] {2, 3, 3}, out.shape());
    }

    @Test
    void globalPoolingReducesEachMap() {
        Tensor x = Tensors.arange(16).reshape(1, 2, 2, 4);   // channel 0: 0..7, channel 1: 8..15
        assertArrayEquals(new float[] {3.5f, 11.5f},
                new GlobalPooling2D("g", GlobalPooling2D.Kind.AVERAGE).call(x).data());
        assertArrayEquals(new float[] {7f, 15f}, new GlobalPooling2D("m", GlobalPooling2D.Kind.MAX).call(x).data());
    }

    @Test
    void reshapeKeepsTheBatch() {
        assertArrayEquals(new int[] {3, 2, 4}, new Reshape("r", 2, -1).call(Tensors.zeros(3, 8)).shape());
    }

    @Test
    void defaultNamesFollowKeras() {
        Layer.resetDefaultNames();
        assertEquals("dense_1", new Dense(null, 2, 2).name());
        assertEquals("dense_2", new Dense(null, 2, 2).name());
        assertEquals("flatten_1", new Flatten(null).name());
        assertThrows(IllegalArgumentException.class, () -> new Sequential(new Dense("a", 1, 1), new Dense("a", 1, 1)));
    }
}
