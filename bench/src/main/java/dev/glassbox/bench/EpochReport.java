package dev.glassbox.bench;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.Blas;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import dev.glassbox.engine.train.Loss;
import dev.glassbox.engine.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end timings of the seed workloads, Glassbox and (when Debian's {@code python3-torch} is installed)
 * PyTorch side by side in one run, so the ratios are fair on a shared machine:
 * one training epoch of the seed CNN (8,000 digits, batch 64, SGD with momentum), one of the seed MLP (batch 10,
 * plain SGD), and seed-CNN inference on 1,000 digits; each with 1 and 2 threads, best of {@code repeats}.
 * One-thread runs are timed by CPU time on both sides (another tenant's load does not stop the clock of a
 * thread that is waiting for a core), two-thread runs by the wall clock.
 */
public final class EpochReport {
    private EpochReport() {}

    /** Seconds of the best of {@code repeats} runs. */
    record Timings(double cnnEpoch, double mlpEpoch, double cnnInference) {}

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.printf(Locale.ROOT, "JDK %s, %s, %d cores, sgemm backend %s%n", System.getProperty("java.version"),
                cpuModel(), Runtime.getRuntime().availableProcessors(), Blas.get().name());
        Dataset train = Mnist.train();
        System.out.println("| threads | workload | Glassbox s | PyTorch s | Glassbox / PyTorch |");
        System.out.println("|---:|---|---:|---:|---:|");
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            Timings ours = glassbox(train, repeats);
            Timings torch = pytorch(threads, repeats);
            row(threads, "seed CNN training epoch (batch 64)", ours.cnnEpoch(), torch == null ? Double.NaN
                    : torch.cnnEpoch());
            row(threads, "seed MLP training epoch (batch 10)", ours.mlpEpoch(), torch == null ? Double.NaN
                    : torch.mlpEpoch());
            row(threads, "seed CNN inference, 1,000 digits", ours.cnnInference(), torch == null ? Double.NaN
                    : torch.cnnInference());
        }
    }

    private static void row(int threads, String workload, double ours, double theirs) {
        System.out.printf(Locale.ROOT, "| %d | %s | %.3f | %s | %s |%n", threads, workload, ours,
                Double.isNaN(theirs) ? "n/a" : String.format(Locale.ROOT, "%.3f", theirs),
                Double.isNaN(theirs) ? "n/a" : String.format(Locale.ROOT, "%.2f", ours / theirs));
    }

    /** CPU time of this thread for one-thread runs, else wall time, in nanoseconds. */
    private static long now() {
        return Parallel.threads() == 1
                ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                : System.nanoTime();
    }

    static Timings glassbox(Dataset train, int repeats) {
        double cnn = Double.MAX_VALUE;
        double mlp = Double.MAX_VALUE;
        double inference = Double.MAX_VALUE;
        Dataset thousand = train.first(1000);
        for (int r = 0; r < repeats; r++) {
            Sequential cnnModel = SeedModels.cnn(r);
            long start = now();
            Trainer.fit(cnnModel, Loss.nll(), new Sgd(cnnModel.trainableParameters(), 0.01f, 0.9f), train,
                    Trainer.Options.of(1, 64, r));
            cnn = Math.min(cnn, (now() - start) / 1e9);
            start = now();
            try (NoGrad ignored = NoGrad.enter()) {
                cnnModel.forward(thousand.inputs());
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

    /** Runs the PyTorch script on the same digits; null when Debian's python3 has no torch. */
    static Timings pytorch(int threads, int repeats) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("glassbox-bench");
        Path script = extract("/dev/glassbox/bench/torch_seed_epochs.py", dir);
        Path images = extractFrom(Mnist.class, "mnist10k-images-idx3-ubyte.gz", dir);
        Path labels = extractFrom(Mnist.class, "mnist10k-labels-idx1-ubyte.gz", dir);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), images.toString(), labels.toString(),
                Integer.toString(threads), Integer.toString(repeats)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("(PyTorch reference not run: " + out.lines().reduce((a, b) -> b).orElse("") + ")");
            return null;
        }
        String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        return new Timings(number(json, "cnn_epoch_s"), number(json, "mlp_epoch_s"), number(json, "cnn_infer_1000_s"));
    }

    private static double number(String json, String key) {
        return Double.parseDouble(json.replaceAll(".*\"" + key + "\": *([0-9.eE+-]+).*", "$1"));
    }

    private static Path extract(String resource, Path dir) throws IOException {
        return extractFrom(EpochReport.class, resource, dir);
    }

    private static Path extractFrom(Class<?> anchor, String resource, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " missing");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests &&
//      java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.glassbox.bench.EpochReport [repeats]
