package dev.glassbox.bench;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.RecordingListener;
import dev.glassbox.instrument.stats.HealthMonitor;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link RecordingBench}'s variants measured on one thread in {@link CpuClock thread CPU time}, in
 * alternating rounds, so the ratio survives a machine shared with other builds (where JMH's wall-clock numbers
 * scatter by ±100 %). Prints the median milliseconds per step of each variant and the ratios to plain.
 * Optional argument: rounds (default 15, each 10 steps per variant, so a monitor watching every
 * 10th step watches one step per round).
 */
public final class RecordingReport {
    private static final int STEPS_PER_ROUND = 10;

    private RecordingReport() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Parallel.setThreads(1);
        Dataset batch = Mnist.train().first(64);
        Variant plain = new Variant("plain", batch);
        Variant hooks = new Variant("hooksOnly", batch);
        Variant monitored = new Variant("monitored", batch);
        Variant monitoredAll = new Variant("monitoredAll", batch);
        Recorder.attach(hooks.model, new RecordingListener() { });
        HealthMonitor monitor = HealthMonitor.attach(monitored.model);
        monitored.afterStep = monitor::stepFinished;
        HealthMonitor monitorAll = HealthMonitor.attach(monitoredAll.model, Recorder.Kinds.ALL);
        monitoredAll.afterStep = monitorAll::stepFinished;
        Variant monitoredEvery10 = new Variant("every10th", batch);
        HealthMonitor monitorEvery10 = HealthMonitor.attach(monitoredEvery10.model, HealthMonitor.DEFAULT_KINDS, 10);
        monitoredEvery10.afterStep = monitorEvery10::stepFinished;
        Variant[] all = {plain, hooks, monitored, monitoredAll, monitoredEvery10};
        for (int warmup = 0; warmup < 5; warmup++) {
            for (Variant v : all) {
                v.round();
            }
        }
        double[][] times = new double[all.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < all.length; v++) {
                times[v][r] = all[v].round();
            }
        }
        double base = median(times[0]);
        System.out.printf(Locale.ROOT, "seed CNN training step, batch 64, 1 thread, %s, median of %d rounds%n",
                CpuClock.describe(), rounds);
        for (int v = 0; v < all.length; v++) {
            System.out.printf(Locale.ROOT, "%-12s %8.2f ms/step  %.3fx plain%n", all[v].name, median(times[v]),
                    median(times[v]) / base);
        }
        System.out.println("Java " + System.getProperty("java.version") + ", blas "
                + System.getProperty("glassbox.blas", "auto"));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static final class Variant {
        final String name;
        final Sequential model = SeedModels.cnn(1);
        final Sgd optimizer = new Sgd(model.trainableParameters(), 0.01f, 0.9f);
        final Dataset batch;
        Runnable afterStep = () -> { };

        Variant(String name, Dataset batch) {
            this.name = name;
            this.batch = batch;
        }

        /** Milliseconds of CPU time per step over a few steps. */
        double round() {
            long start = CpuClock.now();
            for (int i = 0; i < STEPS_PER_ROUND; i++) {
                Tensor loss = Losses.nll(model.forward(batch.inputs()), batch.labels());
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                afterStep.run();
            }
            return (CpuClock.now() - start) / 1e6 / STEPS_PER_ROUND;
        }
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests &&
//      java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.glassbox.bench.RecordingReport
