package dev.glassbox.tsne;

import java.util.Arrays;
import java.util.Locale;

/**
 * The acceptance runs of the t-SNE module: not a unit test (they take minutes), a main to run by hand.
 *
 * <p>Reference setting: the shipped 10,000 digits, pixels / 255, PCA to 50 dimensions fitted on all 10,000;
 * size N = the first N rows; perplexity 30, 1,000 iterations. Prints, per run, the wall and process CPU
 * time of {@link TSne#run} (affinities included) with the system load, the optimiser's last KL, the KL against the
 * exact dense P, trustworthiness (k = 10) and kNN accuracy (k = 10).
 *
 * <p>Arguments: {@code method:N[:threads[:theta[:seed]]]} items, e.g. {@code EXACT:1000 BARNES_HUT:10000 FFT:10000:2}
 * or {@code EXACT:1000:2:0.5:3} (seed 3; default 1).
 * Writes each embedding to {@code target/tsne-<method>-<N>.csv} for plotting or cross-checks.
 *
 * <p>With {@code -Dtsne.data=fashion} the input is Fashion-MNIST's 70,000 images from Debian's
 * {@code dataset-fashion-mnist} (train then test, PCA 50 fitted on all of them), e.g. {@code FFT:70000}.
 * {@code -Dtsne.metrics=off} skips the quality metrics (minutes at N = 70,000) for timing runs.
 */
public final class TSneReport {
    private static final int EXACT_KL_MAX_N = 20_000;

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        boolean fashion = "fashion".equals(System.getProperty("tsne.data"));
        float[][] pixels = fashion ? Mnist.fashionImages() : Mnist.images(10_000);
        if (pixels == null) {
            System.out.println("Fashion-MNIST not found in " + Mnist.FASHION_DIR
                    + " (Debian package dataset-fashion-mnist)");
            return;
        }
        int[] labels = fashion ? Mnist.fashionLabels() : Mnist.labels(10_000);
        long t0 = System.nanoTime();
        Pca pca = Pca.fit(pixels, 50, 2);
        float[][] all = pca.transform(pixels);
        System.out.printf("PCA 784 -> 50 on %d rows: %.2f s%n", pixels.length, (System.nanoTime() - t0) / 1e9);
        String[] runs = args.length > 0 ? args : new String[] {"EXACT:1000", "BARNES_HUT:1000", "FFT:1000",
                "BARNES_HUT:10000", "FFT:10000"};
        for (String run : runs) {
            String[] parts = run.split(":");
            TSneConfig.Method method = TSneConfig.Method.valueOf(parts[0]);
            int n = Integer.parseInt(parts[1]);
            int threads = parts.length > 2 ? Integer.parseInt(parts[2]) : 2;
            double theta = parts.length > 3 ? Double.parseDouble(parts[3]) : TSneConfig.DEFAULT_THETA;
            long seed = parts.length > 4 ? Long.parseLong(parts[4]) : 1;
            float[][] x = Arrays.copyOf(all, n);
            TSneConfig cfg = TSneConfig.builder().method(method).threads(threads).theta(theta).seed(seed).build();
            double[] lastKl = {Double.NaN};
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            float[][] y = TSne.run(x, cfg, (iteration, kl) -> lastKl[0] = kl);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            boolean metrics = !"off".equals(System.getProperty("tsne.metrics"));
            // The exact-P KL costs O(N²) bisections; beyond this size only the method's own KL is printed.
            double klExact = metrics && n <= EXACT_KL_MAX_N ? Metrics.klDivergence(x, y, 30, 2) : Double.NaN;
            double trust = metrics ? Metrics.trustworthiness(x, y, 10, 2) : Double.NaN;
            double knn = metrics ? Metrics.knnAccuracy(y, Arrays.copyOf(labels, n), 10, 2) : Double.NaN;
            System.out.printf("%-10s theta=%.2f N=%5d seed=%d threads=%d"
                    + "  wall %6.2f s  cpu %6.2f s  load %.1f  KL(method) %.4f"
                    + "  KL(exact P) %.4f  trustworthiness %.4f  kNN accuracy %.4f%n",
                    method, theta, n, seed, threads, seconds, cpuSeconds,
                    loadAverage(), lastKl[0], klExact, trust, knn);
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
