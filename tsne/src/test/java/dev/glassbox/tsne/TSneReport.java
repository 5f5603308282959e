package dev.glassbox.tsne;

import java.util.Arrays;
import java.util.Locale;

/**
 * The acceptance runs of the t-SNE module: not a unit test (they take minutes), a main to run by hand.
 *
 * <p>Reference setting: the shipped 10,000 digits, pixels / 255, PCA to 50 dimensions fitted on all 10,000;
 * size N = the first N rows; perplexity 30, 1,000 iterations. Prints, per run, the wall and process CPU
 * time of {@link TSne#run} (affinities included) with the system load, the optimiser's last KL, the KL against the exact dense P,
 * trustworthiness (k = 10) and kNN accuracy (k = 10).
 *
 * <p>Arguments: {@code method:N[:threads[:theta]]} items, e.g. {@code EXACT:1000 BARNES_HUT:10000 FFT:10000:2}.
 * Writes each embedding to {@code target/tsne-<method>-<N>.csv} for plotting or cross-checks.
 */
public final class TSneReport {

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        float[][] pixels = Mnist.images(10_000);
        int[] labels = Mnist.labels(10_000);
        long t0 = System.nanoTime();
        Pca pca = Pca.fit(pixels, 50, 2);
        float[][] all = pca.transform(pixels);
        System.out.printf("PCA 784 -> 50 on 10000 rows: %.2f s%n", (System.nanoTime() - t0) / 1e9);
        String[] runs = args.length > 0 ? args : new String[] {"EXACT:1000", "BARNES_HUT:1000", "FFT:1000",
                "BARNES_HUT:10000", "FFT:10000"};
        for (String run : runs) {
            String[] parts = run.split(":");
            TSneConfig.Method method = TSneConfig.Method.valueOf(parts[0]);
            int n = Integer.parseInt(parts[1]);
            int threads = parts.length > 2 ? Integer.parseInt(parts[2]) : 2;
            double theta = parts.length > 3 ? Double.parseDouble(parts[3]) : TSneConfig.DEFAULT_THETA;
            float[][] x = Arrays.copyOf(all, n);
            TSneConfig cfg = TSneConfig.builder().method(method).threads(threads).theta(theta).seed(1).build();
            double[] lastKl = {Double.NaN};
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            float[][] y = TSne.run(x, cfg, (iteration, kl) -> lastKl[0] = kl);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            double klExact = Metrics.klDivergence(x, y, 30, 2);
            double trust = Metrics.trustworthiness(x, y, 10, 2);
            double knn = Metrics.knnAccuracy(y, Arrays.copyOf(labels, n), 10, 2);
            System.out.printf("%-10s theta=%.2f N=%5d threads=%d  wall %6.2f s  cpu %6.2f s  load %.1f  KL(method) %.4f"
                    + "  KL(exact P) %.4f  trustworthiness %.4f  kNN accuracy %.4f%n",
                    method, theta, n, threads, seconds, cpuSeconds, loadAverage(), lastKl[0], klExact, trust, knn);
            write(y, "target/tsne-" + method + "-" + n + ".csv");
        }
    }

    /** CPU time of the whole JVM: on a shared machine it shows the work done, which wall time cannot. */
    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void write(float[][] y, String path) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (float[] row : y) {
            for (int k = 0; k < row.length; k++) {
                sb.append(k == 0 ? "" : ",").append(row[k]);
            }
            sb.append('\n');
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of(path), sb);
    }
}
