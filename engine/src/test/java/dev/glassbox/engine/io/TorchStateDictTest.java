package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch state_dicts written by {@code torch.save} (see {@code make_state_dicts.py} beside the files) in the
 * legacy and the zip format, put into the seed architectures and run on the script's input: the output must
 * match PyTorch's within the fixtures README's tolerance.
 */
class TorchStateDictTest {

    @Test
    void legacyFormatMlpReproducesPyTorchsOutput() throws Exception {
        checkOutput("mlp_legacy", "mlp");
    }

    @Test
    void zipFormatDeepClassifierReproducesPyTorchsOutput() throws Exception {
        checkOutput("deep_zip", "deep");
    }

    @Test
    void zipFormatCnnWithSequentialIndicesReproducesPyTorchsOutput() throws Exception {
        checkOutput("cnn_seq_zip", "cnn");
    }

    @Test
    void safetensorsStateDictLoadsLikeThePickledOne(@TempDir Path dir) throws Exception {
        Path converted = dir.resolve("mlp.safetensors");
        SafeTensors.write(converted, TorchStateDict.read(resource("mlp_legacy.pt")), Map.of());
        Model model = StateDicts.load(converted, "mlp");
        try (NoGrad ignored = NoGrad.enter()) {
            Fixtures.assertClose("mlp from safetensors", Npy.read(resource("mlp_legacy_y.npy")),
                    model.forward(Npy.read(resource("mlp_legacy_x.npy"))));
        }
    }

    @Test
    void trainingCheckpointsYieldTheStateDictBesideEpochAndOptimizerState() throws Exception {
        Map<String, Tensor> plain = TorchStateDict.read(resource("tiny_legacy.pt"));
        for (String checkpoint : new String[] {"ckpt_zip.pt", "ckpt_legacy.pt"}) {
            Map<String, Tensor> stateDict = TorchStateDict.read(resource(checkpoint));
            assertTrue(stateDict.keySet().equals(plain.keySet()), checkpoint + ": " + stateDict.keySet());
            for (String key : plain.keySet()) {
                Fixtures.assertExact(checkpoint + " " + key, plain.get(key), stateDict.get(key));
            }
        }
    }

    @Test
    void checkpointWithTwoStateDictsIsRefusedNotChosenFrom() {
        var e = assertThrows(ModelFileException.class, () -> TorchStateDict.read(resource("ckpt_two.pt")));
        assertTrue(e.getMessage().contains("ckpt_two.pt") && e.getMessage().contains("several state_dicts")
                && e.getMessage().contains("[state_dict, model]"), e.getMessage());
    }

    @Test
    void keysAndShapesAreReadAsSaved() throws Exception {
        Map<String, Tensor> stateDict = TorchStateDict.read(resource("cnn_seq_zip.pt"));
        assertArrayEquals(new int[] {20, 1, 5, 5}, stateDict.get("conv1.0.weight").shape());
        assertArrayEquals(new int[] {10, 500}, stateDict.get("fc2.0.weight").shape());
        assertTrue(TorchStateDict.read(resource("mlp_legacy.pt")).containsKey("hidden1.bias"));
    }

    @Test
    void stateDictOfAnotherArchitectureIsRefusedNamingTheKeys() {
        var e = assertThrows(WeightImportException.class,
                () -> StateDicts.load(resource("cnn_seq_zip.pt"), "mlp"));
        assertTrue(e.getMessage().contains("cnn_seq_zip.pt") && e.getMessage().contains("conv1.0.weight"),
                e.getMessage());
    }

    @Test
    void pickleThatCallsAFunctionIsRefusedWithoutRunningIt(@TempDir Path dir) throws IOException {
        // protocol 2: GLOBAL os.system, the argument tuple ('touch pwned',), REDUCE, STOP
        byte[] pickle = bytes("80 02 63 6f 73 0a 73 79 73 74 65 6d 0a 58 0b 00 00 00 74 6f 75 63 68 20 70 77 6e 65 64"
                + " 85 52 2e");
        Path file = dir.resolve("evil.pt");
        Files.write(file, pickle);
        var e = assertThrows(ModelFileException.class, () -> TorchStateDict.read(file));
        assertTrue(e.getMessage().contains("refusing global os.system"), e.getMessage());
        assertTrue(e.getMessage().contains("evil.pt"), e.getMessage());
    }

    @Test
    void stringLongerThanTheFileIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        // protocol 4: BINUNICODE8 declaring 2^40 bytes
        Path file = dir.resolve("huge.pt");
        Files.write(file, bytes("80 04 8d 00 00 00 00 00 01 00 00 61 2e"));
        var e = assertThrows(ModelFileException.class, () -> TorchStateDict.read(file));
        assertTrue(e.getMessage().contains("declares"), e.getMessage());
    }

    private static void checkOutput(String name, String arch) throws Exception {
        Model model = StateDicts.load(resource(name + ".pt"), arch);
        Tensor x = Npy.read(resource(name + "_x.npy"));
        Tensor expected = Npy.read(resource(name + "_y.npy"));
        try (NoGrad ignored = NoGrad.enter()) {
            Fixtures.assertClose(name, expected, model.forward(x));
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchStateDictTest.class.getResource("torch/" + name).toURI());
    }

    private static byte[] bytes(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    /** Found by the coverage-guided fuzzer (ReaderFuzzTest): a float where the legacy magic number stands. */
    @Test
    void aFloatInPlaceOfTheLegacyMagicIsNotACheckpoint(@TempDir Path dir) throws IOException {
        java.nio.ByteBuffer pickle = java.nio.ByteBuffer.allocate(12);
        pickle.put(new byte[] {(byte) 0x80, 2, 'G'}).putDouble(2.4).put((byte) '.');   // protocol 2, BINFLOAT, STOP
        Path file = Files.write(dir.resolve("float.pt"), pickle.array());
        ModelFileException e = assertThrows(ModelFileException.class, () -> TorchStateDict.read(file));
        assertTrue(e.getMessage().contains("float.pt") && e.getMessage().contains("not a PyTorch checkpoint"),
                e.getMessage());
    }
}
