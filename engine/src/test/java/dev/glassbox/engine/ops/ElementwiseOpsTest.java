package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Checks;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Add, Mul, Div, Neg, Pow, Exp, Log, Sqrt, Abs, Clamp: known answers and gradient checks. */
class ElementwiseOpsTest {
    private static final float TOL = 1e-6f;

    /** Values in [low, high) drawn from a fixed seed, so failures reproduce. */
    private static Tensor uniform(long seed, float low, float high, int... shape) {
        return Tensors.uniform(new Random(seed), low, high, shape);
    }

    // ---------------------------------------------------------------- Add

    @Test
    void addBroadcastsARowOverAMatrix() {
        // [[1, 2], [3, 4]] + [10, 20] = [[11, 22], [13, 24]]
        Tensor a = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = a.add(Tensors.vector(10, 20));
        assertArrayEquals(new int[] {2, 2}, y.shape());
        assertArrayEquals(new float[] {11, 22, 13, 24}, y.data());
    }

    @Test
    void addSumsTheGradientOverBroadcastDimensions() {
        // y = a + b with a [2, 3], b [3]: dL/db_j = Σ_i dL/dy_ij = 2 for L = Σ y.
        Tensor a = Tensors.zeros(2, 3).requiresGrad(true);
        Tensor b = Tensors.zeros(3).requiresGrad(true);
        a.add(b).sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, a.grad().data());
        assertArrayEquals(new float[] {2, 2, 2}, b.grad().data());
        assertArrayEquals(new int[] {3}, b.grad().shape());
    }

    @Test
    void addPassesGradientChecks() {
        Checks.assertGradients("add same shape", x -> x[0].add(x[1]), uniform(1, -2, 2, 3, 4), uniform(2, -2, 2, 3, 4));
        Checks.assertGradients("add [3,1]+[1,4]", x -> x[0].add(x[1]), uniform(3, -2, 2, 3, 1),
                uniform(4, -2, 2, 1, 4));
        Checks.assertGradients("add [2,3,4]+scalar", x -> x[0].add(x[1]), uniform(5, -2, 2, 2, 3, 4),
                Tensors.scalar(0.5f));
    }

    @Test
    void addRejectsShapesThatDoNotBroadcast() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensors.zeros(2, 3).add(Tensors.zeros(2)));
        assertEquals(true, e.getMessage().contains("add"), e.getMessage());
    }

    // ---------------------------------------------------------------- Mul

    @Test
    void mulBroadcastsAColumnAndGivesEachOperandTheOthersValues() {
        // [[1, 2], [3, 4]] * [[2], [-1]] = [[2, 4], [-3, -4]]
        // L = Σ y: dL/da = b broadcast = [[2, 2], [-1, -1]]; dL/db_i = Σ_j a_ij = [3, 7].
        Tensor a = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor b = Tensors.of(new float[] {2, -1}, 2, 1).requiresGrad(true);
        Tensor y = a.mul(b);
        assertArrayEquals(new float[] {2, 4, -3, -4}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {2, 2, -1, -1}, a.grad().data());
        assertArrayEquals(new float[] {3, 7}, b.grad().data());
    }

    @Test
    void mulPassesGradientChecks() {
        Checks.assertGradients("mul same shape", x -> x[0].mul(x[1]), uniform(6, -2, 2, 3, 4), uniform(7, -2, 2, 3, 4));
        Checks.assertGradients("mul [2,1,3]*[4,1]", x -> x[0].mul(x[1]), uniform(8, -2, 2, 2, 1, 3),
                uniform(9, -2, 2, 4, 1));
        Checks.assertGradients("mul x*x", x -> x[0].mul(x[0]), uniform(10, -2, 2, 5));
    }

    // ---------------------------------------------------------------- Div

    @Test
    void divMatchesHandComputedQuotientAndGradients() {
        // y = a / b with a = [6, 1], b = 2 (broadcast): y = [3, 0.5]
        // L = Σ y: dL/da = 1/b = [0.5, 0.5]; dL/db = Σ -a/b² = -(6 + 1)/4 = -1.75.
        Tensor a = Tensors.vector(6, 1).requiresGrad(true);
        Tensor b = Tensors.scalar(2).requiresGrad(true);
        Tensor y = a.div(b);
        assertArrayEquals(new float[] {3, 0.5f}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {0.5f, 0.5f}, a.grad().data());
        assertEquals(-1.75f, b.grad().item());
    }

    @Test
    void divGradientOfTheDenominatorStaysFiniteWhenItsSquareLeavesFloatRange() {
        // b = 1e-23: b² = 1e-46 underflows float32 to 0, yet dL/db = Σ -a/b² is finite:
        // a = [0, 1e-30] → dL/db = -(0 + 1e-30)/1e-46 = -1e16 (a float b² gives 0/0 = NaN for the a = 0 term).
        // b = 1e20 with a = 1e20: b² = 1e40 overflows float32, yet dL/db = -1e20/1e40 = -1e-20 (not -0).
        Tensor a = Tensors.vector(0, 1e-30f).requiresGrad(true);
        Tensor b = Tensors.scalar(1e-23f).requiresGrad(true);
        a.div(b).sum().backward();
        assertEquals(-1e16f, b.grad().item(), 1e16f * 1e-5f);
        Tensor c = Tensors.vector(1e20f).requiresGrad(true);
        Tensor d = Tensors.vector(1e20f).requiresGrad(true);
        c.div(d).sum().backward();
        assertEquals(-1e-20f, d.grad().item(), 1e-20f * 1e-5f);
    }

    @Test
    void divPassesGradientChecks() {
        Tensor denominator = uniform(12, 0.5f, 2, 3, 4);
        Checks.assertGradients("div same shape", x -> x[0].div(x[1]), uniform(11, -2, 2, 3, 4), denominator);
        Checks.assertGradients("div [3,4]/[4]", x -> x[0].div(x[1]), uniform(13, -2, 2, 3, 4),
                uniform(14, 0.5f, 2, 4).neg());
        Checks.assertGradients("div [3,1]/[1,4]", x -> x[0].div(x[1]), uniform(23, -2, 2, 3, 1),
                uniform(24, 0.5f, 2, 1, 4));
        Checks.assertGradients("div scalar/[2,3]", x -> x[0].div(x[1]), Tensors.scalar(1.5f),
                uniform(25, 0.5f, 2, 2, 3));
    }

    // ---------------------------------------------------------------- Neg

    @Test
    void negFlipsValuesAndGradients() {
        // y = -x, dy/dx = -1
        Tensor x = Tensors.vector(1.5f, -2, 0).requiresGrad(true);
        Tensor y = x.neg();
        assertArrayEquals(new float[] {-1.5f, 2, -0f}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {-1, -1, -1}, x.grad().data());
        Checks.assertGradients("neg", v -> v[0].neg(), uniform(15, -3, 3, 2, 3));
    }

    // ---------------------------------------------------------------- Pow

    @Test
    void powMatchesHandComputedValuesAndDerivative() {
        // y = x³ at x = [2, -1]: y = [8, -1]; dy/dx = 3x² = [12, 3]
        Tensor x = Tensors.vector(2, -1).requiresGrad(true);
        Tensor y = x.pow(3);
        assertArrayEquals(new float[] {8, -1}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {12, 3}, x.grad().data());
    }

    @Test
    void powPassesGradientChecks() {
        Checks.assertGradients("pow 2", x -> x[0].pow(2), uniform(16, -2, 2, 3, 3));
        Checks.assertGradients("pow 0.5", x -> x[0].pow(0.5f), uniform(17, 0.5f, 3, 3, 3));
        Checks.assertGradients("pow -1.5", x -> x[0].pow(-1.5f), uniform(18, 0.5f, 3, 3, 3));
    }

    @Test
    void powWithExponentZeroHasZeroGradientEvenAtZero() {
        // x⁰ = 1 everywhere (also 0⁰ = 1, as PyTorch), so the derivative is 0, never 0 · 0⁻¹ = NaN.
        Tensor x = Tensors.vector(0, 2).requiresGrad(true);
        Tensor y = x.pow(0);
        assertArrayEquals(new float[] {1, 1}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0}, x.grad().data());
    }

    // ---------------------------------------------------------------- Exp, Log, Sqrt

    @Test
    void expLogAndSqrtMatchHandComputedValues() {
        // exp(0) = 1, exp(ln 2) = 2; ln(1) = 0, ln(e²) = 2; sqrt(4) = 2, sqrt(0.25) = 0.5
        assertArrayEquals(new float[] {1, 2}, Tensors.vector(0, (float) Math.log(2)).exp().data(), TOL);
        assertArrayEquals(new float[] {0, 2}, Tensors.vector(1, (float) Math.exp(2)).log().data(), TOL);
        assertArrayEquals(new float[] {2, 0.5f}, Tensors.vector(4, 0.25f).sqrt().data());
    }

    @Test
    void expLogAndSqrtHaveHandComputedDerivatives() {
        // d/dx eˣ at 0 = 1; d/dx ln x at 4 = 0.25; d/dx √x at 4 = 1/(2·2) = 0.25
        Tensor a = Tensors.vector(0).requiresGrad(true);
        a.exp().sum().backward();
        assertEquals(1f, a.grad().item(), TOL);
        Tensor b = Tensors.vector(4).requiresGrad(true);
        b.log().sum().backward();
        assertEquals(0.25f, b.grad().item(), TOL);
        Tensor c = Tensors.vector(4).requiresGrad(true);
        c.sqrt().sum().backward();
        assertEquals(0.25f, c.grad().item(), TOL);
    }

    @Test
    void expLogAndSqrtPassGradientChecks() {
        Checks.assertGradients("exp", x -> x[0].exp(), uniform(19, -3, 3, 2, 5));
        Checks.assertGradients("log", x -> x[0].log(), uniform(20, 0.2f, 5, 2, 5));
        Checks.assertGradients("sqrt", x -> x[0].sqrt(), uniform(21, 0.2f, 5, 2, 5));
    }

    // ---------------------------------------------------------------- Abs, Clamp

    @Test
    void absUsesTheSignAndZeroAtTheKink() {
        // |[-2, 0, 3]| = [2, 0, 3]; d|x|/dx = [-1, 0 (the kink, PyTorch's choice), 1]
        Tensor x = Tensors.vector(-2, 0, 3).requiresGrad(true);
        Tensor y = x.abs();
        assertArrayEquals(new float[] {2, 0, 3}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {-1, 0, 1}, x.grad().data());
    }

    @Test
    void clampPassesGradientOnlyInsideTheBoundsIncludingThem() {
        // clamp([-2, -1, 0.5, 1, 3], -1, 1) = [-1, -1, 0.5, 1, 1]; gradient 1 where -1 ≤ x ≤ 1 (bounds included)
        Tensor x = Tensors.vector(-2, -1, 0.5f, 1, 3).requiresGrad(true);
        Tensor y = x.clamp(-1, 1);
        assertArrayEquals(new float[] {-1, -1, 0.5f, 1, 1}, y.data());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 1, 1, 1, 0}, x.grad().data());
    }

    @Test
    void clampRejectsMinAboveMax() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClampOp(2, 1));
        assertEquals(true, e.getMessage().contains("clamp"), e.getMessage());
    }

    @Test
    void absAndClampPassGradientChecksAwayFromKinks() {
        // Values in ±[0.2, 2]: at least 0.2 from the kink at 0, farther than the finite-difference step.
        Tensor x = uniform(22, 0.2f, 2, 3, 4).mul(Tensors.of(new float[] {1, -1, 1, -1}, 4));
        Checks.assertGradients("abs", v -> v[0].abs(), x);
        // Bounds ±1.1: the nearest values (-0.7, 0.8, 1.5) are at least 0.3 away, far beyond the step of 0.01–0.03,
        // so no finite difference crosses a kink.
        Tensor y = Tensors.vector(-2, -0.7f, -0.3f, 0.25f, 0.8f, 1.5f, 3);
        Checks.assertGradients("clamp", v -> v[0].clamp(-1.1f, 1.1f), y);
    }
}
