package dev.glassbox.engine.tensor;

import dev.glassbox.engine.ops.ConcatOp;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Factories for tensors. Random tensors draw from an explicit generator that the caller seeds, so that the same
 * seed always gives the same numbers (e.g. {@code new java.util.Random(42)} or
 * {@code new java.util.SplittableRandom(42)}); the engine never uses a hidden global generator.
 */
public final class Tensors {
    private Tensors() {}

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shapes.size(shape)], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] data = new float[Shapes.size(shape)];
        Arrays.fill(data, value);
        return new Tensor(data, shape);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value});
    }

    /** 0, 1, ..., n-1 as a vector. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start + step, ... below end (above end for a negative step), as a vector. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = start + i * step;
        }
        return new Tensor(data, n);
    }

    /**
     * Wraps a copy of {@code values} with the given shape (rows of a matrix back to back, row-major).
     *
     * @param values (not modified)
     */
    public static Tensor of(float[] values, int... shape) {
        return new Tensor(values.clone(), shape);
    }

    /** A vector. */
    public static Tensor vector(float... values) {
        return new Tensor(values.clone(), values.length);
    }

    /** A matrix from rows of equal length (copied). */
    public static Tensor matrix(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("matrix: row " + r + " has " + rows[r].length
                        + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return new Tensor(data, rows.length, cols);
    }

    /**
     * The rows of a tensor [n, ...] as arrays (copied), every dimension after the first flattened in row-major
     * order: the form libraries that take float[][] (t-SNE, plotting) expect. The inverse of {@link #matrix}.
     */
    public static float[][] rows(Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException("rows: need a tensor of rank >= 2 (one row per example), got shape "
                    + java.util.Arrays.toString(t.shape()));
        }
        int n = t.dim(0);
        int d = n == 0 ? 0 : t.size() / n;
        float[] data = t.data();
        float[][] rows = new float[n][d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(data, r * d, rows[r], 0, d);
        }
        return rows;
    }

    /** Values drawn uniformly from [low, high). */
    public static Tensor uniform(RandomGenerator random, float low, float high, int... shape) {
        float[] data = new float[Shapes.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = low + (high - low) * random.nextFloat();
        }
        return new Tensor(data, shape);
    }

    /** Values drawn from the normal distribution N(mean, std²). */
    public static Tensor normal(RandomGenerator random, float mean, float std, int... shape) {
        float[] data = new float[Shapes.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (mean + std * random.nextGaussian());
        }
        return new Tensor(data, shape);
    }

    /** Standard normal values, N(0, 1). */
    public static Tensor randn(RandomGenerator random, int... shape) {
        return normal(random, 0f, 1f, shape);
    }

    /** Joins tensors along an existing axis; all other dimensions must agree. Differentiable. */
    public static Tensor concat(int axis, Tensor... tensors) {
        return new ConcatOp(axis).apply(tensors);
    }
}
