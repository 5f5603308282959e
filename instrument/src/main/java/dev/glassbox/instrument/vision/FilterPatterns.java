package dev.glassbox.instrument.vision;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * What a filter responds to, found by gradient ascent in input space (Erhan et al. 2009; Deep Learning with
 * Python §5.4.2): start from a grey image with a little noise and repeatedly move it along the gradient of the
 * filter's mean activation.
 *
 * <pre>
 *   x ← grey (128 + U(0, 20)) / 255 · pixelScale                 the seed's start
 *   repeat steps times:
 *       L = mean over positions of layer_output[filter]
 *       g = dL/dx;   g ← g / (√mean(g²) + 1e-5)                 normalise by the RMS: steady step sizes
 *       x ← x + stepSize · g
 *   deprocess: zero mean, std 0.1, + 0.5, clip to [0, 1]         so patterns of any contrast can be seen
 * </pre>
 * Steps and step size are the seed's (40 steps of size 1, in input units, whatever the input scale: the image
 * leaves the natural pixel range, and the deprocessing brings any result back to a visible picture);
 * {@code pixelScale} is the top of the model's input range (1 for models trained on [0, 1] pixels, 255 for Keras'
 * ImageNet models) and sets only the grey of the start image.
 * Optional regularisers make cleaner pictures (Yosinski et al. 2015; Olah et al. 2017): a random jitter of the
 * image before each step, a Gaussian blur every few steps, an L2 decay of the image, and octaves (repeat the
 * ascent on a larger, upsampled image; only for Sequential models, whose conv prefix takes any size).
 */
public final class FilterPatterns {
    /** The seed's procedure, and the optional regularisers (all off by default). */
    public record Options(int steps, double stepSize, double pixelScale, int jitter, int blurEvery, double blurSigma,
            double l2Decay, int octaves, double octaveScale, long seed) {
        public static final Options SEED = new Options(40, 1.0, 1.0, 0, 0, 0.0, 0.0, 1, 1.2, 0);

        public Options withPixelScale(double scale) {
            return new Options(steps, stepSize, scale, jitter, blurEvery, blurSigma, l2Decay, octaves, octaveScale,
                    seed);
        }

        public Options withRegularisation(int jitterPixels, int blurEveryNSteps, double sigma, double decay) {
            return new Options(steps, stepSize, pixelScale, jitterPixels, blurEveryNSteps, sigma, decay, octaves,
                    octaveScale, seed);
        }

        public Options withOctaves(int count, double scale) {
            return new Options(steps, stepSize, pixelScale, jitter, blurEvery, blurSigma, l2Decay, count, scale, seed);
        }
    }

