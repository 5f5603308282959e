package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.nn.HookHandle;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Keras-layout model files of {@code shared/fixtures} imported and run: every layer's output (in Keras' NHWC
 * layout) must match {@code layers/<name>} of the matching {@code *_expected.h5} within the fixtures README's
 * tolerance, and the predictions on the 2,000 test digits must match wherever the top-2 margin exceeds 1e-4.
 */
class KerasImporterTest {

    @Test
    void functionalKeras224ModelMatchesEveryLayer() throws IOException {
        checkAgainstExpected(KerasImporter.load(Fixtures.fixture("seed_mlp_functional_k224.h5")),
                "seed_mlp_expected.h5");
    }

    @Test
    void sequentialListConfigFromKeras216MatchesEveryLayer() throws IOException {
        checkAgainstExpected(KerasImporter.load(Fixtures.fixture("seed_mlp_sequential_k216.h5")),
                "seed_mlp_expected.h5");
    }

    @Test
    void weightsOnlyFileWithItsJsonConfigMatchesEveryLayer() throws IOException {
        checkAgainstExpected(KerasImporter.load(Fixtures.fixture("seed_mlp_k224_weights.h5"),
                Fixtures.fixture("seed_mlp_k224.json")), "seed_mlp_expected.h5");
    }

    @Test
    void mnistCnnMatchesEveryLayerAndIsChannelsLast() throws IOException {
        Model model = KerasImporter.load(Fixtures.fixture("mnist_cnn_k224.h5"));
        assertEquals(Model.DataFormat.CHANNELS_LAST, model.dataFormat());
        checkAgainstExpected(model, "mnist_cnn_expected.h5");
    }

    @Test
    void weightsOnlyFileWithoutConfigAsksForTheConfig() {
        var e = assertThrows(ModelFileException.class,
                () -> KerasImporter.load(Fixtures.fixture("seed_mlp_k224_weights.h5")));
        assertTrue(e.getMessage().contains("seed_mlp_k224_weights.h5"), e.getMessage());
        assertTrue(e.getMessage().contains("--config"), e.getMessage());
    }

