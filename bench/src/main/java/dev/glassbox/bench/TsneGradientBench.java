package dev.glassbox.bench;

import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.tsne.Gradient;
import dev.glassbox.tsne.Parallel;
import dev.glassbox.tsne.Pca;
import dev.glassbox.tsne.TSne;
import dev.glassbox.tsne.TSneConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One t-SNE gradient iteration at N = 10,000 — the step a run repeats 1,000 times — for the Barnes-Hut and the
 * FFT-interpolation methods, on one and two threads.
 *
 * <p>Setup: the tsne module's reference setting (the 10,000 shipped digits, pixels / 255, PCA to 50 dimensions,
 * perplexity 30), its sparse affinities, and as the embedding the result of a whole 1,000-iteration run with the
 * same method. The embedding matters: both methods cost more as it spreads (the tree gets deeper, the FFT grid
 * finer), so timing the tiny PCA start would flatter them; a converged map is where a run spends most of its
 * iterations. The setup takes a few seconds per fork (affinities plus the run), outside the measurement.
 *
 * <p>Measured: the gradient itself (attraction over P's non-zeros plus the method's repulsion), without the
 * optimiser's update, which is O(N) and the same for every method.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2) @Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Benchmark)
public class TsneGradientBench {
    private static final int N = 10_000;

    @Param({"BARNES_HUT", "FFT"})
    public TSneConfig.Method method;

    @Param({"1", "2"})
    public int threads;

    private Parallel parallel;
    private Gradient gradient;
    private double[] embedding;
    private double[] out;

    @Setup(Level.Trial)
    public void setup() {
        float[][] x = pca50(N);
        TSneConfig config = TSneConfig.builder().method(method).threads(threads).seed(1).build();
        float[][] converged = TSne.run(x, config);
        embedding = new double[N * 2];
        for (int i = 0; i < N; i++) {
            embedding[2 * i] = converged[i][0];
            embedding[2 * i + 1] = converged[i][1];
        }
        out = new double[N * 2];
        parallel = new Parallel(threads);
        gradient = TSne.gradient(TSne.flatten(x), N, x[0].length, method, config, parallel);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public void gradientIteration(Blackhole blackhole) {
        blackhole.consume(gradient.compute(embedding, 1, out));
        blackhole.consume(out);
    }

    /** The first {@code n} shipped digits as pixels / 255, projected on the top 50 principal axes of all 10,000. */
    static float[][] pca50(int n) {
        float[] pixels = Mnist.shipped().inputs().data();
        int rows = pixels.length / 784;
        float[][] all = new float[rows][784];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(pixels, r * 784, all[r], 0, 784);
        }
        float[][] projected = Pca.fit(all, 50, 2).transform(all);
        return java.util.Arrays.copyOf(projected, n);
    }
}
