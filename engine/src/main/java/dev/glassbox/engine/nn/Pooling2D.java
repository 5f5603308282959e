package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.AvgPool2DOp;
import dev.glassbox.engine.ops.MaxPool2DOp;
import dev.glassbox.engine.ops.Padding2D;
import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Max or average pooling over windows of an NCHW tensor: [batch, channels, H, W] → [batch, channels, H', W'].
 * "valid" drops windows that would cross the border (floor); "same" pads as TensorFlow does (max pools pad with
 * -∞; average pools count only the real pixels of a window, as Keras does). Max-pooling ties: the first maximum
 * in row-major order gets the gradient, as in PyTorch.
 */
public final class Pooling2D extends Layer {
    /** Which statistic of each window. */
    public enum Kind { MAX, AVERAGE }

    private final Kind kind;
    private final int poolH;
    private final int poolW;
    private final int strideH;
    private final int strideW;
    private final String padding;

    /** A square window whose stride equals its size, valid padding: PyTorch's {@code max_pool2d(x, k)}. */
    public static Pooling2D max(String name, int size) {
        return new Pooling2D(name, Kind.MAX, size, size, size, size, "valid");
    }

    public static Pooling2D average(String name, int size) {
        return new Pooling2D(name, Kind.AVERAGE, size, size, size, size, "valid");
    }

    public Pooling2D(String name, Kind kind, int poolH, int poolW, int strideH, int strideW, String padding) {
        super(name, kind == Kind.MAX ? "max_pooling2d" : "average_pooling2d");
        if (poolH <= 0 || poolW <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException(type() + " '" + name() + "': pool size and strides must be positive");
        }
        if (!padding.equals("valid") && !padding.equals("same")) {
            throw new IllegalArgumentException(type() + " '" + name() + "': padding must be valid or same, got "
                    + padding);
        }
        this.kind = kind;
        this.poolH = poolH;
        this.poolW = poolW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = padding;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new ShapeException(type() + " '" + name() + "' expects input [batch, channels, height, width] but"
                    + " got shape " + Shapes.toString(x.shape()), x.shape());
        }
        Padding2D pad = Padding2D.of(padding, x.dim(2), x.dim(3), poolH, poolW, strideH, strideW, 1, 1);
        if (kind == Kind.MAX) {
            return new MaxPool2DOp(poolH, poolW, strideH, strideW, pad).apply(x);
        }
        return new AvgPool2DOp(poolH, poolW, strideH, strideW, pad, false).apply(x);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String type() {
        return kind == Kind.MAX ? "MaxPool2D" : "AvgPool2D";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("kind", kind.name().toLowerCase(Locale.ROOT));
        config.put("pool_size", new int[] {poolH, poolW});
        config.put("strides", new int[] {strideH, strideW});
        config.put("padding", padding);
        return config;
    }
}
