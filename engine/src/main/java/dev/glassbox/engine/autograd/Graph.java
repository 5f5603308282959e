package dev.glassbox.engine.autograd;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backward sweep of reverse-mode autodiff.
 *
 * <ol>
 * <li>Order: an iterative depth-first search from the output lists every tensor after all the tensors it was
 *     computed from (a topological order, in the order inputs were given). No recursion, so deep graphs cannot
 *     overflow the stack; each tensor is visited once per sweep (an epoch stamp instead of a hash set).</li>
 * <li>Sweep: walking that list backwards, a tensor is reached only after every tensor computed from it, so its
 *     gradient is complete: its gradient hooks fire, then its creator turns it into gradients of the inputs, which
 *     are <em>added</em> to theirs.</li>
 * <li>Release: an op's saved tensors are dropped once used, and intermediate gradients are freed (leaves keep
 *     theirs, see {@link Tensor#retainGrad()}).</li>
 * </ol>
 */
public final class Graph {
    private static final AtomicLong EPOCH = new AtomicLong();

    private Graph() {}

    /**
     * Backpropagates from {@code output}.
     *
     * @param output (modified: gradients accumulate in it and everything it was computed from)
     * @param gradOutput (not modified) the seed dL/d(output); null means 1 and needs a one-element output
     */
    public static void backward(Tensor output, Tensor gradOutput) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward() on a tensor that does not require grad (shape "
                    + java.util.Arrays.toString(output.shape()) + "): no input of the computation had"
                    + " requiresGrad(true), or it was computed inside a NoGrad scope");
        }
        if (gradOutput == null) {
            if (output.size() != 1) {
                throw new IllegalStateException("backward() without a seed gradient needs a scalar output, but the"
                        + " output has shape " + java.util.Arrays.toString(output.shape())
                        + "; call backward(gradOutput) with a gradient of that shape, or reduce it (e.g. sum())");
            }
            gradOutput = Tensors.ones(output.shape());
        } else if (!output.sameShape(gradOutput)) {
            throw new IllegalArgumentException("backward(gradOutput): gradient shape "
                    + java.util.Arrays.toString(gradOutput.shape()) + " differs from the output shape "
                    + java.util.Arrays.toString(output.shape()));
        }
        List<Tensor> order = topologicalOrder(output);
        for (Tensor t : order) {
            if (t.creator() != null) {
                t.creator().checkNotReleased();
            }
        }
        output.accumulateGrad(gradOutput);
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            t.fireGradHooks();
            Function creator = t.creator();
            if (creator == null || t.grad() == null) {
                continue;
            }
            Tensor[] inputs = creator.edges();
            Tensor[] grads = creator.backward(t.grad());
            if (grads.length != inputs.length) {
                throw new IllegalStateException(creator.name() + ".backward returned " + grads.length
                        + " gradients for " + inputs.length + " inputs");
            }
            for (int k = 0; k < inputs.length; k++) {
                if (inputs[k] != null && inputs[k].requiresGrad() && grads[k] != null) {
                    inputs[k].accumulateGrad(grads[k]);
                }
            }
            creator.release();
            t.releaseGradIfNotRetained();
        }
    }

    /** Every tensor that {@code output} depends on (and that requires grad), inputs before the tensors using them. */
    static List<Tensor> topologicalOrder(Tensor output) {
        long epoch = EPOCH.incrementAndGet();
        List<Tensor> order = new ArrayList<>();
        // Explicit stack of (tensor, index of the next input to visit): post-order without recursion.
        List<Tensor> stack = new ArrayList<>();
        List<int[]> next = new ArrayList<>();
        output.markVisited(epoch);
        stack.add(output);
        next.add(new int[1]);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            Tensor[] inputs = t.creator() == null ? null : t.creator().edges();
            int[] cursor = next.get(top);
            if (inputs != null && cursor[0] < inputs.length) {
                Tensor input = inputs[cursor[0]++];
                if (input != null && input.requiresGrad() && input.markVisited(epoch)) {
                    stack.add(input);
                    next.add(new int[1]);
                }
            } else {
                order.add(t);
                stack.remove(top);
                next.remove(top);
            }
        }
        return order;
    }
}
