package dev.glassbox.engine.autograd;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.Random;
import java.util.function.Function;

/**
 * Gradient checking: compares the analytic backward of any op or composition with central finite differences.
 *
 * <p>The check turns the output y = f(x₁, …) into the scalar L = Σ y·r with a fixed random r (so every output
 * element matters), runs backward once for the analytic dL/dx, then nudges each input element by ±h and takes
 * (L(x+h) - L(x-h)) / (2h). Float32 makes this delicate, so (DL4J's discipline):
 * <ul>
 * <li>L is accumulated in double, and the denominator is the float32 difference actually applied;</li>
 * <li>the step h is relative to the element's magnitude ({@code relativeStep · max(1, |x|)});</li>
 * <li>an element passes when |analytic - numeric| ≤ maxRelativeError · max(|analytic|, |numeric|) + absoluteFloor:
 *     a relative error alone would fail on gradients that are zero up to rounding;</li>
 * <li>inputs should stay away from kinks (relu at 0, ties of max): there the two sides disagree by definition.</li>
 * </ul>
 * Exactness beyond what finite differences can show comes from the PyTorch reference fixtures.
 */
public final class GradCheck {
    public static final double DEFAULT_RELATIVE_STEP = 1e-2;
    public static final double DEFAULT_MAX_RELATIVE_ERROR = 1e-2;
    public static final double DEFAULT_ABSOLUTE_FLOOR = 1e-3;

    private GradCheck() {}

    /** The outcome of a check: whether every element passed, and the worst element found. */
    public record Result(String name, boolean passed, int checked, int input, int index, double analytic,
            double numeric, double excess) {
        @Override
        public String toString() {
            return String.format("gradient check of %s %s over %d elements; worst: input %d, element %d,"
                    + " analytic %.6g vs numeric %.6g", name, passed ? "passed" : "FAILED", checked, input, index,
                    analytic, numeric);
        }
    }

    /** Checks with the default step and tolerances. */
    public static Result check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(name, f, DEFAULT_RELATIVE_STEP, DEFAULT_MAX_RELATIVE_ERROR, DEFAULT_ABSOLUTE_FLOOR, inputs);
    }

    /**
     * @param f the function under test; called once with recording on and then many times inside NoGrad
     * @param inputs (not modified) the point at which to check; copies are differentiated
     */
    public static Result check(String name, Function<Tensor[], Tensor> f, double relativeStep,
            double maxRelativeError, double absoluteFloor, Tensor... inputs) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = inputs[i].copy().requiresGrad(true);
        }
        Tensor y = f.apply(x);
        Tensor r = Tensors.randn(new Random(y.size() * 31L + 7), y.shape());
        y.backward(r);

        Result worst = new Result(name, true, 0, -1, -1, 0, 0, Double.NEGATIVE_INFINITY);
        int checked = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int t = 0; t < x.length; t++) {
                float[] values = x[t].data();
                float[] analytic = x[t].grad() == null ? new float[values.length] : x[t].grad().data();
                for (int i = 0; i < values.length; i++) {
                    float original = values[i];
                    float h = (float) (relativeStep * Math.max(1.0, Math.abs(original)));
                    values[i] = original + h;
                    float up = values[i];
                    double lossUp = weightedSum(f.apply(x), r);
                    values[i] = original - h;
                    float down = values[i];
                    double lossDown = weightedSum(f.apply(x), r);
                    values[i] = original;
                    double numeric = (lossUp - lossDown) / ((double) up - down);
                    double a = analytic[i];
                    double allowed = maxRelativeError * Math.max(Math.abs(a), Math.abs(numeric)) + absoluteFloor;
                    double excess = Math.abs(a - numeric) - allowed;
                    if (Double.isNaN(excess)) {
                        excess = Double.POSITIVE_INFINITY;
                    }
                    checked++;
                    if (excess > worst.excess()) {
                        worst = new Result(name, excess <= 0, 0, t, i, a, numeric, excess);
                    }
                }
            }
        }
        return new Result(name, worst.excess() <= 0, checked, worst.input(), worst.index(), worst.analytic(),
                worst.numeric(), worst.excess());
    }

    private static double weightedSum(Tensor y, Tensor r) {
        float[] yv = y.data();
        float[] rv = r.data();
        double sum = 0;
        for (int i = 0; i < yv.length; i++) {
            sum += (double) yv[i] * rv[i];
        }
        return sum;
    }
}
