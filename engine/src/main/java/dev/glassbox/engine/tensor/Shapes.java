package dev.glassbox.engine.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, strides, broadcasting and axis normalisation. Pure functions on {@code int[]}. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements of a shape; the empty shape (a scalar) has one. Fails on negative or overflowing sizes. */
    public static int size(int... shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException("negative dimension " + d + " in shape " + Arrays.toString(shape), shape);
            }
            size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new ShapeException("shape " + Arrays.toString(shape) + " has more than 2^31 elements", shape);
            }
        }
        return (int) size;
    }

    /** Row-major strides: {@code stride[i]} = product of the dimensions after i. */
    public static int[] strides(int... shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    /** Turns a possibly negative axis (-1 = last) into an index in [0, rank), or fails naming the operation. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank
                    + " (valid: " + (-rank) + " .. " + (rank - 1) + ")");
        }
        return a;
    }

    /**
     * The NumPy broadcast of two shapes: align them on the right; each pair of dimensions must be equal or one of
     * them 1, and the result takes the larger.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast (dimension " + i + " of the result: " + da + " vs " + db
                        + "; each pair must be equal or one of them 1)", a, b);
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /**
     * Strides for reading a tensor of {@code shape} as if it had the (larger) broadcast shape {@code target}:
     * broadcast dimensions get stride 0, so the same element is read again.
     */
    public static int[] broadcastStrides(int[] shape, int[] target) {
        int[] own = strides(shape);
        int[] out = new int[target.length];
        int shift = target.length - shape.length;
        for (int i = shift; i < target.length; i++) {
            out[i] = shape[i - shift] == 1 ? 0 : own[i - shift];
        }
        return out;
    }

    /** Resolves one {@code -1} in a requested shape from the total size, as NumPy's reshape does. */
    public static int[] inferReshape(int size, int[] requested) {
        int[] shape = requested.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) {
                    throw new ShapeException("reshape: only one dimension may be -1, got " + Arrays.toString(requested),
                            requested);
                }
                unknown = i;
            } else if (shape[i] < 0) {
                throw new ShapeException("reshape: negative dimension in " + Arrays.toString(requested), requested);
            } else {
                known *= shape[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new ShapeException("reshape: cannot infer -1 in " + Arrays.toString(requested) + " for "
                        + size + " elements", requested);
            }
            shape[unknown] = (int) (size / known);
        } else if (known != size) {
            throw new ShapeException("reshape: " + size + " elements cannot be viewed as " + Arrays.toString(requested)
                    + " (" + known + " elements)", requested);
        }
        return shape;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
