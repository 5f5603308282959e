package dev.glassbox.engine.kernels;

/**
 * A working array that is reused from call to call and grows when a call needs more: the kernels' per-thread
 * scratch (packing panels, column matrices), which would otherwise be megabytes allocated and zeroed per call.
 * The contents are unspecified: every caller overwrites what it reads. Not thread-safe; keep one per thread.
 */
final class GrowingBuffer {
    private float[] array = new float[0];

    /** An array of at least {@code size} floats. */
    float[] atLeast(int size) {
        if (array.length < size) {
            array = new float[size];
        }
        return array;
    }
}
