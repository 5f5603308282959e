package dev.glassbox.bench;

import dev.glassbox.engine.io.KerasImporter;
import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.nn.Model;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Importing a ~10 MB Keras HDF5 model (a Dense 1600 → 1600 plus a Dense 1600 → 10: 2.58 M float32 weights, laid
 * out as Keras 2.2 writes them) with {@link KerasImporter#load}, against reading the same file's bytes
 * ({@code readBytes}, the floor any reader pays). Expect the import within a small multiple of the raw read: it
 * parses the HDF5 metadata, copies every weight once into a tensor, and probes each layer with a one-example input.
 * Measured (JDK 17.0.15, 2-core Intel Xeon shared with other builds, java BLAS irrelevant here; -f 1 -wi 5 -i 10):
 * importKeras 16.0 ± 3.5 ms, readBytes 3.7 ± 0.3 ms.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1) @Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT})
@State(Scope.Benchmark)
public class KerasLoadBench {
    private static final int WIDTH = 1600;

    Path file;                                  // not final: written in setup

    @Setup(Level.Trial)
    public void setup() throws IOException {
        file = Files.createTempFile("keras-load-bench", ".h5");
        SplittableRandom random = new SplittableRandom(42);
        String config = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"wide\", \"layers\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d1\", \"units\": " + WIDTH + ","
                + " \"activation\": \"relu\", \"batch_input_shape\": [null, " + WIDTH + "]}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d2\", \"units\": 10,"
                + " \"activation\": \"softmax\"}}]}}";
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("model_config", config);
            hdf.putAttribute("keras_version", "2.2.4");
            WritableGroup weights = hdf.putGroup("model_weights");
            weights.putAttribute("layer_names", new String[] {"d1", "d2"});
            dense(weights, "d1", WIDTH, WIDTH, random);
            dense(weights, "d2", WIDTH, 10, random);
        }
    }

    private static void dense(WritableGroup weights, String name, int in, int out, SplittableRandom random) {
        WritableGroup layer = weights.putGroup(name);
        layer.putAttribute("weight_names", new String[] {name + "/kernel:0", name + "/bias:0"});
        WritableGroup inner = layer.putGroup(name);
        float[][] kernel = new float[in][out];
        for (float[] row : kernel) {
            for (int j = 0; j < out; j++) {
                row[j] = (float) random.nextGaussian() * 0.03f;
            }
        }
        inner.putDataset("kernel:0", kernel);
        inner.putDataset("bias:0", new float[out]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public Model importKeras() throws IOException {
        return KerasImporter.load(file);
    }

    @Benchmark
    public byte[] readBytes() throws IOException {
        return Files.readAllBytes(file);
    }
}
// Run: ./mvnw -B -ntp -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar KerasLoadBench
