package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.Conv2DOp;
import dev.glassbox.engine.ops.Padding2D;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Depthwise-separable convolution (Keras' {@code SeparableConv2D}): a depthwise convolution (each input channel
 * filtered on its own by {@code multiplier} kernels: a grouped convolution with groups = in) followed by a 1×1
 * pointwise convolution mixing the channels, then bias and activation. Far fewer weights than a full convolution:
 * in·multiplier·kh·kw + in·multiplier·filters instead of in·filters·kh·kw.
 * Parameters: {@code depthwise_kernel} [in·multiplier, 1, kh, kw] (output channel c·multiplier + m, as Keras
 * orders them), {@code pointwise_kernel} [filters, in·multiplier, 1, 1], {@code bias} [filters].
 */
public final class SeparableConv2D extends Layer {
    private final int inChannels;
    private final int strideH;
    private final int strideW;
    private final String padding;
    private final String activation;
    private final Parameter depthwise;
    private final Parameter pointwise;
    private final Parameter bias;

    public SeparableConv2D(String name, int inChannels, int multiplier, int filters, int kernelH, int kernelW,
            int strideH, int strideW, String padding, boolean useBias, String activation) {
        super(name, "separable_conv2d");
        if (inChannels <= 0 || multiplier <= 0 || filters <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0
                || strideW <= 0) {
            throw new IllegalArgumentException("SeparableConv2D '" + name() + "': sizes must be positive");
        }
        this.inChannels = inChannels;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = padding;
        this.activation = Activations.check(activation);
        this.depthwise = addParameter("depthwise_kernel", Tensors.zeros(inChannels * multiplier, 1, kernelH, kernelW));
        this.pointwise = addParameter("pointwise_kernel", Tensors.zeros(filters, inChannels * multiplier, 1, 1));
        this.bias = useBias ? addParameter("bias", Tensors.zeros(filters)) : null;
    }

    @Override
    protected Tensor forward(Tensor x) {
        Tensor dk = depthwise.value();
        Padding2D pad = Padding2D.of(padding, x.dim(2), x.dim(3), dk.dim(2), dk.dim(3), strideH, strideW, 1, 1);
        Conv2DOp.Options options = Conv2DOp.Options.DEFAULT.withStride(strideH, strideW).withPadding(pad)
                .withGroups(inChannels);
        Tensor h = Conv2DOp.conv2d(x, dk, null, options);
        Tensor y = Conv2DOp.conv2d(h, pointwise.value(), bias == null ? null : bias.value(),
                Conv2DOp.Options.DEFAULT);
        return Activations.apply(activation, y);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("in_channels", inChannels);
        config.put("filters", pointwise.value().dim(0));
        config.put("depth_multiplier", depthwise.value().dim(0) / inChannels);
        config.put("kernel_size", new int[] {depthwise.value().dim(2), depthwise.value().dim(3)});
        config.put("strides", new int[] {strideH, strideW});
        config.put("padding", padding);
        config.put("use_bias", bias != null);
        config.put("activation", activation);
        return config;
    }
}
