package dev.glassbox.engine.train;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Batches;
import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.optim.LearningRateSchedule;
import dev.glassbox.engine.optim.Optimizer;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import java.util.List;

/**
 * The training loop, written out so it can be read:
 * <pre>
 *   for each epoch: for each batch (in a seeded shuffled order):
 *       output = model(x);  loss = L(output, y);  optimizer.zeroGrad();  loss.backward();  optimizer.step()
 * </pre>
 * plus evaluation in NoGrad mode, a history, listeners, a learning-rate schedule and early stopping. Each step
 * runs in a {@link Workspace} step, so it takes its arrays from the step before: a tensor seen by a hook is
 * readable until the next batch starts (copy it to keep it).
 */
public final class Trainer {
    /** How to train: epochs, batch size, shuffling and its seed, and the optional extras. */
    public record Options(int epochs, int batchSize, boolean shuffle, long seed, Dataset validation,
            LearningRateSchedule schedule, int earlyStoppingPatience) {
        public Options {
            if (epochs < 0 || batchSize <= 0) {
                throw new IllegalArgumentException("fit: epochs must be >= 0 and batch size > 0, got " + epochs
                        + " and " + batchSize);
            }
        }

        public static Options of(int epochs, int batchSize, long seed) {
            return new Options(epochs, batchSize, true, seed, null, null, 0);
        }

        public Options withValidation(Dataset data) {
            return new Options(epochs, batchSize, shuffle, seed, data, schedule, earlyStoppingPatience);
        }

        public Options withSchedule(LearningRateSchedule s) {
            return new Options(epochs, batchSize, shuffle, seed, validation, s, earlyStoppingPatience);
        }

        /** Stop when the validation loss has not improved for {@code patience} epochs (0: never). */
        public Options withEarlyStopping(int patience) {
            return new Options(epochs, batchSize, shuffle, seed, validation, schedule, patience);
        }

        public Options withShuffle(boolean on) {
            return new Options(epochs, batchSize, on, seed, validation, schedule, earlyStoppingPatience);
        }
    }

    /** Loss and accuracy of a model on a dataset. */
    public record Evaluation(double loss, double accuracy, int correct, int size) {}

    private Trainer() {}

    public static History fit(Model model, Loss loss, Optimizer optimizer, Dataset train, Options options,
            TrainingListener... listeners) {
        History history = new History();
        float initialRate = optimizer.learningRate();
        double bestValidation = Double.POSITIVE_INFINITY;
        Workspace workspace = Workspace.forBatches();     // each step's arrays serve the next
        int epochsWithoutImprovement = 0;
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            long start = System.nanoTime();
            if (options.schedule() != null) {
                optimizer.setLearningRate(options.schedule().learningRate(epoch, initialRate));
            }
            model.train();
            List<int[]> batches = Batches.split(Batches.order(train.size(), options.shuffle(), options.seed(), epoch),
                    options.batchSize());
            for (TrainingListener l : listeners) {
                l.epochStarted(epoch, batches.size());
            }
            double lossSum = 0;
            int correct = 0;
            for (int b = 0; b < batches.size(); b++) {
                float batchLoss;
                try (Workspace.Step ignored = Workspace.openStep(workspace)) {
                    Dataset batch = train.select(batches.get(b));
                    Tensor output = model.forward(batch.inputs());
                    Tensor value = loss.compute(output, batch.labels());
                    optimizer.zeroGrad();
                    value.backward();
                    optimizer.step();
                    batchLoss = value.item();
                    lossSum += batchLoss * batch.size();
                    correct += countCorrect(output, batch.labels());
                }
                for (TrainingListener l : listeners) {
                    l.batchFinished(epoch, b, batchLoss);
                }
            }
            Evaluation validation = options.validation() == null ? null
                    : evaluate(model, loss, options.validation(), Math.max(options.batchSize(), 256));
            History.Epoch summary = new History.Epoch(epoch, lossSum / train.size(), (double) correct / train.size(),
                    validation == null ? Double.NaN : validation.loss(),
                    validation == null ? Double.NaN : validation.accuracy(), (System.nanoTime() - start) / 1e9);
            history.add(summary);
            for (TrainingListener l : listeners) {
                l.epochFinished(summary);
            }
            if (validation != null && options.earlyStoppingPatience() > 0) {
                if (validation.loss() < bestValidation) {
                    bestValidation = validation.loss();
                    epochsWithoutImprovement = 0;
                } else if (++epochsWithoutImprovement >= options.earlyStoppingPatience()) {
                    break;
                }
            }
        }
        model.eval();
        return history;
    }

    /** Loss and accuracy without recording a graph, in batches, with the model in inference mode. */
    public static Evaluation evaluate(Model model, Loss loss, Dataset data, int batchSize) {
        boolean wasTraining = !model.layers().isEmpty() && model.layers().get(0).isTraining();
        model.eval();
        double lossSum = 0;
        int correct = 0;
        Workspace workspace = Workspace.forBatches();     // nothing of a batch outlives it
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < data.size(); start += batchSize) {
                try (Workspace.Step step = Workspace.openStep(workspace)) {
                    Dataset batch = data.range(start, Math.min(data.size(), start + batchSize));
                    Tensor output = model.forward(batch.inputs());
                    lossSum += loss.compute(output, batch.labels()).item() * batch.size();
                    correct += countCorrect(output, batch.labels());
                }
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        return new Evaluation(lossSum / data.size(), (double) correct / data.size(), correct, data.size());
    }

    /**
     * The model's outputs for all inputs, computed in batches without a graph. Each batch's output is copied into
     * the result and the next batch runs on its arrays (a {@link Workspace} step each), so memory beyond the
     * result stays that of one batch however many inputs there are.
     */
    public static Tensor predict(Model model, Tensor inputs, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("predict: batch size must be at least 1, got " + batchSize);
        }
        int n = inputs.dim(0);
        if (n == 0) {
            throw new IllegalArgumentException("predict: no inputs (shape " + java.util.Arrays.toString(inputs.shape())
                    + ")");
        }
        model.eval();
        Workspace workspace = Workspace.forBatches();
        float[] all = null;
        int[] shape = null;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < n; start += batchSize) {
                int end = Math.min(n, start + batchSize);
                try (Workspace.Step step = Workspace.openStep(workspace)) {
                    Tensor part = model.forward(inputs.slice(0, start, end));
                    int perExample = part.size() / part.dim(0);
                    if (all == null) {
                        shape = part.shape();
                        shape[0] = n;
                        all = new float[Math.multiplyExact(n, perExample)];
                    }
                    System.arraycopy(part.data(), 0, all, start * perExample, part.size());
                }
            }
        }
        return new Tensor(all, shape);
    }

    /** Rows of {@code output} whose first maximum is at the label. */
    public static int countCorrect(Tensor output, int[] labels) {
        float[] predicted = output.argmax(-1).data();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((int) predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
