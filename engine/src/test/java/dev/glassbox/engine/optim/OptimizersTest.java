package dev.glassbox.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers for the update rules on a single weight w = 1 with a gradient set by hand. */
class OptimizersTest {

    /** A one-weight parameter. */
    private static Parameter weight() {
        Dense d = new Dense("w", 1, 1, "linear", false);
        d.kernel().set(Tensors.of(new float[] {1f}, 1, 1));
        return d.kernel();
    }

    private static float step(Optimizer o, Parameter p, float gradient) {
        p.value().zeroGrad();
        p.value().accumulateGrad(Tensors.of(new float[] {gradient}, 1, 1));
        o.step();
        return p.value().data()[0];
    }

    @Test
    void nesterovLooksAhead() {
        // g = 1, m = 0.9: b = 1, direction = g + m·b = 1.9, w = 1 - 0.1·1.9 = 0.81
        Parameter p = weight();
        assertEquals(0.81f, step(new Sgd(List.of(p), 0.1f, 0.9f, 0f, true, 0f), p, 1f), 1e-6f);
    }

    @Test
    void weightDecayAddsToTheGradient() {
        // g = 0 + 0.5·w = 0.5, w = 1 - 0.1·0.5 = 0.95
        Parameter p = weight();
        assertEquals(0.95f, step(new Sgd(List.of(p), 0.1f, 0f, 0f, false, 0.5f), p, 0f), 1e-6f);
    }

    @Test
    void adamFirstStepMovesByTheLearningRate() {
        // m̂ = g and v̂ = g², so the first step is lr · g/(|g| + ε) ≈ lr whatever g is.
        Parameter p = weight();
        assertEquals(1f - 1e-3f, step(new Adam(List.of(p), 1e-3f), p, 40f), 1e-6f);
    }

    @Test
    void adamWDecaysTheWeightBeforeTheUpdate() {
        // w ← w - lr·λ·w = 1 - 0.1·0.1 = 0.99; the Adam step of a zero gradient is 0.
        Parameter p = weight();
        assertEquals(0.99f, step(Adam.adamW(List.of(p), 0.1f, 0.1f), p, 0f), 1e-6f);
    }

    @Test
    void amsgradRemembersTheLargestSecondMoment() {
        // After a large gradient and a tiny one, AMSGrad divides by the remembered large √v and moves less
        // than Adam, whose v has started to decay.
        Parameter a = weight();
        Parameter b = weight();
        Adam plain = new Adam(List.of(a), 0.1f, 0.9f, 0.5f, 1e-8f, false, 0f, Adam.Flavor.PYTORCH);
        Adam ams = new Adam(List.of(b), 0.1f, 0.9f, 0.5f, 1e-8f, true, 0f, Adam.Flavor.PYTORCH);
        step(plain, a, 10f);
        step(ams, b, 10f);
        float beforeA = a.value().data()[0];
        float beforeB = b.value().data()[0];
        float movedPlain = Math.abs(step(plain, a, -5f) - beforeA);
        float movedAms = Math.abs(step(ams, b, -5f) - beforeB);
        assertTrue(movedAms < movedPlain, "AMSGrad moved " + movedAms + ", Adam " + movedPlain);
    }

    @Test
    void rmspropAndAdagradOfAConstantGradient() {
        // RMSprop: s = 0.01·g² = 0.04, step = lr·g/√s = 0.01·2/0.2 = 0.1
        Parameter p = weight();
        assertEquals(0.9f, step(new RmsProp(List.of(p), 0.01f), p, 2f), 1e-5f);
        // Adagrad: s = 9, step = 0.5·3/3 = 0.5; then s = 18, step = 0.5·3/√18
        Parameter q = weight();
        Adagrad adagrad = new Adagrad(List.of(q), 0.5f);
        assertEquals(0.5f, step(adagrad, q, 3f), 1e-6f);
        assertEquals(0.5f - 0.5f * 3 / (float) Math.sqrt(18), step(adagrad, q, 3f), 1e-6f);
    }

    @Test
    void kerasAdamAddsEpsilonToTheUncorrectedRoot() {
        // t = 1: lr_t = lr·√(1-β₂)/(1-β₁), m = 0.1g, v = 0.001g²; step = lr_t · m/(√v + 1e-7)
        Parameter p = weight();
        float g = 1e-4f;
        double lrT = 1e-3 * Math.sqrt(0.001) / 0.1;
        double expected = 1 - lrT * 0.1 * g / (Math.sqrt(0.001) * g + 1e-7);
        assertEquals(expected, step(Adam.keras(List.of(p), 1e-3f), p, g), 1e-6);
    }

    @Test
    void frozenParametersAndMissingGradientsAreSkipped() {
        Parameter p = weight();
        Sgd sgd = new Sgd(List.of(p), 0.1f);
        sgd.step();                                   // no gradient yet
        assertEquals(1f, p.value().data()[0]);
        p.trainable(false);
        p.value().requiresGrad(true);
        p.value().accumulateGrad(Tensors.of(new float[] {1f}, 1, 1));
        sgd.step();
        assertEquals(1f, p.value().data()[0]);
    }

    @Test
    void schedulesGiveTheDocumentedRates() {
        assertEquals(0.1f, LearningRateSchedule.step(2, 0.1f).learningRate(1, 0.1f), 1e-9f);
        assertEquals(0.01f, LearningRateSchedule.step(2, 0.1f).learningRate(2, 0.1f), 1e-9f);
        assertEquals(0.025f, LearningRateSchedule.exponential(0.5f).learningRate(2, 0.1f), 1e-9f);
        assertEquals(0.1f, LearningRateSchedule.cosine(10, 0f).learningRate(0, 0.1f), 1e-9f);
        assertEquals(0.05f, LearningRateSchedule.cosine(10, 0f).learningRate(5, 0.1f), 1e-7f);
        assertEquals(0f, LearningRateSchedule.cosine(10, 0f).learningRate(10, 0.1f), 1e-9f);
    }

    @Test
    void invalidHyperparametersAreRejected() {
        Parameter p = weight();
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), -1f));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1f, 0f, 0f, true, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1f, 1f, 0.9f, 1e-8f, false, 0f,
                Adam.Flavor.PYTORCH));
    }
}