    /** The input found, and the filter's mean activation at the start and after the last step. */
    public record Pattern(Tensor input, double startActivation, double finalActivation) {
        /** The seed's deprocessing: zero mean, std 0.1, + 0.5, clipped to [0, 1], as [C, H, W]. */
        public Tensor image() {
            float[] d = input.data();
            double mean = 0;
            for (float v : d) {
                mean += v;
            }
            mean /= d.length;
            double var = 0;
            for (float v : d) {
                var += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(var / d.length) + 1e-5;
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) Math.max(0, Math.min(1, (d[i] - mean) / std * 0.1 + 0.5));
            }
            return new Tensor(out, input.dim(1), input.dim(2), input.dim(3));
        }
    }

    private FilterPatterns() {}

    /** Mean activation of channel {@code filter} of {@code layer} for input x: the objective of the ascent. */
    public static Tensor objective(Model model, Layer layer, int filter, Tensor x) {
        Tensor out = Forward.upTo(model, layer, x);
        if (out.rank() != 4 || filter < 0 || filter >= out.dim(1)) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' output " + java.util.Arrays.toString(
                    out.shape()) + " has no filter " + filter + " (channels are axis 1 of [N, C, H, W])");
        }
        return out.slice(1, filter, filter + 1).mean();
    }

    /**
     * Runs the ascent for one filter. {@code inputShape} is one example in the engine's layout [C, H, W].
     */
    public static Pattern ascend(Model model, Layer layer, int filter, int[] inputShape, Options options) {
        SplittableRandom random = new SplittableRandom(options.seed() * 7919 + filter);
        int c = inputShape[0];
        int h = inputShape[1];
        int w = inputShape[2];
        float[] start = new float[c * h * w];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) ((128 + 20 * random.nextDouble()) / 255 * options.pixelScale());
        }
        Tensor x = new Tensor(start, 1, c, h, w);
        model.eval();
        double first = value(model, layer, filter, x);
        int octaves = model instanceof Sequential ? Math.max(1, options.octaves()) : 1;
        for (int octave = 0; octave < octaves; octave++) {
            if (octave > 0) {
                int nh = (int) Math.round(x.dim(2) * options.octaveScale());
                int nw = (int) Math.round(x.dim(3) * options.octaveScale());
                x = Images.resize(x.reshape(c, x.dim(2), x.dim(3)), nh, nw).reshape(1, c, nh, nw);
            }
            for (int step = 0; step < options.steps(); step++) {
                x = step(model, layer, filter, x, options, random, step);
            }
        }
        if (octaves > 1) {
            x = Images.resize(x.reshape(c, x.dim(2), x.dim(3)), h, w).reshape(1, c, h, w);
        }
        return new Pattern(x, first, value(model, layer, filter, x));
    }

    private static Tensor step(Model model, Layer layer, int filter, Tensor x, Options o, SplittableRandom random,
            int step) {
        int dy = o.jitter() > 0 ? random.nextInt(-o.jitter(), o.jitter() + 1) : 0;
        int dx = o.jitter() > 0 ? random.nextInt(-o.jitter(), o.jitter() + 1) : 0;
        Tensor shifted = roll(x, dy, dx).requiresGrad(true);
        objective(model, layer, filter, shifted).backward();
        float[] g = shifted.grad().data();
        double meanSquare = 0;
        for (float v : g) {
            meanSquare += (double) v * v;
        }
        double scale = o.stepSize() / (Math.sqrt(meanSquare / g.length) + 1e-5);
        float[] next = shifted.detach().copy().data();
        for (int i = 0; i < next.length; i++) {
            next[i] = (float) ((next[i] + scale * g[i]) * (1 - o.l2Decay()));
        }
        Tensor updated = roll(new Tensor(next, x.shape()), -dy, -dx);
        if (o.blurEvery() > 0 && o.blurSigma() > 0 && (step + 1) % o.blurEvery() == 0) {
            updated = blur(updated, o.blurSigma());
        }
        return updated;
    }

    private static double value(Model model, Layer layer, int filter, Tensor x) {
        try (NoGrad ignored = NoGrad.enter()) {
            return objective(model, layer, filter, x).item();
        }
    }

    /** Circular shift of the image plane by (dy, dx) pixels. */
    static Tensor roll(Tensor x, int dy, int dx) {
        if (dy == 0 && dx == 0) {
            return x.detach();
        }
        int n = x.dim(0) * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int p = 0; p < n; p++) {
            for (int y = 0; y < h; y++) {
                int ty = Math.floorMod(y + dy, h);
                for (int xx = 0; xx < w; xx++) {
                    out[p * h * w + ty * w + Math.floorMod(xx + dx, w)] = in[p * h * w + y * w + xx];
                }
            }
        }
        return new Tensor(out, x.shape());
    }

    /** Separable Gaussian blur of each plane (edges clamped). */
    static Tensor blur(Tensor x, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(2 * sigma));
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        int planes = x.dim(0) * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        float[] in = x.data();
        float[] tmp = new float[in.length];
        float[] out = new float[in.length];
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        acc += kernel[k + radius] * in[base + y * w + Math.min(w - 1, Math.max(0, xx + k))];
                    }
                    tmp[base + y * w + xx] = (float) acc;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        acc += kernel[k + radius] * tmp[base + Math.min(h - 1, Math.max(0, y + k)) * w + xx];
                    }
                    out[base + y * w + xx] = (float) acc;
                }
            }
        }
        return new Tensor(out, x.shape());
    }
}
