package dev.glassbox.bench;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Optimizer;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import java.io.IOException;
import java.util.List;

/**
 * The seed models' end-to-end workloads, timed the same way in Glassbox and (through
 * {@code torch_seed_epochs.py}) in PyTorch: one training epoch of the seed CNN (batch 64, SGD with momentum 0.9,
 * lr 0.01, NLL on log-softmax), one of the seed MLP (batch 10, plain SGD, lr 0.1, categorical cross-entropy on
 * softmax), and seed-CNN inference on a block of digits; each the best of {@code repeats}. One-thread runs are timed
 * by CPU time on both sides (another tenant's load does not stop the clock of a thread that is waiting for a core),
 * runs on more threads by the wall clock. Data loading is not timed on either side.
 */
public final class SeedWorkloads {
    private SeedWorkloads() {}

    /** How many of the shipped digits train the epoch and go through inference. */
    public record Sizes(int trainDigits, int inferenceDigits) {
        /** The reference setting: all 8,000 training digits, inference on 1,000. */
        public static final Sizes FULL = new Sizes(Mnist.TRAIN_SIZE, 1000);
    }

    /** Seconds of the best of {@code repeats} runs. */
    public record Timings(double cnnEpoch, double mlpEpoch, double cnnInference) {}

    /**
     * One training step of the seed CNN as every benchmark here takes it: NLL on its log-softmax for {@code batch},
     * gradients zeroed, backward, one optimizer step. Returns the loss.
     */
    static Tensor cnnStep(Model model, Optimizer optimizer, Dataset batch) {
        Tensor loss = Losses.nll(model.forward(batch.inputs()), batch.labels());
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return loss;
    }

    /** CPU time of this thread for one-thread runs, else wall time, in nanoseconds. */
    private static long now() {
        return Parallel.threads() == 1 ? CpuClock.now() : System.nanoTime();
    }

    /** Glassbox on {@link Parallel#threads()} threads; model seed and shuffle seed r for repeat r. */
    public static Timings glassbox(Sizes sizes, int repeats) {
        Dataset train = Mnist.train().first(sizes.trainDigits());
        Dataset block = Mnist.train().first(sizes.inferenceDigits());
        double cnn = Double.MAX_VALUE;
        double mlp = Double.MAX_VALUE;
        double inference = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            Sequential cnnModel = SeedModels.cnn(r);
            long start = now();
            Trainer.fit(cnnModel, Loss.nll(), new Sgd(cnnModel.trainableParameters(), 0.01f, 0.9f), train,
                    Trainer.Options.of(1, 64, r));
            cnn = Math.min(cnn, (now() - start) / 1e9);
            start = now();
            try (NoGrad ignored = NoGrad.enter()) {
                cnnModel.forward(block.inputs());
            }
            inference = Math.min(inference, (now() - start) / 1e9);
            Sequential mlpModel = SeedModels.mlp(r);
            start = now();
            Trainer.fit(mlpModel, Loss.categoricalCrossEntropy(), new Sgd(mlpModel.trainableParameters(), 0.1f),
                    train, Trainer.Options.of(1, 10, r));
            mlp = Math.min(mlp, (now() - start) / 1e9);
        }
        return new Timings(cnn, mlp, inference);
    }

    /** PyTorch on {@code threads} threads, on the same digits; the caller has checked that torch imports. */
    public static Timings pytorch(PythonReference python, int threads, Sizes sizes, int repeats)
            throws IOException, InterruptedException {
        var digits = python.shippedDigits();
        PythonReference.Output out = python.run("torch_seed_epochs.py", List.of(digits[0].toString(),
                digits[1].toString(), Integer.toString(threads), Integer.toString(repeats),
                Integer.toString(sizes.trainDigits()), Integer.toString(sizes.inferenceDigits())));
        return new Timings(out.number("cnn_epoch_s"), out.number("mlp_epoch_s"), out.number("cnn_infer_s"));
    }
}

// Used by EpochReport and PerformanceSuite; run them as bench/README.md shows, e.g.
//   ./glassbox bench --quick --compare
