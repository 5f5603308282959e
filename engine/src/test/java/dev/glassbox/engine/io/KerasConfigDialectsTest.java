package dev.glassbox.engine.io;

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
 * Model configs in the shapes public repositories hold, beyond what the fixtures cover. The configs are written
 * here, trimmed to the keys that matter, after the dialects found in real files:
 * <ul>
 * <li>tf.keras 2.x functional configs whose shapes and tuples are objects
 *     ({@code {"class_name": "TensorShape", "items": [...]}}, {@code {"class_name": "__tuple__", ...}}) and whose
 *     layer configs carry {@code "name": null} beside the layer's own {@code name} (tf.keras SavedModel metadata,
 *     e.g. {@code trained_model/keras_metadata.pb} of ChengEn-Tsai/NeuralNetworkTrainer and
 *     {@code cnn/keras_metadata.pb} of wasd52030/fsCNN on GitHub);</li>
 * <li>Sequential models built without an input layer, whose shape Keras kept as {@code build_input_shape}
 *     (Keras 2) or the first layer's {@code build_config} (Keras 3); Keras 3 activations serialised as
 *     {@code {"class_name": "function", "config": "relu"}};</li>
 * <li>layers Glassbox does not run, each refused before any weight is read with
 *     {@code layer 'x' of type T is not supported}: Keras 2.0 {@code Merge} inside a bare-list Sequential, LSTM
 *     and Embedding text models saved with {@code to_json()}, TimeDistributed and Bidirectional wrappers, and
 *     tf.keras {@code TFOpLambda} operator layers.</li>
 * </ul>
 */
class KerasConfigDialectsTest {
    @TempDir Path dir;

    /** tf.keras Functional 3 → Dense 2 relu → Dense 1, shapes as TensorShape objects, layer config names null. */
    private static final String TENSOR_SHAPES = """
            {"class_name": "Functional", "config": {"name": "model", "layers": [
             {"name": "input_1", "class_name": "InputLayer", "config": {"sparse": false, "ragged": false,
              "name": "input_1", "dtype": "float32",
              "batch_input_shape": {"class_name": "TensorShape", "items": [null, 3]}}, "inbound_nodes": []},
             {"name": "dense", "class_name": "Dense", "config": {"units": 2, "activation": "relu", "use_bias": true,
              "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "name": null,
              "dtype": "float32", "trainable": true}, "inbound_nodes": [["input_1", 0, 0]]},
             {"name": "dense_1", "class_name": "Dense", "config": {"units": 1, "activation": "linear",
              "use_bias": true, "name": null, "dtype": "float32", "trainable": true},
              "inbound_nodes": [["dense", 0, 0]]}],
             "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_1", 0, 0]]},
             "shared_object_id": 1, "build_input_shape": {"class_name": "TensorShape", "items": [null, 3]}}""";

    @Test
    void tensorShapeObjectsAndNullConfigNamesLoad() throws IOException {
        Path file = dir.resolve("tensor_shapes.h5");
        new KerasTestFiles().layer("input_1", Map.of())
                .layer("dense", ordered("kernel", new float[][] {{1, 0}, {0, 1}, {1, -1}}, "bias", new float[] {0, 1}))
                .layer("dense_1", ordered("kernel", new float[][] {{2}, {-1}}, "bias", new float[] {0.5f}))
                .write(file, TENSOR_SHAPES);
        Model model = KerasImporter.load(file);
        try (NoGrad ignored = NoGrad.enter()) {
            // x = [1, 2, 3]: dense = relu([1 + 3, 2 - 3 + 1]) = [4, 0]; dense_1 = 8 + 0.5
            Fixtures.assertClose("dense_1", new Tensor(new float[] {8.5f}, 1, 1),
                    model.forward(new Tensor(new float[] {1, 2, 3}, 1, 3)));
        }
    }

