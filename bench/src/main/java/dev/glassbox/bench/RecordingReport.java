package dev.glassbox.bench;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.HookHandle;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Workspace;
import dev.glassbox.instrument.Extraction;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.RecordingListener;
import dev.glassbox.instrument.stats.HealthMonitor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the instrumentation costs, every variant measured side by side in one run.
 *
 * <p>Training: {@link RecordingBench}'s variants of one seed-CNN training step (batch 64, SGD with momentum), in
 * alternating rounds so that a machine shared with other work slows them all alike; the median milliseconds per
 * step of each, and its ratio to plain as the median over the rounds of its time over plain's time in the same
 * round (this virtual machine's speed drifts by up to 2× within minutes, and a ratio of the two medians mixes
 * rounds taken at different speeds). With 1 thread the clock is the thread's {@link CpuClock CPU time} (a
 * descheduled thread stops it; JMH's wall clock scatters by ±100 % on a busy machine); with 2 threads it is the
 * wall clock, since the work runs on two threads. Variants: {@code plain}; {@code hooksRemoved}, after a monitor of
 * every kind was attached and closed (target ≤ 1.01 × plain); {@code hooksOnly}, every hook registered and doing
 * nothing; {@code monitored}, the default monitor (outputs and parameter gradients: every statistic of the health
 * report; target ≤ 1.10 × plain); {@code monitoredAll}, every layer's output, output gradient and parameter gradients
 * at every step ({@code Recorder.Kinds.LAYERS}); {@code monitoredInput}, that and dL/d(model input)
 * ({@code Recorder.Kinds.ALL}, which makes backward compute input gradients plain training skips); {@code every10th},
 * the default monitor watching every 10th step; {@code plainAgain}, a second plain model near the end of each round,
 * whose ratio shows how far the measurement itself scatters; and {@code plainFresh}, a plain model whose steps
 * allocate every array anew. All others run each step in a {@link Workspace} step, as {@code Trainer.fit} does.
 * A monitored variant's round ends when the statistics it queued are done ({@link HealthMonitor#flush}), so that
 * none of its work runs while the next variant is timed.
 *
 * <p>Beside each time, the CPU time all the JVM's threads used per step ({@link CpuClock#allThreads}), and its
 * median excess over plain's in the same round: the work a variant adds, wherever it ran. On two threads the wall
 * time shows only the part of that work the step could not hide in the second core's idle time.
 *
 * <p>Extraction: the live heap beyond the stored results while {@link Extraction} takes every layer of the seed
 * CNN and MLP for 1,000 digits. Allocation counters would count every temporary buffer; what matters is how much
 * is reachable at once. So a forward hook on every layer runs a full GC and reads the heap in use after it (the
 * live set at that moment); the peak of these, minus the live heap before extraction, minus the results' own
 * bytes, is what extraction holds beyond its results (target < 64 MB). The inputs are allocated before the first
 * reading, so they are not counted.
 *
 * <p>Arguments: rounds (default 15, each 10 steps per variant, so a monitor watching every 10th step watches one
 * step per round) and threads (1 or 2, default 1).
 */
public final class RecordingReport {
    private static final int STEPS_PER_ROUND = 10;
    private static final int DIGITS = 1000;
    private static final int EXTRACTION_BATCH = 100;

