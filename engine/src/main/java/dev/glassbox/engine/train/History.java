package dev.glassbox.engine.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What {@link Trainer#fit} measured, one entry per epoch (Keras' {@code History}). */
public final class History {
    /** One epoch: mean training loss and accuracy over its batches, validation loss/accuracy (NaN if none). */
    public record Epoch(int epoch, double loss, double accuracy, double validationLoss, double validationAccuracy,
            double seconds) {}

    private final List<Epoch> epochs = new ArrayList<>();

    void add(Epoch epoch) {
        epochs.add(epoch);
    }

    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public Epoch last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch has run");
        }
        return epochs.get(epochs.size() - 1);
    }
}
