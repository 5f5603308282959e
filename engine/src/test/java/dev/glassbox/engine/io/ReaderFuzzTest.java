package dev.glassbox.engine.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.glassbox.engine.data.Idx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of every file reader with Jazzer: the fuzzer watches which branches of the reader each
 * input reaches and keeps mutating the inputs that reach new ones, so it gets past checksums of structure (magic
 * numbers, zip records, pickle opcodes, HDF5 object headers) that blind mutation ({@link HostileFilesFuzzTest})
 * rarely passes. The rule is the same for both: an input either loads or is refused with a
 * {@link ModelFileException} or an {@link IOException} whose message names the file; any other exception, an
 * {@link OutOfMemoryError} or a stack overflow is a finding.
 *
 * <p>In a plain test run (CI) each target replays its seeds and every finding kept so far, from
 * {@code src/test/resources/dev/glassbox/engine/io/ReaderFuzzTestInputs/<target>/}. To fuzz one target for three
 * minutes or until the first finding (which Jazzer writes into that folder, where it stays as a regression input
 * once the bug is fixed; the corpus it grows is kept in {@code engine/.cifuzz-corpus}, so the next run goes on from
 * there):
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -pl engine test -Dtest='ReaderFuzzTest#npy'
 * </pre>
 * Let a run end by its time limit: a fuzzing JVM that is killed reports the input it was running as a crash and
 * writes it into the folder above, though the input is harmless (replay it to tell).
 */
class ReaderFuzzTest {
    @TempDir static Path dir;

    @FuzzTest(maxDuration = "3m")
    void npy(byte[] bytes) {
        survives("fuzz.npy", bytes, Npy::read);
    }

    @FuzzTest(maxDuration = "3m")
    void safeTensors(byte[] bytes) {
        survives("fuzz.safetensors", bytes, SafeTensors::read);
    }

    @FuzzTest(maxDuration = "3m")
    void pyTorchStateDict(byte[] bytes) {
        survives("fuzz.pt", bytes, TorchStateDict::read);
    }

    @FuzzTest(maxDuration = "3m")
    void kerasHdf5(byte[] bytes) {
        survives("fuzz.h5", bytes, KerasImporter::load);
    }

    @FuzzTest(maxDuration = "3m")
    void kerasArchive(byte[] bytes) {
        survives("fuzz.keras", bytes, KerasImporter::load);
    }

    /** A Keras architecture ({@code model.to_json()}) read beside a fixed, valid weights file. */
    @FuzzTest(maxDuration = "3m")
    void kerasConfig(byte[] bytes) throws Exception {
        // an architecture that asks for weights the file lacks is an error about the weights file: named too
        Path weights = KerasH5pyFilesTest.resource("keras2_chunked.h5");
        survives("fuzz-config.json", bytes, config -> KerasImporter.load(weights, config), weights);
    }

    @FuzzTest(maxDuration = "3m")
    void modelConfig(byte[] bytes) {
        survives("fuzz.json", bytes, ModelFile::fromJson);
    }

    @FuzzTest(maxDuration = "3m")
    void idx(byte[] bytes) {
        survives("fuzz-idx1-ubyte", bytes, Idx::read);
    }

    /** Writes the input as a file of that name and holds the reader to the rule of the class comment. */
    private static void survives(String name, byte[] bytes, HostileFilesFuzzTest.Reader reader, Path... alsoNamed) {
        Path file = dir.resolve(name);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HostileFilesFuzzTest.check(reader, file, bytes.length + "-byte input to " + name, alsoNamed);
    }
}
