package dev.glassbox.engine.tensor;

import java.util.Arrays;

/**
 * A tensor arrived with a shape the operation cannot take. Carries the expected and the actual shape so that a
 * caller (or a test) can inspect them; the message says where, what and how to fix it.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int[] expected;
    private final int[] actual;

    /**
     * @param expected the shape that would have worked, or null where no single shape would (e.g. any rank-2)
     * @param actual the shape that arrived
     */
    public ShapeException(String message, int[] expected, int[] actual) {
        super(message);
        this.expected = expected == null ? null : expected.clone();
        this.actual = actual == null ? null : actual.clone();
    }

    public ShapeException(String message, int[] actual) {
        this(message, null, actual);
    }

    /** The expected shape, or null when the expectation is not a single shape. */
    public int[] expected() {
        return expected == null ? null : expected.clone();
    }

    public int[] actual() {
        return actual == null ? null : actual.clone();
    }

    @Override
    public String toString() {
        return "ShapeException: " + getMessage()
                + (expected == null ? "" : " (expected " + Arrays.toString(expected) + ")");
    }
}
