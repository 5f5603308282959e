package dev.glassbox.engine.train;

/** Receives progress events from {@link Trainer#fit}; every method has an empty default. */
public interface TrainingListener {
    /** Before the first batch of an epoch (epochs count from 0). */
    default void epochStarted(int epoch, int batches) {}

    /** After each optimizer step, with that batch's loss. */
    default void batchFinished(int epoch, int batch, float loss) {}

    /** After each epoch, with the epoch's summary (validation metrics are NaN without validation data). */
    default void epochFinished(History.Epoch summary) {}
}
