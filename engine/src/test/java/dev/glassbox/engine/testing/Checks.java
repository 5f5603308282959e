package dev.glassbox.engine.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.GradCheck;
import dev.glassbox.engine.tensor.Tensor;
import java.util.function.Function;

/** Test-side shorthands around the public {@link GradCheck}. */
public final class Checks {
    private Checks() {}

    /** Asserts that the analytic gradient of {@code f} at {@code inputs} agrees with finite differences. */
    public static void assertGradients(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Result result = GradCheck.check(name, f, inputs);
        assertTrue(result.passed(), result::toString);
        assertTrue(result.checked() > 0, () -> name + ": no element was checked");
    }
}
