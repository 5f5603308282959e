package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Activation;
import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Flatten;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir Path dir;

    private static Sequential model() {
        return new Sequential("mlp", new Flatten("flat"), new Dense("fc1", 12, 5, "relu"),
                new Activation("act", "leaky_relu", 0.2f), new Dense("fc2", 5, 3, "softmax", false));
    }

    private static Tensor predict(Model m, Tensor x) {
        try (NoGrad ignored = NoGrad.enter()) {
            return m.forward(x);
        }
    }

    @Test
    void saveLoadPredictIsBitwiseIdentical() throws Exception {
        Sequential original = model();
        Tensor x = Tensors.randn(new Random(2), 4, 3, 4);
        Path file = dir.resolve("mlp.safetensors");
        ModelFile.save(original, file);
        assertTrue(Files.exists(dir.resolve("mlp.json")));
        Model loaded = ModelFile.load(file);
        assertEquals(original.layers().size(), loaded.layers().size());
        assertArrayEquals(predict(original, x).data(), predict(loaded, x).data());
        // model_from_json + load_weights gives the same model too.
        Model fromJson = ModelFile.fromJson(dir.resolve("mlp.json"));
        ModelFile.loadWeights(fromJson, file);
        assertArrayEquals(predict(original, x).data(), predict(fromJson, x).data());
    }

    /** Found by the coverage-guided fuzzer (ReaderFuzzTest): a decoder error saying only "Input length = 1", an NPE. */
    @Test
    void anArchitectureThatIsNotUtf8IsAFileError() throws Exception {
        Path file = Files.write(dir.resolve("arch.json"), new byte[] {'{', (byte) 0xff, '}'});
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.fromJson(file));
        assertTrue(e.getMessage().contains("arch.json") && e.getMessage().contains("UTF-8"), e.getMessage());
        // the JSON text null parses, into no object at all (a NullPointerException before)
        Path nothing = Files.writeString(dir.resolve("null.json"), "null");
        ModelFileException f = assertThrows(ModelFileException.class, () -> ModelFile.fromJson(nothing));
        assertTrue(f.getMessage().contains("null.json") && f.getMessage().contains("not a JSON object"),
                f.getMessage());
    }

    /** Found by the fuzzer: one stride where two are read threw ArrayIndexOutOfBounds; 1.5 was read as 1. */
    @Test
    void layerConfigsWithTooFewIntegersOrFractionsAreFileErrors() {
        String conv = "{\"format\": \"glassbox\", \"version\": 1, \"class_name\": \"Sequential\", \"layers\": ["
                + "{\"class_name\": \"Conv2D\", \"name\": \"conv1\", \"config\": {\"in_channels\": 1, \"filters\": 2,"
                + " \"kernel_size\": [3, 3], \"strides\": %s, \"padding\": \"valid\", \"dilation_rate\": [1, 1],"
                + " \"groups\": 1}}]}";
        assertEquals(1, ModelFile.fromJson(String.format(conv, "[1, 1]"), dir.resolve("ok.json")).layers().size());
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFile.fromJson(String.format(conv, "[1]"), dir.resolve("one.json")));
        assertTrue(e.getMessage().contains("one.json") && e.getMessage().contains("'strides' must hold 2 integers"),
                e.getMessage());
        ModelFileException f = assertThrows(ModelFileException.class,
                () -> ModelFile.fromJson(String.format(conv, "[1.5, 1]"), dir.resolve("half.json")));
        assertTrue(f.getMessage().contains("half.json") && f.getMessage().contains("must be an integer"),
                f.getMessage());
    }

    /** Any other name could not be loaded again, and NAME.json would overwrite the weights of NAME.json. */
    @Test
    void saveWantsASafetensorsName() throws Exception {
        for (String name : new String[] {"m.json", "m.gbx", "m"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(model(), dir.resolve(name)));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains(".safetensors"), e.getMessage());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());                     // nothing written
        }
        ModelFile.save(model(), dir.resolve("M.SafeTensors"));
        assertTrue(Files.exists(dir.resolve("M.json")));
    }

    @Test
    void safetensorsRoundTripKeepsNamesShapesAndMetadata() throws Exception {
        Path file = dir.resolve("t.safetensors");
        Tensor a = Tensors.arange(6).reshape(2, 3);
        SafeTensors.write(file, Map.of("a", a), Map.of("k", "v"));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("a").shape());
        assertArrayEquals(a.data(), c.tensors().get("a").data());
        assertEquals("v", c.metadata().get("k"));
        assertEquals(0, (Files.size(file) - 8 - 24) % 8);
    }

    @Test
    void aTruncatedFileNamesTheFileAndTheTensor() throws Exception {
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(model(), file);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(cut));
        assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("fc2.kernel"),
                e.getMessage());
        Files.write(cut, Arrays.copyOf(bytes, 5));
        assertThrows(ModelFileException.class, () -> ModelFile.load(cut));
    }

    @Test
    void aMismatchedModelNamesTheTensorAndBothShapes() throws Exception {
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(model(), file);
        Sequential other = new Sequential("mlp", new Flatten("flat"), new Dense("fc1", 12, 6, "relu"),
                new Activation("act", "relu"), new Dense("fc2", 6, 3, "softmax", false));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadWeights(other, file));
        assertTrue(e.getMessage().contains("fc1.kernel") && e.getMessage().contains("[12, 6]")
                && e.getMessage().contains("[12, 5]"), e.getMessage());
    }

    @Test
    void anUnknownLayerTypeIsReported() {
        String json = "{\"format\":\"glassbox\",\"class_name\":\"Sequential\",\"layers\":[{\"class_name\":\"LSTM\","
                + "\"name\":\"lstm_1\",\"config\":{}}]}";
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFile.fromJson(json, Path.of("x.json")));
        assertTrue(e.getMessage().contains("lstm_1") && e.getMessage().contains("LSTM"), e.getMessage());
    }
}
