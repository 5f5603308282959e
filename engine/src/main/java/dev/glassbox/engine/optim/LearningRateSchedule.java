package dev.glassbox.engine.optim;

/** The learning rate for each epoch, given the initial one. The fit loop applies it before every epoch. */
@FunctionalInterface
public interface LearningRateSchedule {

    /** @param epoch counted from 0 */
    float learningRate(int epoch, float initial);

    /** Multiply by {@code gamma} every {@code stepSize} epochs (PyTorch's StepLR). */
    static LearningRateSchedule step(int stepSize, float gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("step schedule: step size must be positive, got " + stepSize);
        }
        return (epoch, initial) -> (float) (initial * Math.pow(gamma, epoch / stepSize));
    }

    /** Multiply by {@code gamma} every epoch (ExponentialLR). */
    static LearningRateSchedule exponential(float gamma) {
        return (epoch, initial) -> (float) (initial * Math.pow(gamma, epoch));
    }

    /** Half a cosine from the initial rate down to {@code minimum} over {@code epochs} (CosineAnnealingLR). */
    static LearningRateSchedule cosine(int epochs, float minimum) {
        return (epoch, initial) -> (float) (minimum
                + (initial - minimum) * (1 + Math.cos(Math.PI * Math.min(epoch, epochs) / epochs)) / 2);
    }
}