    private RecordingReport() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Parallel.setThreads(threads);
        boolean cpuTime = threads == 1;
        Dataset batch = Mnist.train().first(64);
        Variant plain = new Variant("plain", batch);
        Variant removed = new Variant("hooksRemoved", batch);
        HealthMonitor.attach(removed.model, Recorder.Kinds.ALL).close();
        Variant hooks = new Variant("hooksOnly", batch);
        Recorder.attach(hooks.model, new RecordingListener() { });
        Variant monitored = new Variant("monitored", batch);
        monitored.watch(HealthMonitor.attach(monitored.model));
        Variant monitoredAll = new Variant("monitoredAll", batch);
        monitoredAll.watch(HealthMonitor.attach(monitoredAll.model, Recorder.Kinds.LAYERS));
        Variant monitoredInput = new Variant("monitoredInput", batch);
        monitoredInput.watch(HealthMonitor.attach(monitoredInput.model, Recorder.Kinds.ALL));
        Variant every10th = new Variant("every10th", batch);
        every10th.watch(HealthMonitor.attach(every10th.model, HealthMonitor.DEFAULT_KINDS, 10));
        Variant plainAgain = new Variant("plainAgain", batch);
        Variant plainFresh = new Variant("plainFresh", batch);
        plainFresh.workspace = null;
        Variant[] all = {plain, removed, hooks, monitored, monitoredAll, monitoredInput, every10th, plainAgain,
            plainFresh};
        for (int warmup = 0; warmup < 5; warmup++) {
            for (Variant v : all) {
                v.round(cpuTime);
            }
        }
        double[][] times = new double[all.length][rounds];
        double[][] work = new double[all.length][rounds];               // CPU time of all threads, ms a step
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < all.length; v++) {
                long cpuBefore = CpuClock.allThreads();
                times[v][r] = all[v].round(cpuTime);
                work[v][r] = (CpuClock.allThreads() - cpuBefore) / 1e6 / STEPS_PER_ROUND;
            }
        }
        System.out.printf(Locale.ROOT, "seed CNN training step, batch 64, %d thread%s, %s, median of %d rounds%n",
                threads, threads == 1 ? "" : "s", cpuTime ? CpuClock.describe() : "wall time", rounds);
        for (int v = 0; v < all.length; v++) {
            double[] ratios = new double[rounds];
            double[] extraWork = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = times[v][r] / times[0][r];
                extraWork[r] = work[v][r] - work[0][r];
            }
            System.out.printf(Locale.ROOT, "%-13s %8.2f ms/step  %.3fx plain   CPU of all threads %6.2f ms/step"
                    + " (%+.2f)%n", all[v].name, Median.of(times[v]), Median.of(ratios), Median.of(work[v]),
                    Median.of(extraWork));
        }
        Tensor digits = Mnist.train().first(DIGITS).inputs();
        reportExtraction("seed CNN", SeedModels.cnn(1), digits);
        reportExtraction("seed MLP", SeedModels.mlp(1), digits);
        System.out.println("Java " + System.getProperty("java.version") + ", blas "
                + System.getProperty("glassbox.blas", "auto") + ", vector API "
                + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off"));
    }

    /** Prints the stored results' size and the peak live heap beyond them while extracting every layer. */
    private static void reportExtraction(String name, Model model, Tensor inputs) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = liveHeap(memory);
        long[] peak = {before};
        List<HookHandle> handles = new ArrayList<>();
        for (Layer layer : model.layers()) {
            handles.add(layer.registerForwardHook((l, in, out) -> peak[0] = Math.max(peak[0], liveHeap(memory))));
        }
        Map<String, Tensor> results = Extraction.extract(model, inputs, EXTRACTION_BATCH);
        handles.forEach(HookHandle::remove);
        peak[0] = Math.max(peak[0], liveHeap(memory));
        long stored = 0;
        for (Tensor t : results.values()) {
            stored += 4L * t.size();
        }
        System.out.printf(Locale.ROOT, "extraction, %s, %d layers of %d digits (batch %d): results %.1f MB, "
                + "live beyond them at most %.1f MB%n", name, results.size(), inputs.dim(0), EXTRACTION_BATCH,
                stored / 1e6, (peak[0] - before - stored) / 1e6);
    }

    /** Heap in use right after a full collection: the live set. */
    private static long liveHeap(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static final class Variant {
        final String name;
        final Sequential model = SeedModels.cnn(1);
        final Sgd optimizer = new Sgd(model.trainableParameters(), 0.01f, 0.9f);
        final Dataset batch;
        Runnable afterStep = () -> { };
        Runnable afterRound = () -> { };
        /** Each step runs in a step of this, as in {@code Trainer.fit}; null allocates every array anew. */
        Workspace workspace = new Workspace();

        Variant(String name, Dataset batch) {
            this.name = name;
            this.batch = batch;
        }

        /**
         * Closes each step with {@code monitor.stepFinished()}, and each round with the monitor's queued statistics
         * done: the engine's workers would otherwise finish them while the next variant's round is timed.
         */
        void watch(HealthMonitor monitor) {
            afterStep = monitor::stepFinished;
            afterRound = monitor::flush;
        }

        /** Milliseconds per step over a few steps, in the calling thread's CPU time or in wall time. */
        double round(boolean cpuTime) {
            long start = cpuTime ? CpuClock.now() : System.nanoTime();
            for (int i = 0; i < STEPS_PER_ROUND; i++) {
                try (Workspace.Step ignored = Workspace.openStep(workspace)) {
                    SeedWorkloads.cnnStep(model, optimizer, batch);
                }
                afterStep.run();
            }
            afterRound.run();
            return ((cpuTime ? CpuClock.now() : System.nanoTime()) - start) / 1e6 / STEPS_PER_ROUND;
        }
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests &&
//      java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=10000 -cp bench/target/benchmarks.jar \
//      dev.glassbox.bench.RecordingReport 15 1
//      (and with "15 2" for two threads in wall time)
