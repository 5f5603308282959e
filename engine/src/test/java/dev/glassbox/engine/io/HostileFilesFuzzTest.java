package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded-mutation fuzzing of every model-file reader: valid files are truncated, bit-flipped, and have bytes and
 * length fields overwritten with extreme values. Each mutant must either load or fail with a
 * {@link ModelFileException} (or an {@link IOException}) whose message names the file; never another exception,
 * an {@link OutOfMemoryError}, or a hang.
 *
 * <p>CI runs a couple of seconds per reader. A longer run, e.g. ten minutes per reader from another seed, or a
 * fixed number of mutants per reader (10,000 × 11 inputs = 110,000 mutants, the same ones on every machine):
 * <pre>
 * ./mvnw -pl engine test -Dtest=HostileFilesFuzzTest -Dglassbox.fuzz.seconds=600 -Dglassbox.fuzz.seed=7
 * ./mvnw -pl engine test -Dtest=HostileFilesFuzzTest -Dglassbox.fuzz.mutants=10000
 * </pre>
 * Every reader prints how many mutants it checked, in how long, and how many loaded or were refused. A failure
 * prints the seed and the mutant's index, which reproduce it.
 *
 * <p>Its coverage-guided counterpart is {@link ReaderFuzzTest} (Jazzer), which holds the readers to the same rule
 * ({@link #check}): it goes much deeper but only fuzzes when asked to, one reader at a time, and otherwise replays
 * its inputs; this test explores a little, blindly, in every test run.
 */
class HostileFilesFuzzTest {
    private static final double SECONDS = Double.parseDouble(System.getProperty("glassbox.fuzz.seconds", "1"));
    private static final long SEED = Long.getLong("glassbox.fuzz.seed", 20261129L);
    /** When set, exactly this many mutants per reader, whatever the time. */
    private static final long MUTANTS = Long.getLong("glassbox.fuzz.mutants", 0L);

    @TempDir Path dir;

    /** A reader under test: loads a file, throwing what it throws. */
    interface Reader {
        Object read(Path file) throws Exception;
    }

    @Test
    void kerasFullModelReaderSurvivesMutants() throws Exception {
        fuzz("keras.h5", Files.readAllBytes(Fixtures.fixture("seed_mlp_functional_k224.h5")),
                KerasImporter::load);
    }

    @Test
    void kerasWeightsReaderSurvivesMutants() throws Exception {
        Path config = Fixtures.fixture("seed_mlp_k224.json");
        fuzz("weights.h5", Files.readAllBytes(Fixtures.fixture("seed_mlp_k224_weights.h5")),
                f -> KerasImporter.load(f, config));
    }

    @Test
    void keras3ArchiveReaderSurvivesMutants() throws Exception {
        Path archive = KerasLayerConversionTest.writeArchive(dir,
                new KerasLayerConversionTest().weights());
        fuzz("model.keras", Files.readAllBytes(archive), KerasImporter::load);
    }

    @Test
    void smallKerasModelReaderSurvivesMutants() throws Exception {
        Path valid = dir.resolve("valid.h5");
        KerasDialectsTest.writeNestedModel(valid);
        fuzz("small.h5", Files.readAllBytes(valid), KerasImporter::load);
    }

    @Test
    void smallKeras3ArchiveReaderSurvivesMutants() throws Exception {
        Path valid = Keras3ArchiveTest.writeNested(dir.resolve("valid.keras"));
        fuzz("small.keras", Files.readAllBytes(valid), KerasImporter::load);
    }

    @Test
    void smallPyTorchReadersSurviveMutants() throws Exception {
        fuzz("tiny_legacy.pt", Files.readAllBytes(TorchStateDictTest.resource("tiny_legacy.pt")),
                TorchStateDict::read);
        fuzz("tiny_zip.pt", Files.readAllBytes(TorchStateDictTest.resource("tiny_zip.pt")), TorchStateDict::read);
    }

    @Test
    void legacyPyTorchReaderSurvivesMutants() throws Exception {
        fuzz("legacy.pt", Files.readAllBytes(TorchStateDictTest.resource("mlp_legacy.pt")), TorchStateDict::read);
    }

    @Test
    void zipPyTorchReaderSurvivesMutants() throws Exception {
        fuzz("zip.pt", Files.readAllBytes(TorchStateDictTest.resource("deep_zip.pt")), TorchStateDict::read);
    }

    @Test
    void npyReaderSurvivesMutants() throws Exception {
        fuzz("x.npy", Files.readAllBytes(TorchStateDictTest.resource("deep_zip_x.npy")), Npy::read);
    }

    @Test
    void safeTensorsReaderSurvivesMutants() throws Exception {
        Path valid = dir.resolve("valid.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();      // a fixed order: the same file, the same mutants
        tensors.put("fc1.weight", new Tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("fc1.bias", new Tensor(new float[] {7, 8}, 2));
        SafeTensors.write(valid, tensors, Map.of());
        fuzz("w.safetensors", Files.readAllBytes(valid), SafeTensors::read);
    }

    /** Mutates {@code valid} for {@link #SECONDS} (or {@link #MUTANTS} times), checking the reader on each. */
    private void fuzz(String name, byte[] valid, Reader reader) {
        SplittableRandom random = new SplittableRandom(SEED ^ name.hashCode());
        long start = System.nanoTime();
        long end = start + (long) (SECONDS * 1e9);
        int mutants = 0;
        int[] loaded = new int[1];
        long slowest = 0;
        int slowestIndex = -1;
        Path file = dir.resolve(name);
        while (MUTANTS > 0 ? mutants < MUTANTS : mutants < 3 || System.nanoTime() < end) {
            byte[] mutant = mutate(valid, random, mutants);
            int index = mutants++;
            long before = System.nanoTime();
            String what = "seed " + SEED + " mutant " + index + " of " + name;
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                Files.write(file, mutant);
                if (check(reader, file, what)) {
                    loaded[0]++;
                }
            }, () -> what + " took over 20 s");
            if (System.nanoTime() - before > slowest) {
                slowest = System.nanoTime() - before;
                slowestIndex = index;
            }
        }
        assertTrue(mutants >= 3);
        System.out.printf("fuzz %s: %d mutants in %.1f s (seed %d): %d loaded, %d refused with a file error,"
                + " no other outcome; slowest mutant %d took %.2f s%n", name, mutants,
                (System.nanoTime() - start) / 1e9, SEED, loaded[0], mutants - loaded[0], slowestIndex, slowest / 1e9);
    }

    /**
     * True when the mutant loads, false when it is refused with an error naming the file (or one of
     * {@code alsoNamed}, the other files the reader was given); fails otherwise.
     */
    static boolean check(Reader reader, Path file, String what, Path... alsoNamed) {
        try {
            reader.read(file);
            return true;
        } catch (ModelFileException | IOException e) {
            String message = String.valueOf(e.getMessage());
            boolean named = message.contains(file.getFileName().toString())
                    || java.util.Arrays.stream(alsoNamed).anyMatch(p -> message.contains(p.getFileName().toString()));
            if (!named) {
                fail(what + ": the error does not name the file: " + e.getMessage(), e);
            }
            return false;
        } catch (Throwable e) {
            return fail(what + ": " + e.getClass().getName() + " instead of a ModelFileException: "
                    + e.getMessage(), e);
        }
    }

    /** The first mutants truncate; the rest flip bits or plant extreme values, more than one per mutant. */
    private static byte[] mutate(byte[] valid, SplittableRandom random, int index) {
        if (index < 3 || random.nextInt(8) == 0) {
            int length = index == 0 ? valid.length / 2 : index == 1 ? 7 : random.nextInt(valid.length);
            return java.util.Arrays.copyOf(valid, length);
        }
        byte[] mutant = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            // structure lives near the start and in small headers: aim half of the edits at the first 4 KB
            int at = random.nextBoolean() ? random.nextInt(Math.min(4096, mutant.length))
                    : random.nextInt(mutant.length);
            switch (random.nextInt(4)) {
                case 0 -> mutant[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> mutant[at] = (byte) random.nextInt(256);
                case 2 -> {
                    for (int k = at; k < Math.min(mutant.length, at + 8); k++) {
                        mutant[k] = (byte) 0xff;                              // a huge length or size
                    }
                }
                default -> {
                    for (int k = at; k < Math.min(mutant.length, at + 4); k++) {
                        mutant[k] = (byte) (k == at ? 0x7f : 0);                 // a big positive int32 (LE: low)
                    }
                }
            }
        }
        return mutant;
    }
}
