package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.Conv2DTransposeOp;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Transposed convolution (Keras' {@code Conv2DTranspose}, PyTorch's {@code ConvTranspose2d}): upsamples
 * [batch, in, H, W] to [batch, filters, outH, outW] with outH = (H - 1)·stride + kh ("valid") or H·stride
 * ("same"). Kernel in PyTorch's ConvTranspose2d layout [in, filters, kh, kw] (Keras' [kh, kw, filters, in] is its
 * {@code permute(3, 2, 0, 1)}); see {@link Conv2DTransposeOp} for the maths.
 */
public final class Conv2DTranspose extends Layer {
    private final int strideH;
    private final int strideW;
    private final String padding;
    private final String activation;
    private final Parameter kernel;
    private final Parameter bias;

    public Conv2DTranspose(String name, int inChannels, int filters, int kernelH, int kernelW, int strideH,
            int strideW, String padding, boolean useBias, String activation) {
        super(name, "conv2d_transpose");
        if (inChannels <= 0 || filters <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("Conv2DTranspose '" + name() + "': sizes must be positive");
        }
        this.strideH = strideH;
        this.strideW = strideW;
        this.padding = padding;
        this.activation = Activations.check(activation);
        this.kernel = addParameter("kernel", Tensors.zeros(inChannels, filters, kernelH, kernelW));
        this.bias = useBias ? addParameter("bias", Tensors.zeros(filters)) : null;
    }

    @Override
    protected Tensor forward(Tensor x) {
        Tensor y = Conv2DTransposeOp.conv2dTranspose(x, kernel.value(), bias == null ? null : bias.value(), strideH,
                strideW, padding);
        return Activations.apply(activation, y);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("in_channels", kernel.value().dim(0));
        config.put("filters", kernel.value().dim(1));
        config.put("kernel_size", new int[] {kernel.value().dim(2), kernel.value().dim(3)});
        config.put("strides", new int[] {strideH, strideW});
        config.put("padding", padding);
        config.put("use_bias", bias != null);
        config.put("activation", activation);
        return config;
    }
}
