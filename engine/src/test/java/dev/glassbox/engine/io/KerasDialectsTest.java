package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config dialects the fixture files do not cover: a Keras 3 functional graph (inbound nodes as
 * {@code args}/{@code kwargs} with {@code keras_history}, a bare-triple {@code input_layers}, Add and Concatenate,
 * Embedding), and a Keras 1 Theano model (bare-list Sequential, {@code Convolution2D} with {@code nb_filter},
 * {@code nb_row}, {@code border_mode}, {@code subsample}, {@code dim_ordering: th}, weights named
 * {@code <layer>_W:0}, kernels flipped because Theano convolves).
 */
class KerasDialectsTest {
    @TempDir Path dir;

    private static String tensor(String layer) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 3], \"dtype\": \"float32\","
                + " \"keras_history\": [\"" + layer + "\", 0, 0]}}";
    }

    @Test
    void keras3FunctionalGraphWithMergesAndAnEmbedding() throws IOException {
        String config = "{\"module\": \"keras\", \"class_name\": \"Functional\", \"config\": {\"name\": \"g\","
                + " \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"name\": \"tokens\", \"config\": {\"name\": \"tokens\","
                + "  \"batch_shape\": [null, 2], \"dtype\": \"int32\"}, \"inbound_nodes\": []},"
                + "{\"class_name\": \"Embedding\", \"name\": \"emb\", \"config\": {\"name\": \"emb\", \"input_dim\": 4,"
                + "  \"output_dim\": 3, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\","
                + "  \"config\": {\"name\": \"float32\"}}}, \"inbound_nodes\": [{\"args\": [" + tensor("tokens")
                + "], \"kwargs\": {}}]},"
                + "{\"class_name\": \"Flatten\", \"name\": \"flat\", \"config\": {\"name\": \"flat\"},"
                + "  \"inbound_nodes\": [{\"args\": [" + tensor("emb") + "], \"kwargs\": {}}]},"
                + "{\"class_name\": \"Dense\", \"name\": \"a\", \"config\": {\"name\": \"a\", \"units\": 3,"
                + "  \"activation\": \"relu\", \"use_bias\": true}, \"inbound_nodes\": [{\"args\": ["
                + tensor("flat") + "], \"kwargs\": {}}]},"
                + "{\"class_name\": \"Add\", \"name\": \"sum\", \"config\": {\"name\": \"sum\"},"
                + "  \"inbound_nodes\": [{\"args\": [[" + tensor("a") + ", " + tensor("a") + "]], \"kwargs\": {}}]},"
                + "{\"class_name\": \"Concatenate\", \"name\": \"cat\", \"config\": {\"name\": \"cat\", \"axis\": -1},"
                + "  \"inbound_nodes\": [{\"args\": [[" + tensor("sum") + ", " + tensor("a") + "]],"
                + "  \"kwargs\": {}}]}],"
                + " \"input_layers\": [\"tokens\", 0, 0], \"output_layers\": [[\"cat\", 0, 0]]}}";
        float[][] table = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10, 11}};
        float[][] kernel = new float[6][3];
        kernel[0][0] = 1;                                    // a[0] = relu(emb[t0][0] - 1)
        kernel[4][1] = -1;                                   // a[1] = relu(-emb[t1][1] - 1)
        kernel[5][2] = 0.5f;                                 // a[2] = relu(emb[t1][2] / 2 - 1)
        Path file = dir.resolve("g.h5");
        new KerasTestFiles().layer("tokens", Map.of())
                .layer("emb", Map.of("embeddings", table))
                .layer("flat", Map.of())
                .layer("a", ordered("kernel", kernel, "bias", new float[] {-1, -1, -1}))
                .layer("sum", Map.of()).layer("cat", Map.of())
                .write(file, config);
        Model model = KerasImporter.load(file);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor y = model.forward(new Tensor(new float[] {2, 3}, 1, 2));
            // tokens (2, 3): emb rows [6, 7, 8] and [9, 10, 11]; a = relu([6 - 1, -10 - 1, 5.5 - 1]) = [5, 0, 4.5]
            // sum = a + a = [10, 0, 9]; cat = [sum, a]
            Fixtures.assertClose("cat", new Tensor(new float[] {10, 0, 9, 5, 0, 4.5f}, 1, 6), y);
        }
    }

    @Test
    void keras1TheanoConvolutionIsFlippedAndChannelsFirst() throws IOException {
        String config = "{\"class_name\": \"Sequential\", \"config\": ["
                + "{\"class_name\": \"Convolution2D\", \"config\": {\"name\": \"conv\", \"nb_filter\": 1,"
                + " \"nb_row\": 2, \"nb_col\": 2, \"border_mode\": \"valid\", \"subsample\": [1, 1],"
                + " \"dim_ordering\": \"th\", \"bias\": true, \"activation\": \"linear\", \"init\": \"glorot_uniform\","
                + " \"batch_input_shape\": [null, 1, 2, 3]}},"
                + "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"fc\", \"output_dim\": 1, \"init\": \"zero\","
                + " \"activation\": \"linear\"}}]}";
        Path file = dir.resolve("k1.h5");
        float[][][][] w = {{{{1, 2}, {3, 4}}}};             // [out, in, kh, kw], a Theano convolution kernel
        new KerasTestFiles().layer("conv", ordered("conv_W", w, "conv_b", new float[] {0.5f}))
                .layer("flat", Map.of())
                .layer("fc", ordered("fc_W", new float[][] {{1}, {10}}, "fc_b", new float[] {0}))
                .writeKeras1(file, config);
        Model model = KerasImporter.load(file);
        assertEquals(Model.DataFormat.CHANNELS_FIRST, model.dataFormat());
        try (NoGrad ignored = NoGrad.enter()) {
            // x = [[1, 2, 3], [4, 5, 6]]; a convolution flips the kernel to [[4, 3], [2, 1]]:
            // y0 = 4·1 + 3·2 + 2·4 + 1·5 + 0.5 = 23.5, y1 = 4·2 + 3·3 + 2·5 + 1·6 + 0.5 = 33.5; fc = y0 + 10·y1
            Tensor y = model.forward(new Tensor(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3));
            Fixtures.assertClose("fc", new Tensor(new float[] {23.5f + 335}, 1, 1), y);
        }
    }

    @Test
    void nestedSequentialModelIsInlinedWithItsWeightsFoundByName() throws IOException {
        Path file = dir.resolve("nested.h5");
        writeNestedModel(file);
        Model model = KerasImporter.load(file);
        assertTrue(model.layers().stream().anyMatch(l -> l.name().equals("base.bn")), model.layers().toString());
        try (NoGrad ignored = NoGrad.enter()) {
            // x = [3, 1]: d = relu([3, 2]) = [3, 2]; bn = [(3 - 1)/2 · 1 + 0, (2 - 0)/1 · 3 + 1] = [1, 7]; head = 8
            Fixtures.assertClose("head", new Tensor(new float[] {8}, 1, 1),
                    model.forward(new Tensor(new float[] {3, 1}, 1, 2)));
        }
    }

    /** A Keras 2 functional model around a nested Sequential (Dense, BatchNormalization), with a Dense head. */
    static void writeNestedModel(Path file) {
        String config = "{\"class_name\": \"Model\", \"config\": {\"name\": \"outer\", \"layers\": ["
                + "{\"name\": \"img\", \"class_name\": \"InputLayer\", \"config\": {\"name\": \"img\","
                + " \"batch_input_shape\": [null, 2]}, \"inbound_nodes\": []},"
                + "{\"name\": \"base\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"base\", \"layers\": ["
                + "  {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2, \"activation\": \"relu\","
                + "   \"batch_input_shape\": [null, 2]}},"
                + "  {\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", \"axis\": [1],"
                + "   \"epsilon\": 0.0}}]},"
                + " \"inbound_nodes\": [[[\"img\", 0, 0, {}]]]},"
                + "{\"name\": \"head\", \"class_name\": \"Dense\", \"config\": {\"name\": \"head\", \"units\": 1},"
                + " \"inbound_nodes\": [[[\"base\", 0, 0, {}]]]}],"
                + " \"input_layers\": [[\"img\", 0, 0]], \"output_layers\": [[\"head\", 0, 0]]}}";
        // the nested model's weights sit in the outer group "base", trainable ones first and the moving statistics
        // last, so only their names can place them
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("d/kernel", new float[][] {{1, 0}, {0, 2}});
        base.put("d/bias", new float[] {0, 0});
        base.put("bn/gamma", new float[] {1, 3});
        base.put("bn/beta", new float[] {0, 1});
        base.put("bn/moving_mean", new float[] {1, 0});
        base.put("bn/moving_variance", new float[] {4, 1});
        new KerasTestFiles().layer("img", Map.of()).layer("base", base)
                .layer("head", ordered("kernel", new float[][] {{1}, {1}}, "bias", new float[] {0}))
                .write(file, config);
    }

    @Test
    void layerFromAnotherFileVersionWithoutWeightsIsNamed() throws IOException {
        String config = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2,"
                + " \"batch_input_shape\": [null, 3]}}]}}";
        Path file = dir.resolve("empty.h5");
        new KerasTestFiles().layer("d", Map.of()).write(file, config);
        var e = assertThrows(WeightImportException.class, () -> KerasImporter.load(file));
        assertTrue(e.getMessage().contains("needs a 'kernel' weight"), e.getMessage());
        assertTrue(e.getMessage().contains("empty.h5"), e.getMessage());
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
