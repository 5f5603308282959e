package dev.glassbox.engine.tensor;

import dev.glassbox.engine.autograd.Function;
import dev.glassbox.engine.autograd.Graph;
import dev.glassbox.engine.ops.AbsOp;
import dev.glassbox.engine.ops.AddOp;
import dev.glassbox.engine.ops.ClampOp;
import dev.glassbox.engine.ops.DivOp;
import dev.glassbox.engine.ops.EluOp;
import dev.glassbox.engine.ops.ExpOp;
import dev.glassbox.engine.ops.LeakyReluOp;
import dev.glassbox.engine.ops.LogOp;
import dev.glassbox.engine.ops.LogSoftmaxOp;
import dev.glassbox.engine.ops.MatMulOp;
import dev.glassbox.engine.ops.MaxOp;
import dev.glassbox.engine.ops.MulOp;
import dev.glassbox.engine.ops.NegOp;
import dev.glassbox.engine.ops.PermuteOp;
import dev.glassbox.engine.ops.PowOp;
import dev.glassbox.engine.ops.ReluOp;
import dev.glassbox.engine.ops.ReshapeOp;
import dev.glassbox.engine.ops.SeluOp;
import dev.glassbox.engine.ops.SigmoidOp;
import dev.glassbox.engine.ops.SliceOp;
import dev.glassbox.engine.ops.SoftmaxOp;
import dev.glassbox.engine.ops.SoftplusOp;
import dev.glassbox.engine.ops.SqrtOp;
import dev.glassbox.engine.ops.SumOp;
import dev.glassbox.engine.ops.TanhOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An n-dimensional array of float32 values that can remember how it was computed.
 *
 * <h2>Layout</h2>
 * Storage is one contiguous row-major {@code float[]}: the last index varies fastest. Image batches are
 * {@code [batch, channels, height, width]} (NCHW) inside the engine, so element (n, c, h, w) lives at
 * {@code data[((n*C + c)*H + h)*W + w]}. A rank-0 tensor (shape {@code []}) is a scalar with one element.
 *
 * <h2>Views</h2>
 * {@link #reshape} returns a view that shares the storage (no copy); every other op returns fresh storage.
 * {@link #data()} hands out the live array: writing to it changes the tensor (and its views) in place.
 *
 * <h2>Storage reused between training steps</h2>
 * Inside a {@link Workspace} step ({@code Trainer.fit} runs each batch in one) the ops take their storage from the
 * step before instead of allocating it. Such a tensor can be read until the next step of that workspace starts;
 * after that, reading it throws (naming its shape) rather than showing a later step's numbers. {@link #copy()}
 * keeps one for longer.
 *
 * <h2>Autodiff</h2>
 * A tensor created with {@link #requiresGrad(boolean) requiresGrad(true)} is a leaf of the graph. Every op applied
 * to it, outside a {@link dev.glassbox.engine.autograd.NoGrad} scope, returns a tensor that remembers its
 * {@link #creator() creator}. {@link #backward()} walks that graph in reverse topological order and
 * <em>accumulates</em> into {@link #grad()} of every leaf: a tensor used twice receives both contributions.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;
    /** Non-null when a {@link Workspace} step handed out {@link #data}: it then tells whether it was reused. */
    private final Workspace.Lease lease;

    private boolean requiresGrad;
    private Tensor grad;
    /** True when {@link #grad} is our own copy, so adding the next contribution in place is safe. */
    private boolean gradOwned;
    private boolean retainGrad;
    private Function creator;
    private List<Consumer<Tensor>> gradHooks;
    /** Bookkeeping for one {@link Graph} sweep (its epoch number): avoids a visited-set. */
    private long visitEpoch;

    /**
     * Wraps {@code data} (not copied: the tensor owns it from now on) as a tensor of the given shape.
     *
     * @param data (not modified) row-major values; its length must equal the product of the shape
     */
    public Tensor(float[] data, int... shape) {
        if (data == null) {
            throw new IllegalArgumentException("tensor data is null");
        }
        int size = Shapes.size(shape);
        if (data.length != size) {
            throw new ShapeException("tensor data has " + data.length + " values but shape "
                    + Shapes.toString(shape) + " needs " + size, shape);
        }
        this.data = data;
        this.shape = shape.clone();
        this.lease = Workspace.leaseOf(data);
    }

    /** A view: the same storage (and so the same lease) under another shape. */
    private Tensor(float[] data, int[] shape, Workspace.Lease lease) {
        this.data = data;
        this.shape = shape;
        this.lease = lease;
    }

    // ---------------------------------------------------------------- shape and values

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code axis}; negative counts from the end ({@code dim(-1)} is the last). */
    public int dim(int axis) {
        return shape[Shapes.axis("dim", axis, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    /** The live storage (row-major). Writes are visible to this tensor and to views sharing it. */
    public float[] data() {
        return live();
    }

    /** A copy of the values. */
    public float[] toArray() {
        return live().clone();
    }

    /** The storage, after checking that a later training step has not reused it (see {@link Workspace}). */
    private float[] live() {
        if (lease != null && lease.expired()) {
            throw expiredError();
        }
        return data;
    }

    Workspace.Lease lease() {
        return lease;
    }

    IllegalStateException expiredError() {
        return new IllegalStateException("tensor of shape " + Shapes.toString(shape) + (creator == null ? ""
                : " (computed by " + creator.name() + ")") + " is no longer readable: a later training step reused"
                + " its storage (a Workspace, as Trainer.fit uses, recycles each step's arrays in the next step);"
                + " to keep a tensor seen in a hook or listener, copy it there (tensor.copy())");
    }

    /** The only value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new ShapeException("item() needs a tensor with one element, got shape " + Shapes.toString(shape),
                    new int[0], shape);
        }
        return live()[0];
    }

    /** The element at a full index (one coordinate per dimension). */
    public float get(int... index) {
        return live()[flatIndex(index)];
    }

    /** Sets the element at a full index, in place (no gradient is tracked for this write). */
    public void set(float value, int... index) {
        live()[flatIndex(index)] = value;
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of length " + index.length + " for a tensor of rank "
                    + shape.length + " " + Shapes.toString(shape));
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + index[i] + " out of range for dimension " + i
                        + " of size " + shape[i] + " in shape " + Shapes.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /** A new tensor with a copy of the values and no graph. */
    public Tensor copy() {
        return new Tensor(live().clone(), shape);
    }

    /** A tensor sharing these values but cut from the graph: no creator, no gradient. */
    public Tensor detach() {
        return new Tensor(data, shape, lease);
    }

    /** Overwrites this tensor's values with another's (same size), in place; not tracked by autodiff. */
    public Tensor copyFromInPlace(Tensor source) {
        if (source.size() != size()) {
            throw new ShapeException("copyFrom: source shape " + Shapes.toString(source.shape)
                    + " differs in size from " + Shapes.toString(shape), shape, source.shape);
        }
        System.arraycopy(source.live(), 0, live(), 0, data.length);
        return this;
    }

    public boolean sameShape(Tensor other) {
        return java.util.Arrays.equals(shape, other.shape);
    }

    // ---------------------------------------------------------------- autodiff state

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks this tensor as a leaf whose gradient is wanted (parameters, or inputs whose saliency is wanted).
     * Only a leaf may be switched: a computed tensor's flag follows from its inputs.
     */
    public Tensor requiresGrad(boolean requires) {
        if (creator != null && !requires) {
            throw new IllegalStateException("requiresGrad(false) on a tensor computed by " + creator.name()
                    + ": use detach() to cut it from the graph");
        }
        this.requiresGrad = requires;
        return this;
    }

    /** The accumulated gradient dL/d(this), or null before any backward reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient (the next backward starts from zero). */
    public void zeroGrad() {
        grad = null;
        gradOwned = false;
    }

    /**
     * Keeps the gradient of this computed (non-leaf) tensor after backward; by default only leaves keep theirs,
     * so intermediate gradients are freed as soon as they have been passed on.
     */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    public boolean retainsGrad() {
        return retainGrad || creator == null;
    }

    /** The op that computed this tensor, or null for a leaf (or anything computed without recording). */
    public Function creator() {
        return creator;
    }

    /**
     * Records that {@code function} computed this tensor. Called by {@link Function} when it records the graph;
     * not meant for user code.
     */
    public void setCreator(Function function) {
        this.creator = function;
        this.requiresGrad = true;
    }

    /**
     * Adds one contribution to the gradient. The first contribution is kept by reference (no copy); a second one
     * first copies it, because an op may hand the same gradient tensor to several inputs.
     */
    public void accumulateGrad(Tensor contribution) {
        if (!java.util.Arrays.equals(contribution.shape, shape) && contribution.size() != size()) {
            throw new ShapeException("gradient of shape " + Shapes.toString(contribution.shape)
                    + " does not fit tensor of shape " + Shapes.toString(shape)
                    + (creator == null ? "" : " (computed by " + creator.name() + ")"), shape, contribution.shape);
        }
        if (grad == null) {
            grad = contribution.sameShape(this) ? contribution : contribution.reshapeData(shape);
            gradOwned = false;
            return;
        }
        if (!gradOwned) {
            grad = grad.copy();
            gradOwned = true;
        }
        float[] g = grad.data;
        float[] c = contribution.data;
        for (int i = 0; i < g.length; i++) {
            g[i] += c[i];
        }
    }

    /** Drops the gradient of a computed tensor once it has been passed on (see {@link #retainGrad()}). */
    public void releaseGradIfNotRetained() {
        if (!retainsGrad()) {
            grad = null;
            gradOwned = false;
        }
    }

    /**
     * Calls {@code hook} with this tensor's complete gradient during {@link #backward()}, once every contribution
     * has been accumulated and before it is passed on. The hook observes: it must not modify the gradient.
     * Returns a handle whose {@code close()} removes the hook.
     */
    public AutoCloseable registerGradHook(Consumer<Tensor> hook) {
        if (gradHooks == null) {
            gradHooks = new ArrayList<>(2);
        }
        gradHooks.add(hook);
        return () -> gradHooks.remove(hook);
    }

    /** Runs the gradient hooks (called by {@link Graph}); nothing when none are registered. */
    public void fireGradHooks() {
        if (gradHooks == null || gradHooks.isEmpty() || grad == null) {
            return;
        }
        for (Consumer<Tensor> hook : List.copyOf(gradHooks)) {
            hook.accept(grad);
        }
    }

    /** For {@link Graph}: marks this tensor visited in sweep {@code epoch}; false if it already was. */
    public boolean markVisited(long epoch) {
        if (visitEpoch == epoch) {
            return false;
        }
        visitEpoch = epoch;
        return true;
    }

    /** Backpropagates from this scalar (dL/dL = 1) through the graph that computed it. */
    public void backward() {
        Graph.backward(this, null);
    }

    /**
     * Backpropagates a seed gradient of this tensor's shape (for a non-scalar output, the vector in the
     * vector-Jacobian product).
     */
    public void backward(Tensor gradOutput) {
        Graph.backward(this, gradOutput);
    }

    // ---------------------------------------------------------------- arithmetic (broadcasting)

    public Tensor add(Tensor other) { return new AddOp().apply(this, other); }
    public Tensor add(float value) { return add(Tensors.scalar(value)); }
    /** a - b = a + (-b): exact in IEEE arithmetic, so it needs no op of its own. */
    public Tensor sub(Tensor other) { return add(other.neg()); }
    public Tensor sub(float value) { return add(-value); }
    public Tensor mul(Tensor other) { return new MulOp().apply(this, other); }
    public Tensor mul(float value) { return mul(Tensors.scalar(value)); }
    public Tensor div(Tensor other) { return new DivOp().apply(this, other); }
    public Tensor div(float value) { return div(Tensors.scalar(value)); }
    public Tensor neg() { return new NegOp().apply(this); }
    public Tensor pow(float exponent) { return new PowOp(exponent).apply(this); }
    public Tensor exp() { return new ExpOp().apply(this); }
    public Tensor log() { return new LogOp().apply(this); }
    public Tensor sqrt() { return new SqrtOp().apply(this); }
    public Tensor abs() { return new AbsOp().apply(this); }
    public Tensor clamp(float min, float max) { return new ClampOp(min, max).apply(this); }

    // ---------------------------------------------------------------- activations

    public Tensor relu() { return new ReluOp().apply(this); }
    public Tensor leakyRelu(float negativeSlope) { return new LeakyReluOp(negativeSlope).apply(this); }
    public Tensor elu(float alpha) { return new EluOp(alpha).apply(this); }
    public Tensor selu() { return new SeluOp().apply(this); }
    public Tensor sigmoid() { return new SigmoidOp().apply(this); }
    public Tensor tanh() { return new TanhOp().apply(this); }
    public Tensor softplus() { return new SoftplusOp().apply(this); }
    public Tensor softmax(int axis) { return new SoftmaxOp(axis).apply(this); }
    public Tensor logSoftmax(int axis) { return new LogSoftmaxOp(axis).apply(this); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements, a scalar. */
    public Tensor sum() { return new SumOp(null, false).apply(this); }
    /** Sum over the given axes, keeping them as size-1 dimensions when {@code keepDims}. */
    public Tensor sum(boolean keepDims, int... axes) { return new SumOp(axes, keepDims).apply(this); }
    public Tensor mean() { return sum().div(size()); }
    public Tensor mean(boolean keepDims, int... axes) {
        int count = axes.length == 0 ? size() : 1;             // no axes: sum() reduces all, so divide by all
        for (int axis : axes) {
            count *= dim(axis);
        }
        return sum(keepDims, axes).div(count);
    }
    /** Maximum over one axis; the gradient goes to the first maximal element (see {@link MaxOp}). */
    public Tensor max(int axis, boolean keepDims) { return new MaxOp(axis, keepDims).apply(this); }
    /** Index of the first maximum along {@code axis} (values are indices stored as floats; not differentiable). */
    public Tensor argmax(int axis) { return MaxOp.argmax(this, axis); }

    // ---------------------------------------------------------------- shape

    /** A view with another shape (one {@code -1} is inferred); shares the storage. */
    public Tensor reshape(int... newShape) { return new ReshapeOp(newShape).apply(this); }
    /** Reorders the dimensions: output dimension i is input dimension {@code order[i]}. Copies. */
    public Tensor permute(int... order) { return new PermuteOp(order).apply(this); }
    /** Swaps two dimensions. Copies. */
    public Tensor transpose(int axis0, int axis1) {
        return new PermuteOp(PermuteOp.swap(rank(), axis0, axis1)).apply(this);
    }
    /** The matrix transpose of a rank-2 tensor. */
    public Tensor t() { return transpose(0, 1); }
    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}. Copies. */
    public Tensor slice(int axis, int start, int end) { return new SliceOp(axis, start, end).apply(this); }

    /** Matrix product: [n,k]·[k,m], or batched [b,n,k]·[b,k,m] / [b,n,k]·[k,m]. */
    public Tensor matmul(Tensor other) { return new MatMulOp().apply(this, other); }

    /** For ops: this tensor's storage seen with another shape of the same size (no graph, no copy). */
    public Tensor reshapeData(int... newShape) {
        return new Tensor(data, Shapes.inferReshape(data.length, newShape), lease);
    }

    @Override
    public String toString() {
        if (lease != null && lease.expired()) {
            return "tensor " + Shapes.toString(shape) + " (no longer readable: a later training step reused it)";
        }
        return TensorFormat.format(this);
    }
}
