package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Fixtures;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The single-op cases of {@code shared/fixtures/ops.h5} that concern linear algebra, activations, softmax and
 * cross-entropy, and flatten order. Inputs, upstream gradients and references all come from the file (see its
 * README): {@code g_<input>} is the vector-Jacobian product with the stored {@code gy}.
 */
class PyTorchFixtureTest {
    private static final String FILE = "ops.h5";
    /** The README's extra rule for log-softmax values such as -2000 or -20000: 1e-6 relative. */
    private static final double LOG_SOFTMAX_RELATIVE = 1e-6;

    private static Fixtures ops;

    @BeforeAll
    static void open() {
        ops = Fixtures.open(FILE);
    }

    @AfterAll
    static void close() {
        ops.close();
    }

    private static Tensor leaf(String path) {
        return ops.tensor(path).requiresGrad(true);
    }

    private static void assertClose(String path, Tensor actual) {
        Fixtures.assertClose(FILE + ":" + path, ops.tensor(path), actual);
    }

    /** The extreme-value rule: not a single NaN or infinity. */
    private static void assertFinite(String what, Tensor actual) {
        float[] v = actual.data();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                fail(FILE + ":" + what + ": element " + i + " is " + v[i]);
            }
        }
    }

    @Test
    void linearMatchesPyTorchForwardAndGradients() {
        // F.linear(x, w, b) = x @ w.T + b with w in PyTorch's [out, in] layout.
        Tensor x = leaf("linear/x");
        Tensor w = leaf("linear/w");
        Tensor b = leaf("linear/b");
        Tensor y = x.matmul(w.t()).add(b);
        assertClose("linear/y", y);
        y.backward(ops.tensor("linear/gy"));
        assertClose("linear/g_x", x.grad());
        assertClose("linear/g_w", w.grad());
        assertClose("linear/g_b", b.grad());
    }

    @Test
    void softmaxAtExtremeLogitsMatchesPyTorch() {
        Tensor z = leaf("softmax_large/z");
        Tensor y = z.softmax(1);
        assertFinite("softmax_large/y", y);
        assertClose("softmax_large/y", y);
        assertUnderflowIsExactZero(ops.tensor("softmax_large/z"), y);
        y.backward(ops.tensor("softmax_large/gy"));
        assertFinite("softmax_large/g_z", z.grad());
        assertClose("softmax_large/g_z", z.grad());
    }

    /** Where the float64 probability e^(z - max) / Σ underflows to 0, ours must be exactly 0. */
    private static void assertUnderflowIsExactZero(Tensor z, Tensor probabilities) {
        int rows = z.dim(0);
        int classes = z.dim(1);
        int checked = 0;
        for (int n = 0; n < rows; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z.get(n, c));
            }
            for (int c = 0; c < classes; c++) {
                if (Math.exp(z.get(n, c) - max) == 0.0) {
                    checked++;
                    assertEquals(0f, probabilities.get(n, c), FILE + ":softmax_large/y[" + n + "," + c + "] with z "
                            + z.get(n, c) + " underflows in float64, so it must be exactly 0");
                }
            }
        }
        assertTrue(checked > 0, FILE + ":softmax_large: no probability underflows in float64; the case is meant to"
                + " contain some");
    }

    @Test
    void logSoftmaxAtExtremeLogitsMatchesPyTorchToOneMillionth() {
        Tensor z = leaf("log_softmax_large/z");
        Tensor y = z.logSoftmax(1);
        assertFinite("log_softmax_large/y", y);
        assertClose("log_softmax_large/y", y);
        assertRelative("log_softmax_large/y", ops.tensor("log_softmax_large/y"), y);
        y.backward(ops.tensor("log_softmax_large/gy"));
        assertFinite("log_softmax_large/g_z", z.grad());
        assertClose("log_softmax_large/g_z", z.grad());
    }

    /** Every element within 1e-6 · max(1, |expected|): large log-probabilities keep their digits. */
    private static void assertRelative(String path, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), path + ": shape");
        float[] e = expected.data();
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            double allowed = LOG_SOFTMAX_RELATIVE * Math.max(1, Math.abs(e[i]));
            if (!(Math.abs((double) a[i] - e[i]) <= allowed)) {
                fail(String.format("%s:%s: element %d is %.9g, the reference is %.9g (relative rule 1e-6)", FILE, path,
                        i, a[i], e[i]));
            }
        }
    }

    @Test
    void crossEntropyAtExtremeLogitsMatchesPyTorch() {
        Tensor z = leaf("cross_entropy_large/z");
        int[] targets = targets("cross_entropy_large/target");
        Tensor loss = SoftmaxCrossEntropyOp.crossEntropy(z, targets);
        assertFinite("cross_entropy_large/loss", loss);
        assertClose("cross_entropy_large/loss", loss);
        assertRelative("cross_entropy_large/loss", ops.tensor("cross_entropy_large/loss"), loss);
        loss.backward();
        assertFinite("cross_entropy_large/g_z", z.grad());
        assertClose("cross_entropy_large/g_z", z.grad());
    }

    @Test
    void perSampleCrossEntropyIsMinusPickOfLogSoftmax() {
        // reduction="none": -log_softmax(z)[n, t_n], built from PickOp; then the mean through nllLoss.
        Tensor z = leaf("cross_entropy_large/z");
        int[] targets = targets("cross_entropy_large/target");
        Tensor perSample = PickOp.pick(z.logSoftmax(1), targets).neg();
        assertFinite("cross_entropy_large/loss_per_sample", perSample);
        assertClose("cross_entropy_large/loss_per_sample", perSample);
        assertRelative("cross_entropy_large/loss_per_sample", ops.tensor("cross_entropy_large/loss_per_sample"),
                perSample);
        Tensor loss = PickOp.nllLoss(z.logSoftmax(1), targets);
        assertClose("cross_entropy_large/loss", loss);
        loss.backward();
        assertClose("cross_entropy_large/g_z", z.grad());
    }

    private static int[] targets(String path) {
        long[] values = ops.longs(path);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.toIntExact(values[i]);
        }
        return out;
    }

    @Test
    void tanhAtExtremeInputsMatchesPyTorch() {
        checkActivation("act_tanh", Tensor::tanh);
    }

    @Test
    void sigmoidAtExtremeInputsMatchesPyTorch() {
        checkActivation("act_sigmoid", Tensor::sigmoid);
    }

    @Test
    void reluAtExtremeInputsMatchesPyTorch() {
        checkActivation("act_relu", Tensor::relu);
    }

    /** Forward y and dy/dx with an upstream gradient of ones. */
    private static void checkActivation(String group, UnaryOperator<Tensor> activation) {
        Tensor x = leaf(group + "/x");
        Tensor y = activation.apply(x);
        assertFinite(group + "/y", y);
        assertClose(group + "/y", y);
        y.backward(Tensors.ones(y.shape()));
        assertFinite(group + "/dy_dx", x.grad());
        assertClose(group + "/dy_dx", x.grad());
        assertClose(group + "/dy_dx_f64", x.grad());
    }

    @Test
    void flattenOrdersMatchTorchAndKerasExactly() {
        // torch: x [N, C, H, W].reshape(N, -1) (C, H, W order); Keras: held NHWC, flattened (H, W, C order).
        Tensor x = ops.tensor("flatten_order/x");
        int batch = x.dim(0);
        Fixtures.assertExact(FILE + ":flatten_order/torch_flatten", ops.tensor("flatten_order/torch_flatten"),
                x.reshape(batch, -1));
        Fixtures.assertExact(FILE + ":flatten_order/keras_flatten", ops.tensor("flatten_order/keras_flatten"),
                x.permute(0, 2, 3, 1).reshape(batch, -1));
    }
}
