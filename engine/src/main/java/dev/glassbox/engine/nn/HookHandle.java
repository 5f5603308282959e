package dev.glassbox.engine.nn;

/**
 * What registering a hook returns: {@link #remove()} detaches the hook. Removing twice is harmless, and the
 * handle is {@link AutoCloseable} so a hook can live exactly as long as a try-with-resources block.
 */
public final class HookHandle implements AutoCloseable {
    private Runnable remover;

    HookHandle(Runnable remover) {
        this.remover = remover;
    }

    /** Detaches the hook; later calls do nothing. */
    public void remove() {
        if (remover != null) {
            remover.run();
            remover = null;
        }
    }

    @Override
    public void close() {
        remove();
    }
}
