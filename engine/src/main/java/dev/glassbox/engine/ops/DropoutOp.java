package dev.glassbox.engine.ops;

import dev.glassbox.engine.autograd.UnaryFunction;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout at training time: y = x · m / (1 - p), with a keep mask m (1 = kept, drawn with probability
 * 1 - p), so that E[y] = x and inference needs no rescaling (it is the identity, as in PyTorch and Keras).
 *   dL/dx = dL/dy · m / (1 - p)
 * x and m have the same (any) shape. Saves the scaled mask m / (1 - p), the only thing backward needs; p = 1
 * drops everything (the scale is taken as 0 rather than 0/0). The mask is drawn from a caller-seeded generator,
 * or given, so a run can be repeated exactly.
 */
public final class DropoutOp extends UnaryFunction {
    private final float p;
    private final Tensor mask;
    private float[] scaledMask;

    /** @param mask (not modified) keep mask of x's shape, 1 = kept, 0 = dropped */
    public DropoutOp(float p, Tensor mask) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout: p (the drop probability) must be in [0, 1], got " + p);
        }
        this.p = p;
        this.mask = mask;
    }

    /** Training-time dropout with a given keep mask. */
    public static Tensor dropout(Tensor x, float p, Tensor mask) {
        return new DropoutOp(p, mask).apply(x);
    }

    /**
     * Dropout with a mask drawn from {@code random} when {@code training}; the identity (x itself, no op) at
     * inference or when p = 0.
     */
    public static Tensor dropout(Tensor x, float p, boolean training, RandomGenerator random) {
        if (!training || p == 0f) {
            return x;
        }
        return new DropoutOp(p, keepMask(random, p, x.shape())).apply(x);
    }

    /** A keep mask: each element independently 1 with probability 1 - p, else 0. */
    public static Tensor keepMask(RandomGenerator random, float p, int... shape) {
        float[] m = new float[Shapes.size(shape)];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextFloat() >= p ? 1f : 0f;
        }
        return new Tensor(m, shape);
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (!x.sameShape(mask)) {
            throw new ShapeException("dropout: the mask must have the input's shape " + Shapes.toString(x.shape())
                    + ", but got " + Shapes.toString(mask.shape()), x.shape(), mask.shape());
        }
        float scale = p == 1f ? 0f : 1f / (1f - p);
        float[] in = x.data();
        float[] m = mask.data();
        scaledMask = Workspace.floats(in.length);
        float[] out = Workspace.floats(in.length);
        for (int i = 0; i < in.length; i++) {
            scaledMask[i] = m[i] * scale;
            out[i] = in[i] * scaledMask[i];
        }
        return new Tensor(out, x.shape());
    }

    @Override
    public Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        float[] gradInput = Workspace.floats(g.length);
        for (int i = 0; i < g.length; i++) {
            gradInput[i] = g[i] * scaledMask[i];
        }
        return new Tensor[] {new Tensor(gradInput, gradOutput.shape())};
    }

    @Override
    protected void releaseSaved() {
        scaledMask = null;
    }
}
