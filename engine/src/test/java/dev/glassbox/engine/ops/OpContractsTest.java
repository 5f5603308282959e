package dev.glassbox.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every op shares (see {@link dev.glassbox.engine.autograd.Function}): forward leaves its inputs
 * unchanged, backward leaves the incoming gradient unchanged, and each input gets a gradient of its own shape.
 */
class OpContractsTest {

    private static Map<String, Function<Tensor[], Tensor>> ops() {
        Map<String, Function<Tensor[], Tensor>> ops = new LinkedHashMap<>();
        ops.put("add", x -> x[0].add(x[1]));
        ops.put("mul", x -> x[0].mul(x[1]));
        ops.put("div", x -> x[0].div(x[1].abs().add(1f)));
        ops.put("neg", x -> x[0].neg());
        ops.put("pow", x -> x[0].abs().pow(1.5f));
        ops.put("exp", x -> x[0].exp());
        ops.put("log", x -> x[0].abs().add(0.5f).log());
        ops.put("sqrt", x -> x[0].abs().add(0.5f).sqrt());
        ops.put("abs", x -> x[0].abs());
        ops.put("clamp", x -> x[0].clamp(-0.5f, 0.5f));
        ops.put("relu", x -> x[0].relu());
        ops.put("leakyRelu", x -> x[0].leakyRelu(0.1f));
        ops.put("elu", x -> x[0].elu(1f));
        ops.put("selu", x -> x[0].selu());
        ops.put("sigmoid", x -> x[0].sigmoid());
        ops.put("tanh", x -> x[0].tanh());
        ops.put("softplus", x -> x[0].softplus());
        ops.put("softmax", x -> x[0].softmax(1));
        ops.put("logSoftmax", x -> x[0].logSoftmax(0));
        ops.put("sum", x -> x[0].sum(false, 1));
        ops.put("max", x -> x[0].max(1, true));
        ops.put("reshape", x -> x[0].reshape(-1));
        ops.put("permute", x -> x[0].t());
        ops.put("slice", x -> x[0].slice(1, 1, 3));
        ops.put("concat", x -> Tensors.concat(0, x[0], x[1]));
        ops.put("matmul", x -> x[0].matmul(x[1].t()));
        ops.put("pick", x -> PickOp.pick(x[0], new int[] {2, 0, 3}));
        ops.put("crossEntropy", x -> SoftmaxCrossEntropyOp.crossEntropy(x[0], new int[] {1, 3, 0}));
        return ops;
    }

    @TestFactory
    Iterable<DynamicTest> opsModifyNeitherTheirInputsNorTheIncomingGradient() {
        return ops().entrySet().stream().map(op -> DynamicTest.dynamicTest(op.getKey(), () -> {
            Random random = new Random(op.getKey().hashCode());
            Tensor a = Tensors.randn(random, 3, 4).requiresGrad(true);
            Tensor b = Tensors.randn(random, 3, 4).requiresGrad(true);
            float[] aBefore = a.toArray();
            float[] bBefore = b.toArray();
            Tensor y = op.getValue().apply(new Tensor[] {a, b});
            Tensor gradOutput = Tensors.randn(random, y.shape());
            float[] gradBefore = gradOutput.toArray();
            y.backward(gradOutput);
            String name = op.getKey();
            assertArrayEquals(aBefore, a.data(), name + " modified its first input");
            assertArrayEquals(bBefore, b.data(), name + " modified its second input");
            assertArrayEquals(gradBefore, gradOutput.data(), name + " modified the incoming gradient");
            assertNotNull(a.grad(), name + " gave its first input no gradient");
            assertArrayEquals(a.shape(), a.grad().shape(), name + ": gradient shape of the first input");
            if (b.grad() != null) {
                assertArrayEquals(b.shape(), b.grad().shape(), name + ": gradient shape of the second input");
            }
        })).toList();
    }
}
