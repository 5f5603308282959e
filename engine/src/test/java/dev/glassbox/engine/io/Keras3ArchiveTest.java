package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .keras} archives laid out as Keras 3's {@code saving_lib} writes them: {@code config.json} with
 * {@code module}/{@code registered_name}/{@code build_config} entries, dtype policies as dicts and inbound nodes as
 * {@code args}/{@code kwargs} of {@code __keras_tensor__}s; {@code model.weights.h5} with one group per layer named
 * after the layer's class ({@code layers/dense}, {@code layers/dense_1}), a nested model's layers below the nested
 * model's group, and an empty {@code vars} group for layers without weights. Layer names are chosen to disagree
 * with the group names, so only Keras' own addressing finds the right weights.
 */
class Keras3ArchiveTest {
    @TempDir Path dir;

    private static String tensor(String layer, int width) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, " + width + "],"
                + " \"dtype\": \"float32\", \"keras_history\": [\"" + layer + "\", 0, 0]}}";
    }

    private static String dense(String name, int units, String activation, boolean bias) {
        return "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"" + name + "\","
                + " \"trainable\": true, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\","
                + " \"config\": {\"name\": \"float32\"}, \"registered_name\": null}, \"units\": " + units + ","
                + " \"activation\": \"" + activation + "\", \"use_bias\": " + bias + ", \"kernel_initializer\":"
                + " {\"module\": \"keras.initializers\", \"class_name\": \"GlorotUniform\", \"config\": {\"seed\":"
                + " null}, \"registered_name\": null}, \"kernel_regularizer\": null}, \"registered_name\": null,"
                + " \"build_config\": {\"input_shape\": [null, 3]}";
    }

    /** features → encoder (Sequential: Dense 'dense_1' relu, Dense 'dense' without bias) → Dense 'head'. */
    private static final String NESTED = "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\","
            + " \"config\": {\"name\": \"classifier\", \"trainable\": true, \"layers\": ["
            + "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 3],"
            + " \"dtype\": \"float32\", \"sparse\": false, \"name\": \"features\"}, \"registered_name\": null,"
            + " \"name\": \"features\", \"inbound_nodes\": []},"
            + "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"encoder\","
            + " \"trainable\": true, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\":"
            + " {\"name\": \"float32\"}, \"registered_name\": null}, \"layers\": ["
            + "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 3],"
            + " \"dtype\": \"float32\", \"sparse\": false, \"name\": \"input_layer\"}, \"registered_name\": null}, "
            + dense("dense_1", 2, "relu", true) + "}, " + dense("dense", 2, "linear", false) + "}],"
            + " \"build_input_shape\": [null, 3]}, \"registered_name\": null, \"build_config\": {\"input_shape\":"
            + " [null, 3]}, \"name\": \"encoder\", \"inbound_nodes\": [{\"args\": [" + tensor("features", 3) + "],"
            + " \"kwargs\": {\"training\": false}}]}, "
            + dense("head", 1, "linear", true) + ", \"name\": \"head\", \"inbound_nodes\": [{\"args\": ["
            + tensor("encoder", 2) + "], \"kwargs\": {}}]}],"
            + " \"input_layers\": [[\"features\", 0, 0]], \"output_layers\": [[\"head\", 0, 0]]},"
            + " \"registered_name\": \"Functional\", \"build_config\": {\"input_shape\": null},"
            + " \"compile_config\": {\"optimizer\": \"adam\", \"loss\": \"mse\"}}";

    /** Writes the archive of {@link #NESTED} (names recorded) to {@code file}. */
    static Path writeNested(Path file) throws IOException {
        return nestedWeights(true).writeKeras3(file, NESTED);
    }

    /** The archive of {@link #NESTED}, its groups as Keras 3 names them; names recorded when {@code record}. */
    private static KerasTestFiles nestedWeights(boolean record) {
        KerasTestFiles files = new KerasTestFiles()
                .layer("layers/input_layer", Map.of())
                .layer("layers/sequential", Map.of())
                .layer("layers/sequential/layers/dense", ordered(
                        new float[][] {{1, 0}, {0, 1}, {1, 1}}, new float[] {0, -1}))
                .layer("layers/sequential/layers/dense_1", ordered(new float[][] {{1, 2}, {3, -1}}))
                .layer("layers/dense", ordered(new float[][] {{0.5f}, {1}}, new float[] {1}));
        if (record) {
            files.recordName("layers/sequential/layers/dense", "dense_1")
                    .recordName("layers/sequential/layers/dense_1", "dense")
                    .recordName("layers/dense", "head");
        }
        return files;
    }

    /**
     * A config.json with a byte that is not UTF-8 inside the model's name (otherwise valid JSON): decoded leniently,
     * the byte became a replacement character and the model loaded under a name the file does not hold.
     */
    @Test
    void configThatIsNotUtf8IsRefusedByName() throws IOException {
        Path good = writeNested(dir.resolve("good.keras"));
        Path bad = dir.resolve("latin1.keras");
        try (ZipFile in = new ZipFile(good.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bad))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("config.json")) {
                    String json = new String(bytes, StandardCharsets.UTF_8);
                    int at = json.indexOf("\"classifier\"") + 1;
                    bytes[json.substring(0, at).getBytes(StandardCharsets.UTF_8).length] = (byte) 0xE9;  // é in Latin-1
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        var e = assertThrows(ModelFileException.class, () -> KerasImporter.load(bad));
        assertTrue(e.getMessage().contains("latin1.keras") && e.getMessage().contains("config.json is not UTF-8"),
                e.getMessage());
    }

    @Test
    void nestedSequentialWeightsAreFoundByClassAndPlaceNotByName() throws IOException {
        for (boolean record : new boolean[] {false, true}) {
            Path archive = nestedWeights(record).writeKeras3(dir.resolve("nested" + record + ".keras"), NESTED);
            Model model = KerasImporter.load(archive);
            assertTrue(model.layers().stream().anyMatch(l -> l.name().equals("encoder.dense")),
                    model.layers().toString());
            try (NoGrad ignored = NoGrad.enter()) {
                // x = [1, 2, 3]: encoder.dense_1 = relu([1 + 3, 2 + 3 - 1]) = [4, 4];
                // encoder.dense = [4 + 3·4, 2·4 - 4] = [16, 4]; head = 0.5·16 + 4 + 1 = 13
                Fixtures.assertClose("head", new Tensor(new float[] {13}, 1, 1),
                        model.forward(new Tensor(new float[] {1, 2, 3}, 1, 3)));
            }
        }
    }

    @Test
    void keras3WeightsFileWithItsJsonConfigLoadsLikeTheArchive() throws IOException {
        Path weights = nestedWeights(false).writeKeras3Weights(dir.resolve("classifier.weights.h5"));
        Path config = Files.writeString(dir.resolve("classifier.json"), NESTED);
        Model model = KerasImporter.load(weights, config);
        try (NoGrad ignored = NoGrad.enter()) {
            Fixtures.assertClose("head", new Tensor(new float[] {13}, 1, 1),
                    model.forward(new Tensor(new float[] {1, 2, 3}, 1, 3)));
        }
    }

    @Test
    void tfKeras213CheckpointDependencyGroupsAreRead() throws IOException {
        String config = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"s\","
                + " \"layers\": [{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\":"
                + " {\"batch_input_shape\": [null, 3], \"dtype\": \"float32\", \"name\": \"in\"}}, "
                + dense("dense_1", 2, "relu", true) + "}, " + dense("dense", 2, "linear", false) + "}]}}";
        KerasTestFiles files = new KerasTestFiles()
                .layer("_layer_checkpoint_dependencies/dense", ordered(
                        new float[][] {{1, 0}, {0, 1}, {1, 1}}, new float[] {0, -1}))
                .layer("_layer_checkpoint_dependencies/dense_1", ordered(new float[][] {{1, 2}, {3, -1}}));
        Model model = KerasImporter.load(files.writeKeras3(dir.resolve("tfk213.keras"), config));
        try (NoGrad ignored = NoGrad.enter()) {
            Fixtures.assertClose("dense", new Tensor(new float[] {16, 4}, 1, 2),
                    model.forward(new Tensor(new float[] {1, 2, 3}, 1, 3)));
        }
    }

    @Test
    void groupRecordedForAnotherLayerIsRefusedWithBothNames() throws IOException {
        Path archive = nestedWeights(true).recordName("layers/dense", "dense_7")
                .writeKeras3(dir.resolve("renamed.keras"), NESTED);
        var e = assertThrows(WeightImportException.class, () -> KerasImporter.load(archive));
        assertTrue(e.getMessage().contains("renamed.keras") && e.getMessage().contains("'dense_7'")
                && e.getMessage().contains("'head'") && e.getMessage().contains("/layers/dense/vars"), e.getMessage());
    }

    @Test
    void extraVariableInALayerGroupIsRefusedNotIgnored() throws IOException {
        KerasTestFiles files = nestedWeights(false);
        files.weights("layers/dense").put("scale", new float[] {2});
        Path archive = files.writeKeras3(dir.resolve("quantized.keras"), NESTED);
        var e = assertThrows(WeightImportException.class, () -> KerasImporter.load(archive));
        assertTrue(e.getMessage().contains("holds 3 variables") && e.getMessage().contains("'head'")
                && e.getMessage().contains("[kernel, bias]"), e.getMessage());
    }

    @Test
    void missingLayerGroupNamesThePathKerasWouldUse() throws IOException {
        KerasTestFiles files = new KerasTestFiles().layer("layers/dense", nestedWeights(false)
                .weights("layers/dense"));
        Path archive = files.writeKeras3(dir.resolve("flat.keras"), NESTED);
        var e = assertThrows(WeightImportException.class, () -> KerasImporter.load(archive));
        assertTrue(e.getMessage().contains("layers/sequential/layers/dense/vars")
                && e.getMessage().contains("'dense_1'"), e.getMessage());
    }

    @Test
    void callWithoutAnInputTensorIsRefusedNamingTheLayer() throws IOException {
        // found by the mutation fuzz test: a nested model's call whose argument is no longer a keras tensor
        String broken = NESTED.replace("\"args\": [" + tensor("features", 3) + "]", "\"args\": [null]");
        Path archive = nestedWeights(false).writeKeras3(dir.resolve("no_input.keras"), broken);
        var e = assertThrows(ModelFileException.class, () -> KerasImporter.load(archive));
        assertTrue(e.getMessage().contains("no_input.keras")
                && e.getMessage().contains("call 0 of layer 'encoder' takes no input tensor"), e.getMessage());
    }

    @Test
    void snakeCaseFollowsKeras() {
        Map<String, String> expected = Map.of("Conv2DTranspose", "conv2d_transpose", "ReLU", "re_lu",
                "LeakyReLU", "leaky_re_lu", "BatchNormalization", "batch_normalization",
                "DepthwiseConv2D", "depthwise_conv2d", "GlobalAveragePooling2D", "global_average_pooling2d",
                "Dense", "dense", "ZeroPadding2D", "zero_padding2d", "InputLayer", "input_layer");
        expected.forEach((cls, snake) -> org.junit.jupiter.api.Assertions.assertEquals(snake,
                KerasWeights.snakeCase(cls), cls));
    }

    /** Variables in creation order (a kernel alone is one variable, not a list of rows). */
    private static Map<String, Object> ordered(Object first, Object... rest) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("v0", first);
        for (int i = 0; i < rest.length; i++) {
            map.put("v" + (i + 1), rest[i]);
        }
        return map;
    }
}