    @Test
    void unsupportedLayerIsNamedWithTheSupportedTypes(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("lstm.json");
        String json = Files.readString(Fixtures.fixture("seed_mlp_k224.json"))
                .replaceFirst("\"class_name\": \"Dense\"", "\"class_name\": \"LSTM\"");
        Files.writeString(config, json);
        var e = assertThrows(ModelFileException.class,
                () -> KerasImporter.load(Fixtures.fixture("seed_mlp_k224_weights.h5"), config));
        assertTrue(e.getMessage().contains("of type LSTM is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("Conv2D"), e.getMessage());
    }

    @Test
    void weightOfTheWrongShapeNamesTheLayerAndParameter(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("wide.json");
        var root = new ObjectMapper().readTree(Files.readString(Fixtures.fixture("seed_mlp_k224.json")));
        String json = root.toString().replaceFirst("\"batch_input_shape\":\\[null,28,28,1\\]",
                "\"batch_input_shape\":[null,28,28,2]");
        Files.writeString(config, json);
        var e = assertThrows(ModelFileException.class,
                () -> KerasImporter.load(Fixtures.fixture("seed_mlp_k224_weights.h5"), config));
        assertTrue(e.getMessage().contains("seed_mlp_k224_weights.h5") || e.getMessage().contains("wide.json"),
                e.getMessage());
    }

    /** Runs the stored input through the model with hooks on every layer and compares each output. */
    static void checkAgainstExpected(Model model, String expectedFile) {
        try (Fixtures expected = Fixtures.open(expectedFile);
                NoGrad ignored = NoGrad.enter()) {
            Map<String, Tensor> outputs = new LinkedHashMap<>();
            List<HookHandle> hooks = new ArrayList<>();
            for (Layer layer : model.layers()) {
                hooks.add(layer.registerForwardHook((l, in, out) -> outputs.put(l.name(),
                        model.toUserLayout(out).copy())));
            }
            Tensor output = model.forward(expected.tensor("input"));
            hooks.forEach(HookHandle::remove);
            List<?> order = parse((String) expected.attribute("/", "layer_order"));
            assertFalse(order.isEmpty());
            for (Object name : order) {
                Tensor actual = outputs.get((String) name);
                assertTrue(actual != null, "no layer output for '" + name + "'; layers: " + outputs.keySet());
                Fixtures.assertClose(expectedFile + " layers/" + name, expected.tensor("layers/" + name), actual);
            }
            Fixtures.assertClose(expectedFile + " output", expected.tensor("output"), output);
            checkPredictions(model, expected);
        }
    }

    private static void checkPredictions(Model model, Fixtures expected) {
        Tensor x = Mnist.test().inputs().permute(0, 2, 3, 1);             // the digits NHWC, as Keras took them
        Tensor probabilities = model.forward(x);
        Tensor reference = expected.tensor("test/probabilities");
        long[] predictions = expected.longs("test/predictions");
        int classes = reference.dim(1);
        int compared = 0;
        for (int n = 0; n < predictions.length; n++) {
            float best = Float.NEGATIVE_INFINITY, second = Float.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int k = 0; k < classes; k++) {
                float r = reference.get(n, k);
                if (r > best) {
                    second = best;
                    best = r;
                } else if (r > second) {
                    second = r;
                }
                if (probabilities.get(n, k) > probabilities.get(n, argmax)) {
                    argmax = k;
                }
            }
            if (best - second > 1e-4) {
                assertEquals(predictions[n], argmax, "prediction for test digit " + n);
                compared++;
            }
        }
        assertTrue(compared > predictions.length * 0.9, "compared only " + compared);
        Fixtures.assertClose("test/probabilities", reference, probabilities);
    }

    private static List<?> parse(String json) {
        try {
            return new ObjectMapper().readValue(json, List.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Found by the fuzzer (ReaderFuzzTest#kerasConfig): an input shape whose one example filled the heap. */
    @Test
    void inputShapesMustBeIntegersAndAnExampleAtMost16MillionValues(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path weights = KerasH5pyFilesTest.resource("keras2_chunked.h5");
        String config = Files.readString(Path.of(getClass().getResource(
                "ReaderFuzzTestInputs/kerasConfig/keras2_chunked.json").toURI()));
        Path same = Files.writeString(dir.resolve("same.json"), config);
        KerasImporter.load(weights, same);                              // the file's own architecture loads
        Path huge = Files.writeString(dir.resolve("huge.json"),
                config.replace("[null, 4]", "[null, 65536, 65536, 3]"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> KerasImporter.load(weights, huge));
        assertTrue(e.getMessage().contains("huge.json") && e.getMessage().contains("more than 16777216 values"),
                e.getMessage());
        Path text = Files.writeString(dir.resolve("text.json"), config.replace("[null, 4]", "[null, \"4\"]"));
        ModelFileException f = assertThrows(ModelFileException.class, () -> KerasImporter.load(weights, text));
        assertTrue(f.getMessage().contains("text.json") && f.getMessage().contains("must be integers"),
                f.getMessage());
    }

    /**
     * A weights file with a separate architecture: what is wrong with the architecture names the config file, not
     * the weights file, which holds no architecture.
     */
    @Test
    void errorsNameTheFileThatHoldsTheFault(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path weights = KerasH5pyFilesTest.resource("keras2_chunked.h5");
        String config = Files.readString(Path.of(getClass().getResource(
                "ReaderFuzzTestInputs/kerasConfig/keras2_chunked.json").toURI()));
        Map<String, String> faults = Map.of(
                "activation.json", config.replace("\"tanh\"", "\"swishy\""),
                "unsupported.json", config.replace("\"class_name\": \"Dense\", \"config\": {\"name\": \"out\"",
                        "\"class_name\": \"LSTM\", \"config\": {\"name\": \"out\""),
                "wiring.json", config.replace("[[[\"features\", 0, 0, {}]]]", "[[[\"nowhere\", 0, 0, {}]]]"));
        for (Map.Entry<String, String> fault : faults.entrySet()) {
            assertTrue(!fault.getValue().equals(config), fault.getKey());
            Path file = Files.writeString(dir.resolve(fault.getKey()), fault.getValue());
            ModelFileException e = assertThrows(ModelFileException.class, () -> KerasImporter.load(weights, file));
            assertTrue(e.getMessage().contains(fault.getKey()) && !e.getMessage().contains("keras2_chunked.h5"),
                    e.getMessage());
        }
    }
}
