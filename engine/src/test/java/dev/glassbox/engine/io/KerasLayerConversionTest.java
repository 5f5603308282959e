package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers beyond the fixture models, each checked against a plain NHWC evaluation written straight from the Keras
 * definitions (kernels in Keras' own layouts, TF 'same' padding), so every kernel conversion and axis mapping of
 * the importer is exercised: Conv2D (stride 2, same), DepthwiseConv2D, SeparableConv2D, Conv2DTranspose,
 * BatchNormalization, ReLU(max_value=6), ZeroPadding2D, Reshape, Flatten, Dense.
 */
class KerasLayerConversionTest {
    static final String CONFIG = """
            {"class_name": "Sequential", "config": {"name": "zoo", "layers": [
             {"class_name": "InputLayer", "config": {"name": "x", "batch_input_shape": [null, 7, 6, 2]}},
             {"class_name": "Conv2D", "config": {"name": "c1", "filters": 3, "kernel_size": [3, 3],
               "strides": [2, 2], "padding": "same", "activation": "relu", "use_bias": true}},
             {"class_name": "DepthwiseConv2D", "config": {"name": "dw", "kernel_size": [3, 3], "strides": [1, 1],
               "padding": "same", "depth_multiplier": 2, "activation": "linear", "use_bias": true}},
             {"class_name": "SeparableConv2D", "config": {"name": "sep", "filters": 4, "kernel_size": [3, 3],
               "strides": [1, 1], "padding": "same", "depth_multiplier": 1, "activation": "linear",
               "use_bias": true}},
             {"class_name": "Conv2DTranspose", "config": {"name": "up", "filters": 2, "kernel_size": [3, 3],
               "strides": [2, 2], "padding": "same", "activation": "linear", "use_bias": true,
               "output_padding": null}},
             {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": -1, "epsilon": 0.001,
               "momentum": 0.99, "center": true, "scale": true}},
             {"class_name": "ReLU", "config": {"name": "relu6", "max_value": 6.0}},
             {"class_name": "ZeroPadding2D", "config": {"name": "zp", "padding": [[1, 0], [0, 2]]}},
             {"class_name": "Reshape", "config": {"name": "r", "target_shape": [18, 4, 2]}},
             {"class_name": "Flatten", "config": {"name": "f"}},
             {"class_name": "Dense", "config": {"name": "out", "units": 3, "activation": "softmax"}}]}}""";

    @TempDir Path dir;
    private final SplittableRandom random = new SplittableRandom(11);

    @Test
    void everyLayerMatchesAPlainNhwcEvaluation() throws IOException {
        Map<String, float[]> w = weights();
        Path file = dir.resolve("zoo.h5");
        files(w).write(file, CONFIG);
        check(KerasImporter.load(file), w);
    }

    /** An architecture whose declared sizes disagree with the weights is refused, naming the weight and the key. */
    @Test
    void sizesTheArchitectureDeclaresMustBeTheWeights() throws IOException {
        Map<String, float[]> w = weights();
        String[][] faults = {
            {"\"c1\", \"filters\": 3", "\"c1\", \"filters\": 4", "c1/kernel", "filters 4"},
            {"\"c1\", \"filters\": 3, \"kernel_size\": [3, 3]", "\"c1\", \"filters\": 3, \"kernel_size\": [5, 3]",
                "c1/kernel", "kernel_size [5,3]"},
            {"\"depth_multiplier\": 2", "\"depth_multiplier\": 3", "dw/depthwise_kernel", "depth_multiplier 3"},
            {"\"sep\", \"filters\": 4", "\"sep\", \"filters\": 5", "sep/pointwise_kernel", "filters 5"},
            {"\"up\", \"filters\": 2", "\"up\", \"filters\": 3", "up/kernel", "filters 3"},
            {"\"units\": 3", "\"units\": 4", "out/kernel", "units 4"},
        };
        for (String[] fault : faults) {
            var e = refusal(WeightImportException.class, w, fault[0], fault[1], fault[2].replace('/', '_') + ".h5");
            assertTrue(e.getMessage().contains(fault[2] + ": the weights give") && e.getMessage().contains(
                    "declares " + fault[3]), e.getMessage());
        }
    }

    /**
     * A config value of the wrong kind is refused by layer and key: strides of 2.5 were read as 2, a use_bias of
     * "true" as the default, a target_shape entry "4" as -1 (the size to infer).
     */
    @Test
    void configValuesOfTheWrongKindAreRefusedNotDefaulted() throws IOException {
        Map<String, float[]> w = weights();
        String[][] faults = {
            {"\"strides\": [2, 2], \"padding\": \"same\", \"activation\": \"relu\"",
                "\"strides\": [2.5, 2], \"padding\": \"same\", \"activation\": \"relu\"", "layer 'c1': strides"},
            {"\"activation\": \"relu\", \"use_bias\": true", "\"activation\": \"relu\", \"use_bias\": \"true\"",
                "layer 'c1': use_bias"},
            {"[[1, 0], [0, 2]]", "[[1, 0.5], [0, 2]]", "layer 'zp': ZeroPadding2D padding"},
            {"[18, 4, 2]", "[18, \"4\", 2]", "layer 'r': target_shape"},
            {"\"epsilon\": 0.001", "\"epsilon\": \"small\"", "layer 'bn': epsilon"},
        };
        for (String[] fault : faults) {
            var e = refusal(ModelFileException.class, w, fault[0], fault[1], "bad.h5");
            assertTrue(e.getMessage().contains("bad.h5") && e.getMessage().contains(fault[2]), e.getMessage());
        }
    }

    /**
     * What loading {@link #CONFIG} with {@code from} replaced by {@code to} (which must change it), written to
     * {@code fileName} with the weights {@code w}, throws; it must be a {@code type}.
     */
    private <T extends ModelFileException> T refusal(Class<T> type, Map<String, float[]> w, String from, String to,
            String fileName) throws IOException {
        String config = CONFIG.replace(from, to);
        assertTrue(!config.equals(CONFIG), from);
        Path file = dir.resolve(fileName);
        files(w).write(file, config);
        return assertThrows(type, () -> KerasImporter.load(file));
    }

    /**
     * A layer whose output for one example cannot fit in the heap (an UpSampling2D of 4096 on an 8 × 8 image:
     * 2³⁰ values, 4 GB, beyond the tests' 4 GB heap) is an error of that layer, not an OutOfMemoryError.
     */
    @Test
    void aProbeBeyondTheHeapIsTheLayersError() throws IOException {
        String config = """
                {"class_name": "Sequential", "config": {"name": "big", "layers": [
                 {"class_name": "InputLayer", "config": {"name": "x", "batch_input_shape": [null, 8, 8, 1]}},
                 {"class_name": "UpSampling2D", "config": {"name": "up", "size": [4096, 4096]}}]}}""";
        assertTrue(Runtime.getRuntime().maxMemory() <= 4L << 30, "the test needs a heap of at most 4 GB");
        Path file = dir.resolve("big.h5");
        new KerasTestFiles().layer("x", Map.of()).layer("up", Map.of()).write(file, config);
        var e = assertThrows(ModelFileException.class, () -> KerasImporter.load(file));
        assertTrue(e.getMessage().contains("big.h5") && e.getMessage().contains("layer 'up'")
                && e.getMessage().contains("does not fit in the heap"), e.getMessage());
    }

    @Test
    void keras3ArchiveWithTheSameLayersGivesTheSameOutputs() throws IOException {
        Map<String, float[]> w = weights();
        check(KerasImporter.load(writeArchive(dir, w)), w);
    }

    /**
     * A Keras 3 {@code .keras} archive of {@link #CONFIG} with the given weights, each layer's variables in the
     * group Keras 3 names after the layer's class.
     */
    static Path writeArchive(Path dir, Map<String, float[]> w) throws IOException {
        KerasTestFiles byName = files(w);
        KerasTestFiles archive = new KerasTestFiles();
        String[][] groups = {{"c1", "conv2d"}, {"dw", "depthwise_conv2d"}, {"sep", "separable_conv2d"},
            {"up", "conv2d_transpose"}, {"bn", "batch_normalization"}, {"relu6", "re_lu"}, {"zp", "zero_padding2d"},
            {"r", "reshape"}, {"f", "flatten"}, {"out", "dense"}};
        for (String[] g : groups) {
            archive.layer("layers/" + g[1], byName.weights(g[0]));
        }
        return archive.writeKeras3(dir.resolve("zoo.keras"), CONFIG.replace("\"class_name\": \"Sequential\"",
                "\"module\": \"keras\", \"class_name\": \"Sequential\"").replace("batch_input_shape", "batch_shape"));
    }

    private void check(Model model, Map<String, float[]> w) {
        Nhwc x = new Nhwc(2, 7, 6, 2, randoms(2 * 7 * 6 * 2, 1));
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (Layer layer : model.layers()) {
            layer.registerForwardHook((l, in, out) -> outputs.put(l.name(), model.toUserLayout(out).copy()));
        }
        try (NoGrad ignored = NoGrad.enter()) {
            model.forward(x.tensor());
        }
        Map<String, Nhwc> expected = new LinkedHashMap<>();
        Nhwc h = x.conv(w.get("c1/kernel"), 3, 3, 3, 2, w.get("c1/bias")).relu(Float.POSITIVE_INFINITY);
        expected.put("c1", h);
        expected.put("dw", h = h.depthwise(w.get("dw/depthwise_kernel"), 3, 3, 2, w.get("dw/bias")));
        h = h.depthwise(w.get("sep/depthwise_kernel"), 3, 3, 1, null);
        expected.put("sep", h = h.conv(w.get("sep/pointwise_kernel"), 1, 1, 4, 1, w.get("sep/bias")));
        expected.put("up", h = h.transpose(w.get("up/kernel"), 3, 3, 2, 2, w.get("up/bias")));
        expected.put("bn", h = h.batchNorm(w.get("bn/gamma"), w.get("bn/beta"), w.get("bn/moving_mean"),
                w.get("bn/moving_variance"), 1e-3f));
        expected.put("relu6", h = h.relu(6));
        expected.put("zp", h = h.pad(1, 0, 0, 2));
        expected.put("r", new Nhwc(2, 18, 4, 2, h.d));
        for (Map.Entry<String, Nhwc> e : expected.entrySet()) {
            Tensor actual = outputs.get(e.getKey());
            assertTrue(actual != null, "no output for " + e.getKey());
            Fixtures.assertClose(e.getKey(), e.getValue().tensor(), actual);
        }
        assertArrayEquals(new int[] {2, 144}, outputs.get("f").shape());
        Fixtures.assertClose("f (H, W, C order)", new Tensor(h.d, 2, 144), outputs.get("f"));
        assertArrayEquals(new int[] {2, 3}, outputs.get("out").shape());
    }

    Map<String, float[]> weights() {
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("c1/kernel", randoms(3 * 3 * 2 * 3, 0.5));
        w.put("c1/bias", randoms(3, 0.1));
        w.put("dw/depthwise_kernel", randoms(3 * 3 * 3 * 2, 0.5));
        w.put("dw/bias", randoms(6, 0.1));
        w.put("sep/depthwise_kernel", randoms(3 * 3 * 6, 0.5));
        w.put("sep/pointwise_kernel", randoms(6 * 4, 0.5));
        w.put("sep/bias", randoms(4, 0.1));
        w.put("up/kernel", randoms(3 * 3 * 2 * 4, 0.5));
        w.put("up/bias", randoms(2, 0.1));
        w.put("bn/gamma", randoms(2, 1));
        w.put("bn/beta", randoms(2, 1));
        w.put("bn/moving_mean", randoms(2, 1));
        float[] variance = randoms(2, 1);
        for (int i = 0; i < variance.length; i++) {
            variance[i] = 0.5f + Math.abs(variance[i]);
        }
        w.put("bn/moving_variance", variance);
        w.put("out/kernel", randoms(144 * 3, 0.2));
        w.put("out/bias", randoms(3, 0.1));
        return w;
    }

    /** The weights as nested arrays in Keras' layouts, by layer. */
    private static KerasTestFiles files(Map<String, float[]> w) {
        KerasTestFiles files = new KerasTestFiles();
        for (String layer : new String[] {"x", "c1", "dw", "sep", "up", "bn", "relu6", "zp", "r", "f", "out"}) {
            Map<String, Object> roles = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : w.entrySet()) {
                if (e.getKey().startsWith(layer + "/")) {
                    String role = e.getKey().substring(layer.length() + 1);
                    roles.put(role, nested(e.getValue(), shape(layer, role)));
                }
            }
            files.layer(layer, roles);
        }
        return files;
    }

    private static int[] shape(String layer, String role) {
        return switch (layer + "/" + role) {
            case "c1/kernel" -> new int[] {3, 3, 2, 3};
            case "dw/depthwise_kernel" -> new int[] {3, 3, 3, 2};
            case "sep/depthwise_kernel" -> new int[] {3, 3, 6, 1};
            case "sep/pointwise_kernel" -> new int[] {1, 1, 6, 4};
            case "up/kernel" -> new int[] {3, 3, 2, 4};
            case "out/kernel" -> new int[] {144, 3};
            default -> new int[] {-1};
        };
    }

    static Object nested(float[] flat, int[] shape) {
        if (shape.length == 1) {
            return flat.clone();
        }
        Object array = Array.newInstance(float.class, shape);
        fill(array, flat, 0, shape, 0);
        return array;
    }

    private static int fill(Object array, float[] flat, int at, int[] shape, int depth) {
        if (depth == shape.length - 1) {
            float[] row = (float[]) array;
            System.arraycopy(flat, at, row, 0, row.length);
            return at + row.length;
        }
        for (int i = 0; i < shape[depth]; i++) {
            at = fill(Array.get(array, i), flat, at, shape, depth + 1);
        }
        return at;
    }

    private float[] randoms(int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    /** An NHWC batch with the reference ops, written from the Keras/TF definitions (float64 sums). */
    private record Nhwc(int n, int h, int w, int c, float[] d) {
        float at(int b, int y, int x, int ch) {
            return y < 0 || y >= h || x < 0 || x >= w ? 0 : d[((b * h + y) * w + x) * c + ch];
        }

        Tensor tensor() {
            return new Tensor(d.clone(), n, h, w, c);
        }

        /** TF 'same' convolution; kernel [kh, kw, c, out]. */
        Nhwc conv(float[] k, int kh, int kw, int out, int stride, float[] bias) {
            int oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
            int top = Math.max((oh - 1) * stride + kh - h, 0) / 2, left = Math.max((ow - 1) * stride + kw - w, 0) / 2;
            float[] y = new float[n * oh * ow * out];
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < oh; p++) {
                    for (int q = 0; q < ow; q++) {
                        for (int o = 0; o < out; o++) {
                            double s = bias == null ? 0 : bias[o];
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    for (int ch = 0; ch < c; ch++) {
                                        s += at(b, p * stride - top + i, q * stride - left + j, ch)
                                                * k[((i * kw + j) * c + ch) * out + o];
                                    }
                                }
                            }
                            y[((b * oh + p) * ow + q) * out + o] = (float) s;
                        }
                    }
                }
            }
            return new Nhwc(n, oh, ow, out, y);
        }

        /** TF 'same' depthwise convolution, stride 1; kernel [kh, kw, c, m], output channel ch·m + j. */
        Nhwc depthwise(float[] k, int kh, int kw, int m, float[] bias) {
            float[] y = new float[n * h * w * c * m];
            int top = (kh - 1) / 2, left = (kw - 1) / 2;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < h; p++) {
                    for (int q = 0; q < w; q++) {
                        for (int ch = 0; ch < c; ch++) {
                            for (int mm = 0; mm < m; mm++) {
                                double s = bias == null ? 0 : bias[ch * m + mm];
                                for (int i = 0; i < kh; i++) {
                                    for (int j = 0; j < kw; j++) {
                                        s += at(b, p - top + i, q - left + j, ch) * k[((i * kw + j) * c + ch) * m + mm];
                                    }
                                }
                                y[((b * h + p) * w + q) * c * m + ch * m + mm] = (float) s;
                            }
                        }
                    }
                }
            }
            return new Nhwc(n, h, w, c * m, y);
        }

        /** TF conv2d_transpose 'same': output h·s; kernel [kh, kw, out, c]. */
        Nhwc transpose(float[] k, int kh, int kw, int out, int stride, float[] bias) {
            int oh = h * stride, ow = w * stride;
            int top = Math.max((h - 1) * stride + kh - oh, 0) / 2, left = Math.max((w - 1) * stride + kw - ow, 0) / 2;
            double[] y = new double[n * oh * ow * out];
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < h; p++) {
                    for (int q = 0; q < w; q++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int yy = p * stride - top + i, xx = q * stride - left + j;
                                if (yy < 0 || yy >= oh || xx < 0 || xx >= ow) {
                                    continue;
                                }
                                for (int o = 0; o < out; o++) {
                                    for (int ch = 0; ch < c; ch++) {
                                        y[((b * oh + yy) * ow + xx) * out + o] += at(b, p, q, ch)
                                                * k[((i * kw + j) * out + o) * c + ch];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            float[] f = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                f[i] = (float) (y[i] + bias[i % out]);
            }
            return new Nhwc(n, oh, ow, out, f);
        }

        Nhwc batchNorm(float[] gamma, float[] beta, float[] mean, float[] variance, float eps) {
            float[] y = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                int ch = i % c;
                y[i] = (float) ((d[i] - mean[ch]) / Math.sqrt(variance[ch] + eps) * gamma[ch] + beta[ch]);
            }
            return new Nhwc(n, h, w, c, y);
        }

        Nhwc relu(float max) {
            float[] y = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                y[i] = Math.min(Math.max(d[i], 0), max);
            }
            return new Nhwc(n, h, w, c, y);
        }

        Nhwc pad(int top, int bottom, int left, int right) {
            int oh = h + top + bottom, ow = w + left + right;
            float[] y = new float[n * oh * ow * c];
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < oh; p++) {
                    for (int q = 0; q < ow; q++) {
                        for (int ch = 0; ch < c; ch++) {
                            y[((b * oh + p) * ow + q) * c + ch] = at(b, p - top, q - left, ch);
                        }
                    }
                }
            }
            return new Nhwc(n, oh, ow, c, y);
        }
    }
}