    @Test
    void tupleObjectsForKernelSizeAndStridesLoad() throws IOException {
        String config = """
                {"class_name": "Sequential", "config": {"name": "cnn", "layers": [
                 {"class_name": "InputLayer", "config": {"name": "img",
                  "batch_input_shape": {"class_name": "TensorShape", "items": [null, 3, 3, 1]}}},
                 {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 1,
                  "kernel_size": {"class_name": "__tuple__", "items": [2, 2]},
                  "strides": {"class_name": "__tuple__", "items": [1, 1]}, "padding": "valid",
                  "data_format": "channels_last", "dilation_rate": {"class_name": "__tuple__", "items": [1, 1]},
                  "groups": 1, "activation": "linear", "use_bias": true}},
                 {"class_name": "Flatten", "config": {"name": "flatten"}}]}}""";
        Path file = dir.resolve("tuples.h5");
        float[][][][] kernel = {{{{1}}, {{2}}}, {{{3}}, {{4}}}};     // [kh, kw, in, out]
        new KerasTestFiles().layer("img", Map.of())
                .layer("conv2d", ordered("kernel", kernel, "bias", new float[] {-1}))
                .layer("flatten", Map.of())
                .write(file, config);
        Model model = KerasImporter.load(file);
        try (NoGrad ignored = NoGrad.enter()) {
            // x rows [1 2 3] [4 5 6] [7 8 9]; out(i, j) = x(i,j) + 2x(i,j+1) + 3x(i+1,j) + 4x(i+1,j+1) - 1
            Tensor y = model.forward(new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1));
            Fixtures.assertClose("flatten", new Tensor(new float[] {36, 46, 66, 76}, 1, 4), y);
        }
    }

    @Test
    void sequentialWithoutAnInputLayerTakesItsBuildShape() throws IOException {
        String keras2 = """
                {"class_name": "Sequential", "config": {"name": "s", "layers": [
                 {"class_name": "Dense", "config": {"name": "d", "units": 1, "activation": "linear"}}],
                 "build_input_shape": [null, 2]}}""";
        String keras3 = """
                {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
                 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 1,
                  "activation": {"module": "keras.activations", "class_name": "function", "config": "relu",
                  "registered_name": "function"}},
                  "registered_name": null, "build_config": {"input_shape": [null, 2]}}]}}""";
        int i = 0;
        for (String config : new String[] {keras2, keras3}) {
            Path file = dir.resolve("built" + i + ".h5");
            new KerasTestFiles().layer("d", ordered("kernel", new float[][] {{1}, {-2}}, "bias", new float[] {3}))
                    .write(file, config);
            try (NoGrad ignored = NoGrad.enter()) {
                // x = [1, 2] then [-1, -2]: keras2 (linear) 1 - 4 + 3 = 0; keras3 (relu) relu(-1 + 4 + 3) = 6
                Tensor x = new Tensor(i == 0 ? new float[] {1, 2} : new float[] {-1, -2}, 1, 2);
                Fixtures.assertClose("d", new Tensor(new float[] {i == 0 ? 0 : 6}, 1, 1),
                        KerasImporter.load(file).forward(x));
            }
            i++;
        }
    }

    @Test
    void layersGlassboxDoesNotRunAreRefusedBeforeAnyWeightIsRead() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("merge_2", """
                {"keras_version": "2.0.6", "class_name": "Sequential", "config": [
                 {"class_name": "Merge", "config": {"name": "merge_2", "mode": "concat", "concat_axis": -1,
                  "layers": [{"class_name": "Sequential", "config": [{"class_name": "Conv1D", "config":
                  {"name": "conv1d_1", "filters": 8, "kernel_size": [2], "batch_input_shape": [null, 10, 4]}}]}]}},
                 {"class_name": "Dense", "config": {"name": "dense_1", "units": 1}}]}""");
        configs.put("lstm_1", """
                {"class_name": "Sequential", "config": [
                 {"class_name": "LSTM", "config": {"name": "lstm_1", "trainable": true, "batch_input_shape":
                  [null, 1, 8], "dtype": "float32", "return_sequences": false, "units": 4, "activation": "tanh",
                  "recurrent_activation": "hard_sigmoid"}},
                 {"class_name": "Dense", "config": {"name": "dense_1", "units": 1}}]}""");
        configs.put("time_distributed", """
                {"class_name": "Functional", "config": {"name": "m", "layers": [
                 {"name": "in", "class_name": "InputLayer", "config": {"name": "in",
                  "batch_input_shape": [null, 5, 3]}, "inbound_nodes": []},
                 {"name": "time_distributed", "class_name": "TimeDistributed", "config": {"name": "time_distributed",
                  "layer": {"class_name": "Dense", "config": {"name": "dense", "units": 2}}},
                  "inbound_nodes": [[["in", 0, 0, {}]]]}],
                 "input_layers": [["in", 0, 0]], "output_layers": [["time_distributed", 0, 0]]}}""");
        configs.put("bidirectional", """
                {"class_name": "Sequential", "config": {"name": "s", "layers": [
                 {"class_name": "Embedding", "config": {"name": "embedding", "input_dim": 100, "output_dim": 8,
                  "batch_input_shape": [null, 20]}},
                 {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "concat",
                  "layer": {"class_name": "GRU", "config": {"name": "gru", "units": 4}}}}]}}""");
        configs.put("tf.__operators__.add", """
                {"class_name": "Functional", "config": {"name": "m", "layers": [
                 {"name": "in", "class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 3]},
                  "inbound_nodes": []},
                 {"name": "tf.__operators__.add", "class_name": "TFOpLambda", "config": {"name":
                  "tf.__operators__.add", "function": "__operators__.add"},
                  "inbound_nodes": [["in", 0, 0, {"y": 1.0, "name": null}]]}],
                 "input_layers": [["in", 0, 0]], "output_layers": [["tf.__operators__.add", 0, 0]]}}""");
        Map<String, String> types = Map.of("merge_2", "Merge", "lstm_1", "LSTM", "time_distributed",
                "TimeDistributed", "bidirectional", "Bidirectional", "tf.__operators__.add", "TFOpLambda");
        for (Map.Entry<String, String> c : configs.entrySet()) {
            Path source = dir.resolve(c.getKey() + ".json");
            KerasConfig config = KerasConfig.parse(c.getValue(), source);
            var e = assertThrows(ModelFileException.class, () -> KerasImporter.build(config, k -> {
                throw new AssertionError("weights read before the unsupported layer was refused");
            }, false, source));
            String expected = "layer '" + c.getKey() + "' of type " + types.get(c.getKey()) + " is not supported";
            assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("supported types: InputLayer")
                    && e.getMessage().contains(source.getFileName().toString()), e.getMessage());
        }
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    @Test
    void conv2DTransposeWithOutputPaddingOrDilationMatchesPyTorch() throws Exception {
        SafeTensors.Contents cases = SafeTensors.read(Path.of(getClass().getResource(
                "/dev/glassbox/engine/ops/conv_transpose_keras.safetensors").toURI()));
        // case c0: valid, strides 2, output_padding 1; case c4: same, strides 1, dilation_rate 2
        Map<String, String> keras = Map.of("c0", "\"padding\": \"valid\", \"strides\": [2, 2],"
                + " \"output_padding\": [1, 1], \"dilation_rate\": [1, 1]", "c4", "\"padding\": \"same\","
                + " \"strides\": 1, \"output_padding\": null, \"dilation_rate\": [2, 2]");
        for (Map.Entry<String, String> c : keras.entrySet()) {
            Tensor x = cases.tensors().get(c.getKey() + "_x");
            Tensor w = cases.tensors().get(c.getKey() + "_w");
            String config = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"up\", \"layers\": ["
                    + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"img\", \"batch_input_shape\":"
                    + " [null, " + x.dim(2) + ", " + x.dim(3) + ", " + x.dim(1) + "]}},"
                    + "{\"class_name\": \"Conv2DTranspose\", \"config\": {\"name\": \"deconv\", \"filters\": "
                    + w.dim(1) + ", \"kernel_size\": [" + w.dim(2) + ", " + w.dim(3) + "], " + c.getValue()
                    + ", \"activation\": \"linear\", \"use_bias\": true}}]}}";
            Tensor kernel = w.permute(2, 3, 1, 0);          // Keras [kh, kw, filters, in]
            Path file = dir.resolve("deconv_" + c.getKey() + ".h5");
            new KerasTestFiles().layer("img", Map.of())
                    .layer("deconv", ordered("kernel", KerasLayerConversionTest.nested(kernel.data(), kernel.shape()),
                            "bias", cases.tensors().get(c.getKey() + "_b").data()))
                    .write(file, config);
            Model model = KerasImporter.load(file);
            try (NoGrad ignored = NoGrad.enter()) {
                Tensor y = model.forward(x.permute(0, 2, 3, 1));      // NHWC in, NHWC out
                Fixtures.assertClose("deconv " + c.getKey(), cases.tensors().get(c.getKey() + "_y")
                        .permute(0, 2, 3, 1), model.toUserLayout(y));
            }
        }
    }

    @Test
    void rescalingUpSamplingAndCroppingFollowKeras() throws IOException {
        String config = """
                {"class_name": "Sequential", "config": {"name": "decoder", "layers": [
                 {"class_name": "InputLayer", "config": {"name": "img", "batch_input_shape": [null, 2, 2, 2]}},
                 {"class_name": "Rescaling", "config": {"name": "rescaling", "scale": 0.5, "offset": 1.0}},
                 {"class_name": "UpSampling2D", "config": {"name": "up", "size": [2, 1],
                  "data_format": "channels_last", "interpolation": "nearest"}},
                 {"class_name": "Cropping2D", "config": {"name": "crop", "cropping": [[1, 2], [0, 1]]}},
                 {"class_name": "Flatten", "config": {"name": "flat"}}]}}""";
        Path file = dir.resolve("decoder.h5");
        new KerasTestFiles().layer("img", Map.of()).layer("rescaling", Map.of()).layer("up", Map.of())
                .layer("crop", Map.of()).layer("flat", Map.of()).write(file, config);
        Model model = KerasImporter.load(file);
        // NHWC x(h, w, c) = 10h + 2w + c over h, w, c in {0, 1}; rescaled: 5h + w + c/2 + 1; upsampled rows
        // 0,0,1,1 (h = row / 2); cropped to row 1 and column 0: (h 0, w 0) → channels [1, 1.5]
        float[] x = new float[8];
        for (int h = 0; h < 2; h++) {
            for (int w = 0; w < 2; w++) {
                for (int c = 0; c < 2; c++) {
                    x[(h * 2 + w) * 2 + c] = 10 * h + 2 * w + c;
                }
            }
        }
        try (NoGrad ignored = NoGrad.enter()) {
            Fixtures.assertClose("flat", new Tensor(new float[] {1, 1.5f}, 1, 2),
                    model.forward(new Tensor(x, 1, 2, 2, 2)));
        }
        String bilinear = config.replace("\"nearest\"", "\"bilinear\"");
        Path other = dir.resolve("bilinear.h5");
        new KerasTestFiles().layer("img", Map.of()).write(other, bilinear);
        var e = assertThrows(ModelFileException.class, () -> KerasImporter.load(other));
        assertTrue(e.getMessage().contains("layer 'up'") && e.getMessage().contains("'bilinear'"), e.getMessage());
    }

    @Test
    void eluLayerUsesItsAlphaAndKeepdimsPoolingIsRefused() throws IOException {
        String config = """
                {"class_name": "Sequential", "config": {"name": "s", "layers": [
                 {"class_name": "InputLayer", "config": {"name": "x", "batch_input_shape": [null, 2]}},
                 {"class_name": "ELU", "config": {"name": "elu", "alpha": 0.5}}]}}""";
        Path file = dir.resolve("elu.h5");
        new KerasTestFiles().layer("x", Map.of()).layer("elu", Map.of()).write(file, config);
        try (NoGrad ignored = NoGrad.enter()) {
            Fixtures.assertClose("elu", new Tensor(new float[] {(float) (0.5 * (Math.exp(-1) - 1)), 2}, 1, 2),
                    KerasImporter.load(file).forward(new Tensor(new float[] {-1, 2}, 1, 2)));
        }
        String keepdims = """
                {"class_name": "Sequential", "config": {"name": "s", "layers": [
                 {"class_name": "InputLayer", "config": {"name": "x", "batch_input_shape": [null, 4, 4, 3]}},
                 {"class_name": "GlobalAveragePooling2D", "config": {"name": "gap", "keepdims": true}}]}}""";
        Path other = dir.resolve("keepdims.h5");
        new KerasTestFiles().layer("x", Map.of()).write(other, keepdims);
        var e = assertThrows(ModelFileException.class, () -> KerasImporter.load(other));
        assertTrue(e.getMessage().contains("layer 'gap'") && e.getMessage().contains("keepdims"), e.getMessage());
    }

    @Test
    void keras1FunctionalMergeSumAndConcatAreAddAndConcatenate() throws IOException {
        String config = """
                {"class_name": "Model", "config": {"name": "model_1", "layers": [
                 {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 2],
                  "input_dtype": "float32", "sparse": false, "name": "input_1"}, "inbound_nodes": []},
                 {"name": "dense_1", "class_name": "Dense", "config": {"output_dim": 2, "init": "glorot_uniform",
                  "activation": "linear", "bias": true, "input_dim": null, "name": "dense_1"},
                  "inbound_nodes": [[["input_1", 0, 0]]]},
                 {"name": "merge_1", "class_name": "Merge", "config": {"name": "merge_1", "mode": "sum",
                  "concat_axis": -1, "dot_axes": -1, "mode_type": "raw", "output_shape": null,
                  "output_shape_type": "raw", "output_mask": null, "output_mask_type": "raw", "arguments": {}},
                  "inbound_nodes": [[["input_1", 0, 0], ["dense_1", 0, 0]]]},
                 {"name": "merge_2", "class_name": "Merge", "config": {"name": "merge_2", "mode": "concat",
                  "concat_axis": -1, "dot_axes": -1, "mode_type": "raw", "arguments": {}},
                  "inbound_nodes": [[["merge_1", 0, 0], ["dense_1", 0, 0]]]}],
                 "input_layers": [["input_1", 0, 0]], "output_layers": [["merge_2", 0, 0]]}}""";
        Path file = dir.resolve("keras1_merge.h5");
        new KerasTestFiles().layer("input_1", Map.of())
                .layer("dense_1", ordered("dense_1_W", new float[][] {{1, 2}, {3, 4}}, "dense_1_b", new float[] {0, 1}))
                .writeKeras1(file, config);
        try (NoGrad ignored = NoGrad.enter()) {
            // x = [1, -1]: dense_1 = [1 - 3, 2 - 4 + 1] = [-2, -1]; merge_1 = x + dense_1 = [-1, -2];
            // merge_2 = [merge_1, dense_1]
            Fixtures.assertClose("merge_2", new Tensor(new float[] {-1, -2, -2, -1}, 1, 4),
                    KerasImporter.load(file).forward(new Tensor(new float[] {1, -1}, 1, 2)));
        }
        Path mul = dir.resolve("keras1_mul.h5");
        new KerasTestFiles().layer("input_1", Map.of())
                .layer("dense_1", ordered("dense_1_W", new float[][] {{1, 2}, {3, 4}}, "dense_1_b", new float[] {0, 1}))
                .writeKeras1(mul, config.replace("\"mode\": \"sum\"", "\"mode\": \"mul\""));
        var e = assertThrows(ModelFileException.class, () -> KerasImporter.load(mul));
        assertTrue(e.getMessage().contains("layer 'merge_1': Merge mode 'mul' is not supported"), e.getMessage());
    }
}
