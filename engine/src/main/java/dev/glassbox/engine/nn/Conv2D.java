package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.Conv2DOp;
import dev.glassbox.engine.ops.Padding2D;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * 2-D convolution layer (cross-correlation, as every framework computes it), NCHW:
 * x [batch, inChannels, H, W] → y = activation(conv(x, kernel) + bias) [batch, filters, H', W'].
 * The kernel is stored in PyTorch's layout [filters, inChannels / groups, kh, kw]; Keras' [kh, kw, in, out] is
 * converted by the importers. Padding is "valid", "same" (TensorFlow's rule: the odd extra row/column goes
 * bottom/right), or explicit symmetric amounts (PyTorch's {@code padding=p}).
 * Defaults are Keras': glorot-uniform kernel, zero bias.
 */
public final class Conv2D extends Layer {
    /** How much padding: a Keras mode, or explicit symmetric amounts. */
    public record Padding(String mode, int height, int width) {
        public static final Padding VALID = new Padding("valid", 0, 0);
        public static final Padding SAME = new Padding("same", 0, 0);

        /** PyTorch's {@code padding=(h, w)}. */
        public static Padding symmetric(int height, int width) {
            return new Padding("explicit", height, width);
        }
    }

    private final int inChannels;
    private final int filters;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int dilationH;
    private final int dilationW;
    private final int groups;
    private final Padding padding;
    private final String activation;
    private final Parameter kernel;
    private final Parameter bias;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();

    /** A square kernel, stride 1, valid padding, no activation. */
    public Conv2D(String name, int inChannels, int filters, int kernelSize) {
        this(name, inChannels, filters, kernelSize, kernelSize, 1, 1, Padding.VALID, 1, 1, 1, true, "linear");
    }

    public Conv2D(String name, int inChannels, int filters, int kernelH, int kernelW, int strideH, int strideW,
            Padding padding, int dilationH, int dilationW, int groups, boolean useBias, String activation) {
        super(name, "conv2d");
        if (inChannels <= 0 || filters <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0
                || dilationH <= 0 || dilationW <= 0 || groups <= 0) {
            throw new IllegalArgumentException("Conv2D '" + name() + "': channels, filters, kernel, stride, dilation"
                    + " and groups must be positive");
        }
        if (inChannels % groups != 0 || filters % groups != 0) {
            throw new IllegalArgumentException("Conv2D '" + name() + "': groups " + groups + " must divide both the "
                    + inChannels + " input channels and the " + filters + " filters");
        }
        this.inChannels = inChannels;
        this.filters = filters;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = padding;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.groups = groups;
        this.activation = Activations.check(activation);
        this.kernel = addParameter("kernel", Tensors.zeros(filters, inChannels / groups, kernelH, kernelW));
        this.bias = useBias ? addParameter("bias", Tensors.zeros(filters)) : null;
        initialize(new SplittableRandom(name().hashCode()));
    }

    /** Sets the initializers and draws new values from {@code random} (kernel first, then bias). */
    public Conv2D initialize(Initializer kernelInit, Initializer biasInit, RandomGenerator random) {
        this.kernelInitializer = kernelInit;
        this.biasInitializer = biasInit;
        initialize(random);
        return this;
    }

    public void initialize(RandomGenerator random) {
        int area = kernelH * kernelW;
        int fanIn = inChannels / groups * area;
        int fanOut = filters / groups * area;
        kernelInitializer.initialize(kernel.value(), fanIn, fanOut, random);
        if (bias != null) {
            biasInitializer.initialize(bias.value(), fanIn, fanOut, random);
        }
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != inChannels) {
            throw new ShapeException("Conv2D '" + name() + "' expects input [batch, channels, height, width] with"
                    + " channels=" + inChannels + ", but got shape " + Shapes.toString(x.shape())
                    + (x.rank() == 2 ? ". Hint: reshape flat images with x.reshape(batch, " + inChannels
                            + ", height, width)." : "."), new int[] {-1, inChannels, -1, -1}, x.shape());
        }
        Conv2DOp.Options options = new Conv2DOp.Options(strideH, strideW, padding2D(x.dim(2), x.dim(3)), dilationH,
                dilationW, groups);
        Tensor y = Conv2DOp.conv2d(x, kernel.value(), bias == null ? null : bias.value(), options);
        return Activations.apply(activation, y);
    }

    private Padding2D padding2D(int height, int width) {
        return switch (padding.mode()) {
            case "explicit" -> Padding2D.symmetric(padding.height(), padding.width());
            default -> Padding2D.of(padding.mode(), height, width, kernelH, kernelW, strideH, strideW, dilationH,
                    dilationW);
        };
    }

    public Parameter kernel() {
        return kernel;
    }

    public Parameter bias() {
        return bias;
    }

    public int filters() {
        return filters;
    }

    public int inChannels() {
        return inChannels;
    }

    public String activation() {
        return activation;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("in_channels", inChannels);
        config.put("filters", filters);
        config.put("kernel_size", new int[] {kernelH, kernelW});
        config.put("strides", new int[] {strideH, strideW});
        config.put("padding", padding.mode());
        config.put("explicit_padding", new int[] {padding.height(), padding.width()});
        config.put("dilation_rate", new int[] {dilationH, dilationW});
        config.put("groups", groups);
        config.put("use_bias", bias != null);
        config.put("activation", activation);
        return config;
    }
}
