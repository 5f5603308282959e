package dev.glassbox.instrument.vision;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Activation;
import dev.glassbox.engine.nn.Conv2D;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where in the image the evidence for a class lies.
 *
 * <ul>
 * <li><b>Grad-CAM</b> (Selvaraju et al. 2017): with A the last conv layer's maps [K, h, w] and y the class score,
 *     the weight of channel k is α_k = mean_ij ∂y/∂A_kij, and the map is relu(Σ_k α_k A_k), upsampled
 *     (bilinear) to the input size and scaled to [0, 1]. The upsampling puts each cell where its receptive field
 *     is centred ({@link ReceptiveField}), which after 'valid' convolutions is not a plain stretch.</li>
 * <li><b>Grad-CAM++</b> (Chattopadhay et al. 2018): per-position weights
 *     a_kij = g² / (2g² + Σ_ij A_kij g³) with g = ∂y/∂A_kij, and w_k = Σ_ij a_kij relu(g_kij).</li>
 * <li><b>Saliency</b> (Simonyan et al. 2014): |∂y/∂x|, the largest over colour channels; <b>SmoothGrad</b>
 *     (Smilkov et al. 2017) averages it over noisy copies of the image.</li>
 * </ul>
 * The score is the model's output for the class, as the seed uses it (a softmax probability for a model ending
 * in softmax). Images are given in the engine's layout [1, C, H, W] (channels-last models get them permuted);
 * maps are [H, W] tensors in [0, 1].
 */
public final class ClassActivation {
    /** A map and the quantities it was computed from (for checking and for teaching). */
    public record Result(int classIndex, float score, Tensor map, Tensor channelWeights, Tensor featureMaps,
            Tensor coarseMap) {}

    /** A predicted class and its probability. */
    public record Prediction(int classIndex, double probability) {}

    private ClassActivation() {}

