package dev.glassbox.engine.autograd;

/**
 * A scope in which ops record no graph: inference, extraction and optimizer updates.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     Tensor y = model.forward(x);      // y.creator() == null, nothing is kept for backward
 * }
 * }</pre>
 * Scopes nest and are per thread; worker threads of a parallel kernel never record anyway.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {}

    /** Stops recording on this thread until the returned scope is closed. */
    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** True unless a NoGrad scope is open on this thread. */
    public static boolean isRecording() {
        return DEPTH.get()[0] == 0;
    }

    /** Ends the scope; closing twice is harmless. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
