package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Relu, LeakyRelu, Elu, Selu, Sigmoid, Tanh, Softplus, Softmax, LogSoftmax: known answers and gradient checks. */
class ActivationOpsTest {
    private static final float TOL = 1e-6f;

    /** Values in ±[0.1, 3): random magnitudes and signs, never near the kink at 0. */
    private static Tensor awayFromZero(long seed, int... shape) {
        Random random = new Random(seed);
        Tensor t = Tensors.uniform(random, 0.1f, 3, shape);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextBoolean() ? v[i] : -v[i];
        }
        return t;
    }

    /** Derivative of sum(f(x)) with respect to x, i.e. f'(x) element-wise. */
    private static float[] derivative(Tensor x, java.util.function.UnaryOperator<Tensor> f) {
        Tensor leaf = x.copy().requiresGrad(true);
        f.apply(leaf).sum().backward();
        return leaf.grad().data();
    }

    @Test
    void reluZeroesNegativesAndHasZeroDerivativeAtZero() {
        // relu([-1, 0, 2]) = [0, 0, 2]; relu' = [0, 0 (the kink, PyTorch's choice), 1]
        Tensor x = Tensors.vector(-1, 0, 2);
        assertArrayEquals(new float[] {0, 0, 2}, x.relu().data());
        assertArrayEquals(new float[] {0, 0, 1}, derivative(x, Tensor::relu));
        Checks.assertGradients("relu", v -> v[0].relu(), awayFromZero(1, 3, 4));
    }

    @Test
    void reluPropagatesNaN() {
        // As PyTorch: relu(NaN) = NaN, so a diverged value is not silently turned into 0; its gradient is 0.
        Tensor x = Tensors.vector(Float.NaN, -0f, 1);
        float[] y = x.relu().data();
        assertTrue(Float.isNaN(y[0]), "relu(NaN) = " + y[0]);
        assertEquals(0f, y[1]);
        assertArrayEquals(new float[] {0, 0, 1}, derivative(x, Tensor::relu));
    }

    @Test
    void leakyReluScalesNegativesBySlopeAlsoAtZero() {
        // slope 0.1: f([-2, 0, 3]) = [-0.2, 0, 3]; f' = [0.1, 0.1 (at 0, as PyTorch), 1]
        Tensor x = Tensors.vector(-2, 0, 3);
        assertArrayEquals(new float[] {-0.2f, 0, 3}, x.leakyRelu(0.1f).data(), TOL);
        assertArrayEquals(new float[] {0.1f, 0.1f, 1}, derivative(x, t -> t.leakyRelu(0.1f)), TOL);
        Checks.assertGradients("leakyRelu", v -> v[0].leakyRelu(0.2f), awayFromZero(2, 3, 4));
    }

    @Test
    void eluMatchesHandComputedValues() {
        // α = 2: elu(1) = 1, elu(-ln 2) = 2·(1/2 - 1) = -1; elu'(-ln 2) = y + α = 1, elu'(1) = 1
        Tensor x = Tensors.vector(1, (float) -Math.log(2));
        assertArrayEquals(new float[] {1, -1}, x.elu(2).data(), TOL);
        assertArrayEquals(new float[] {1, 1}, derivative(x, t -> t.elu(2)), TOL);
        Checks.assertGradients("elu", v -> v[0].elu(1.5f), awayFromZero(3, 3, 4));
    }

    @Test
    void seluMatchesHandComputedValues() {
        // selu(1) = λ; selu(-ln 2) = λα(1/2 - 1) = -λα/2; selu'(-ln 2) = y + λα = λα/2; selu'(1) = λ
        double lambda = SeluOp.SCALE;
        double la = SeluOp.SCALE * SeluOp.ALPHA;
        Tensor x = Tensors.vector(1, (float) -Math.log(2));
        assertArrayEquals(new float[] {(float) lambda, (float) (-la / 2)}, x.selu().data(), TOL);
        assertArrayEquals(new float[] {(float) lambda, (float) (la / 2)}, derivative(x, Tensor::selu), TOL);
        Checks.assertGradients("selu", v -> v[0].selu(), awayFromZero(4, 3, 4));
    }

    @Test
    void sigmoidMatchesHandComputedValues() {
        // σ(0) = 1/2, σ(ln 3) = 1/(1 + 1/3) = 3/4; σ' = y(1 - y) = [1/4, 3/16]
        Tensor x = Tensors.vector(0, (float) Math.log(3));
        assertArrayEquals(new float[] {0.5f, 0.75f}, x.sigmoid().data(), TOL);
        assertArrayEquals(new float[] {0.25f, 0.1875f}, derivative(x, Tensor::sigmoid), TOL);
        Checks.assertGradients("sigmoid", v -> v[0].sigmoid(), awayFromZero(5, 3, 4));
    }

    @Test
    void tanhMatchesHandComputedValues() {
        // tanh(0) = 0, tanh(ln 3) = (3 - 1/3)/(3 + 1/3) = 4/5; tanh' = 1 - y² = [1, 9/25]
        Tensor x = Tensors.vector(0, (float) Math.log(3));
        assertArrayEquals(new float[] {0, 0.8f}, x.tanh().data(), TOL);
        assertArrayEquals(new float[] {1, 0.36f}, derivative(x, Tensor::tanh), TOL);
        Checks.assertGradients("tanh", v -> v[0].tanh(), awayFromZero(6, 3, 4));
    }

    @Test
    void softplusMatchesHandComputedValuesAndStaysFiniteForLargeInputs() {
        // softplus(0) = ln 2, softplus(ln 3) = ln 4; softplus' = σ(x) = [1/2, 3/4]
        // softplus(1000) = 1000 (no overflow of e^1000), softplus(-1000) = 0
        Tensor x = Tensors.vector(0, (float) Math.log(3), 1000, -1000);
        assertArrayEquals(new float[] {(float) Math.log(2), (float) Math.log(4), 1000, 0}, x.softplus().data(),
                TOL);
        assertArrayEquals(new float[] {0.5f, 0.75f, 1, 0}, derivative(x, Tensor::softplus), TOL);
        Checks.assertGradients("softplus", v -> v[0].softplus(), awayFromZero(7, 3, 4));
    }

    @Test
    void softmaxMatchesHandComputedProbabilities() {
        // Row [0, ln 3]: e⁰ : e^(ln 3) = 1 : 3 → [1/4, 3/4]. Row [1000, 1000]: equal → [1/2, 1/2] (no overflow).
        Tensor x = Tensors.of(new float[] {0, (float) Math.log(3), 1000, 1000}, 2, 2);
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.5f, 0.5f}, x.softmax(1).data(), TOL);
        // Along axis 0 the columns are [0, 1000] and [ln 3, 1000]: e^-1000 underflows to exactly 0.
        assertArrayEquals(new float[] {0, 0, 1, 1}, x.softmax(0).data(), TOL);
    }

    @Test
    void softmaxGradientMatchesHandComputedJacobian() {
        // y = [1/4, 3/4], L = y₀: dL/dx_j = y_j([j == 0] - y₀) = [1/4 · 3/4, 3/4 · (-1/4)] = [3/16, -3/16]
        Tensor x = Tensors.vector(0, (float) Math.log(3)).requiresGrad(true);
        x.softmax(0).backward(Tensors.vector(1, 0));
        assertArrayEquals(new float[] {0.1875f, -0.1875f}, x.grad().data(), TOL);
    }

    @Test
    void softmaxPassesGradientChecksAlongEveryAxis() {
        Tensor x = Tensors.randn(new Random(8), 2, 3, 4);
        for (int axis : new int[] {0, 1, 2, -1}) {
            Checks.assertGradients("softmax axis " + axis, v -> v[0].softmax(axis), x);
        }
    }

    @Test
    void logSoftmaxMatchesHandComputedValuesWithoutLosingLargeGaps() {
        // Row [0, ln 3]: log([1/4, 3/4]) = [-ln 4, ln 3 - ln 4].
        // Row [0, 20000]: [-20000, 0] exactly, where log(softmax) would give log(0) = -inf.
        Tensor x = Tensors.of(new float[] {0, (float) Math.log(3), 0, 20000}, 2, 2);
        float[] y = x.logSoftmax(1).data();
        assertArrayEquals(new float[] {(float) -Math.log(4), (float) (Math.log(3) - Math.log(4)), -20000, 0}, y, TOL);
        for (float v : y) {
            assertFalse(Float.isInfinite(v) || Float.isNaN(v), "logSoftmax gave " + v);
        }
    }

    @Test
    void logSoftmaxGradientMatchesHandComputedValues() {
        // y = log softmax, L = y₀: dL/dx_j = [j == 0] - p_j with p = [1/4, 3/4] → [3/4, -3/4]
        Tensor x = Tensors.vector(0, (float) Math.log(3)).requiresGrad(true);
        x.logSoftmax(0).backward(Tensors.vector(1, 0));
        assertArrayEquals(new float[] {0.75f, -0.75f}, x.grad().data(), TOL);
    }

    @Test
    void logSoftmaxPassesGradientChecksAlongEveryAxis() {
        Tensor x = Tensors.randn(new Random(9), 2, 3, 4);
        for (int axis : new int[] {0, 1, 2, -1}) {
            Checks.assertGradients("logSoftmax axis " + axis, v -> v[0].logSoftmax(axis), x);
        }
    }

    @Test
    void softmaxOfASingleClassIsOne() {
        // One class: e^(x - x) / e^(x - x) = 1 whatever x is, and the gradient is 0.
        Tensor x = Tensors.of(new float[] {-5, 7}, 2, 1).requiresGrad(true);
        Tensor y = x.softmax(1);
        assertArrayEquals(new float[] {1, 1}, y.data());
        y.backward(Tensors.of(new float[] {3, -2}, 2, 1));
        assertEquals(0f, x.grad().data()[0]);
        assertEquals(0f, x.grad().data()[1]);
    }
}
