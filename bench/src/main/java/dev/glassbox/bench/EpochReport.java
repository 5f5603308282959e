package dev.glassbox.bench;

import dev.glassbox.engine.kernels.Blas;
import dev.glassbox.engine.kernels.Parallel;
import java.util.Locale;

/**
 * End-to-end timings of the seed workloads ({@link SeedWorkloads}), Glassbox and (when Debian's
 * {@code python3-torch} is installed) PyTorch side by side in one run, so the ratios are fair on a shared machine:
 * one training epoch of the seed CNN (8,000 digits, batch 64), one of the seed MLP (batch 10), and seed-CNN
 * inference on 1,000 digits; each with 1 and 2 threads, best of {@code repeats}. {@code glassbox bench --compare}
 * shows the two-thread rows with their targets; this report adds the one-thread rows.
 */
public final class EpochReport {
    private EpochReport() {}

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.println(MachineInfo.current().describe() + ", sgemm backend " + Blas.get().name());
        PythonReference python = PythonReference.find(null);
        String missing = python.missing("torch");
        if (missing != null) {
            System.out.println("(PyTorch reference not run: " + missing + ")");
        }
        System.out.println("| threads | workload | Glassbox s | PyTorch s | Glassbox / PyTorch |");
        System.out.println("|---:|---|---:|---:|---:|");
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            SeedWorkloads.Timings ours = SeedWorkloads.glassbox(SeedWorkloads.Sizes.FULL, repeats);
            SeedWorkloads.Timings torch = missing != null ? null
                    : SeedWorkloads.pytorch(python, threads, SeedWorkloads.Sizes.FULL, repeats);
            row(threads, "seed CNN training epoch (batch 64)", ours.cnnEpoch(),
                    torch == null ? Double.NaN : torch.cnnEpoch());
            row(threads, "seed MLP training epoch (batch 10)", ours.mlpEpoch(),
                    torch == null ? Double.NaN : torch.mlpEpoch());
            row(threads, "seed CNN inference, 1,000 digits", ours.cnnInference(),
                    torch == null ? Double.NaN : torch.cnnInference());
        }
    }

    private static void row(int threads, String workload, double ours, double theirs) {
        System.out.printf(Locale.ROOT, "| %d | %s | %.3f | %s | %s |%n", threads, workload, ours,
                Double.isNaN(theirs) ? "n/a" : String.format(Locale.ROOT, "%.3f", theirs),
                Double.isNaN(theirs) ? "n/a" : String.format(Locale.ROOT, "%.2f", ours / theirs));
    }
}

// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests &&
//      java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=10000 -cp bench/target/benchmarks.jar \
//      dev.glassbox.bench.EpochReport [repeats]