    /**
     * Grad-CAM's default target: the last Conv2D layer's maps after their activation — the Conv2D itself, or the
     * Activation layer right after it when the activation is a separate layer (as in PyTorch-style models).
     */
    public static Layer lastConvLayer(Model model) {
        Layer last = null;
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Conv2D) {
                last = i + 1 < layers.size() && layers.get(i + 1) instanceof Activation ? layers.get(i + 1)
                        : layers.get(i);
            }
        }
        if (last == null) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no Conv2D layer for Grad-CAM");
        }
        return last;
    }

    /** Grad-CAM of class {@code classIndex} (negative: the predicted class) for one image [1, C, H, W]. */
    public static Result gradCam(Model model, Tensor image, Layer layer, int classIndex) {
        return cam(model, image, layer, classIndex, false);
    }

    /** Grad-CAM++ of class {@code classIndex} (negative: the predicted class). */
    public static Result gradCamPlusPlus(Model model, Tensor image, Layer layer, int classIndex) {
        return cam(model, image, layer, classIndex, true);
    }

    private static Result cam(Model model, Tensor image, Layer layer, int classIndex, boolean plusPlus) {
        requireOneImage(image);
        model.eval();
        LayerTap.Run run = LayerTap.run(model, image, List.of(layer), true);
        Tensor output = run.output();
        int k = classIndex >= 0 ? classIndex : (int) output.argmax(-1).data()[0];
        if (k >= output.dim(-1)) {
            throw new IllegalArgumentException("class " + k + " is out of range: the model has " + output.dim(-1)
                    + " outputs");
        }
        Tensor a = run.outputs().get(layer.name());
        if (a.rank() != 4) {
            throw new IllegalArgumentException("Grad-CAM needs feature maps [1, K, h, w] from layer '" + layer.name()
                    + "', got " + java.util.Arrays.toString(a.shape()));
        }
        Tensor seed = Tensors.zeros(output.shape());
        seed.data()[k] = 1f;
        output.backward(seed);
        int channels = a.dim(1);
        int plane = a.dim(2) * a.dim(3);
        float[] maps = a.data();
        float[] grads = a.grad().data();
        float[] weights = new float[channels];
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            if (!plusPlus) {
                double sum = 0;
                for (int i = 0; i < plane; i++) {
                    sum += grads[base + i];
                }
                weights[c] = (float) (sum / plane);
            } else {
                double sumA = 0;
                for (int i = 0; i < plane; i++) {
                    sumA += maps[base + i];
                }
                double w = 0;
                for (int i = 0; i < plane; i++) {
                    double g = grads[base + i];
                    double denominator = 2 * g * g + sumA * g * g * g;
                    double alpha = denominator != 0 ? g * g / denominator : 0;
                    w += alpha * Math.max(g, 0);
                }
                weights[c] = (float) w;
            }
        }
        float[] coarse = new float[plane];
        for (int i = 0; i < plane; i++) {
            double v = 0;
            for (int c = 0; c < channels; c++) {
                v += weights[c] * maps[c * plane + i];
            }
            coarse[i] = (float) Math.max(v, 0);
        }
        Tensor coarseMap = new Tensor(coarse, a.dim(2), a.dim(3));
        ReceptiveField grid = ReceptiveField.of(model, layer, new int[] {image.dim(1), image.dim(2), image.dim(3)},
                a.dim(2), a.dim(3));
        Tensor map = scaleToUnit(grid.upsample(coarseMap, image.dim(2), image.dim(3)));
        return new Result(k, output.data()[k], map, new Tensor(weights, channels),
                a.detach().reshape(channels, a.dim(2), a.dim(3)), coarseMap);
    }

    /** |∂score/∂input|, the largest over channels, scaled to [0, 1]. */
    public static Tensor saliency(Model model, Tensor image, int classIndex) {
        return scaleToUnit(rawSaliency(model, image, classIndex));
    }

    /** SmoothGrad: the saliency averaged over {@code samples} copies with Gaussian noise of std σ·(max − min). */
    public static Tensor smoothGrad(Model model, Tensor image, int classIndex, int samples, double sigma, long seed) {
        requireOneImage(image);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : image.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double std = sigma * Math.max(max - min, 1e-6);
        SplittableRandom random = new SplittableRandom(seed);
        float[] sum = new float[image.dim(2) * image.dim(3)];
        for (int s = 0; s < samples; s++) {
            float[] noisy = image.toArray();
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] += (float) (std * gaussian(random));
            }
            float[] one = rawSaliency(model, new Tensor(noisy, image.shape()), classIndex).data();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += one[i] / samples;
            }
        }
        return scaleToUnit(new Tensor(sum, image.dim(2), image.dim(3)));
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static Tensor rawSaliency(Model model, Tensor image, int classIndex) {
        requireOneImage(image);
        model.eval();
        Tensor x = image.copy().requiresGrad(true);
        Tensor output = model.forward(Forward.input(model, x));
        int k = classIndex >= 0 ? classIndex : (int) output.argmax(-1).data()[0];
        Tensor seed = Tensors.zeros(output.shape());
        seed.data()[k] = 1f;
        output.backward(seed);
        int c = image.dim(1);
        int plane = image.dim(2) * image.dim(3);
        float[] g = x.grad().data();
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            float m = 0;
            for (int ch = 0; ch < c; ch++) {
                m = Math.max(m, Math.abs(g[ch * plane + i]));
            }
            out[i] = m;
        }
        return new Tensor(out, image.dim(2), image.dim(3));
    }

    /**
     * The top {@code k} classes with their probabilities: the output itself when it already is a distribution,
     * exp of it when it is log-probabilities, else its softmax.
     */
    public static List<Prediction> topK(Model model, Tensor image, int k) {
        Tensor output;
        try (NoGrad ignored = NoGrad.enter()) {
            model.eval();
            output = model.forward(Forward.input(model, image));
        }
        float[] row = output.data();
        double sum = 0;
        boolean nonNegative = true;
        boolean nonPositive = true;
        double expSum = 0;
        for (float v : row) {
            sum += v;
            nonNegative &= v >= 0;
            nonPositive &= v <= 0;
            expSum += Math.exp(v);
        }
        double[] p = new double[row.length];
        boolean probabilities = nonNegative && Math.abs(sum - 1) < 1e-3;
        boolean logProbabilities = nonPositive && Math.abs(expSum - 1) < 1e-3;
        Tensor soft = probabilities || logProbabilities ? null : output.softmax(-1);
        for (int i = 0; i < row.length; i++) {
            p[i] = probabilities ? row[i] : logProbabilities ? Math.exp(row[i]) : soft.data()[i];
        }
        List<Prediction> all = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            all.add(new Prediction(i, p[i]));
        }
        all.sort(Comparator.comparingDouble(Prediction::probability).reversed());
        return all.subList(0, Math.min(k, all.size()));
    }

    /** The heat map in a colour map over the image (grey or RGB [C, H, W] in [0, 1]) with opacity {@code alpha}. */
    public static BufferedImage overlay(Tensor image, Tensor map, ColorMap colors, double alpha) {
        BufferedImage base = Images.toImage(image);
        int h = map.dim(0);
        int w = map.dim(1);
        if (base.getHeight() != h || base.getWidth() != w) {
            throw new IllegalArgumentException("heat map " + h + "×" + w + " does not match the image "
                    + base.getHeight() + "×" + base.getWidth());
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float[] m = map.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int under = base.getRGB(x, y);
                int over = colors.rgb(m[y * w + x]);
                int r = mix((under >> 16) & 0xff, (over >> 16) & 0xff, alpha);
                int g = mix((under >> 8) & 0xff, (over >> 8) & 0xff, alpha);
                int b = mix(under & 0xff, over & 0xff, alpha);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** A map in a colour map, without an image under it. */
    public static BufferedImage colorize(Tensor map, ColorMap colors) {
        int h = map.dim(0);
        int w = map.dim(1);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, colors.rgb(map.data()[y * w + x]));
            }
        }
        return out;
    }

    private static int mix(int a, int b, double alpha) {
        return (int) Math.round(a * (1 - alpha) + b * alpha);
    }

    private static Tensor scaleToUnit(Tensor map) {
        float max = 0;
        for (float v : map.data()) {
            max = Math.max(max, v);
        }
        if (max <= 0) {
            return Tensors.zeros(map.shape());
        }
        return map.div(max);
    }

    private static void requireOneImage(Tensor image) {
        if (image.rank() != 4 || image.dim(0) != 1) {
            throw new IllegalArgumentException("expected one image [1, channels, height, width], got shape "
                    + java.util.Arrays.toString(image.shape()));
        }
    }
}
