package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.Conv2DTransposeOp;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Transposed convolution (Keras' {@code Conv2DTranspose}, PyTorch's {@code ConvTranspose2d}): upsamples
 * [batch, in, H, W] to [batch, filters, outH, outW] with outH = H·stride + max(kh - stride, 0) ("valid") or
 * H·stride ("same"), or as Keras' {@code output_padding} and {@code dilation_rate} make it. Kernel in PyTorch's
 * ConvTranspose2d layout [in, filters, kh, kw] (Keras' [kh, kw, filters, in] is its {@code permute(3, 2, 0, 1)});
 * see {@link Conv2DTransposeOp} for the maths.
 */
public final class Conv2DTranspose extends Layer {
    private final int strideH;
    private final int strideW;
    private final String padding;
    private final int[] dilation;
    private final int[] outputPadding;
    private final String activation;
    private final Parameter kernel;
    private final Parameter bias;

    public Conv2DTranspose(String name, int inChannels, int filters, int kernelH, int kernelW, int strideH,
            int strideW, String padding, boolean useBias, String activation) {
        this(name, inChannels, filters, kernelH, kernelW, strideH, strideW, padding, new int[] {1, 1},
                new int[] {Conv2DTransposeOp.NO_OUTPUT_PADDING, Conv2DTransposeOp.NO_OUTPUT_PADDING}, useBias,
                activation);
    }

    /**
     * @param dilation the kernel taps' spacing (height, width)
     * @param outputPadding Keras' {@code output_padding} (height, width), each below its stride, or
     *     {@link Conv2DTransposeOp#NO_OUTPUT_PADDING}
     */
    public Conv2DTranspose(String name, int inChannels, int filters, int kernelH, int kernelW, int strideH,
            int strideW, String padding, int[] dilation, int[] outputPadding, boolean useBias, String activation) {
        super(name, "conv2d_transpose");
        if (dilation.length != 2 || outputPadding.length != 2) {
            throw new IllegalArgumentException("Conv2DTranspose '" + name() + "': dilation and output padding take"
                    + " (height, width), got " + java.util.Arrays.toString(dilation) + " and "
                    + java.util.Arrays.toString(outputPadding));
        }
        new Conv2DTransposeOp(strideH, strideW, padding, dilation[0], dilation[1], outputPadding[0],
                outputPadding[1]);                                  // refuses a bad geometry when built
        this.dilation = dilation.clone();
        this.outputPadding = outputPadding.clone();
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
                strideW, padding, dilation[0], dilation[1], outputPadding[0], outputPadding[1]);
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
        config.put("dilation_rate", dilation.clone());
        if (outputPadding[0] != Conv2DTransposeOp.NO_OUTPUT_PADDING) {
            config.put("output_padding", outputPadding.clone());
        }
        config.put("use_bias", bias != null);
        config.put("activation", activation);
        return config;
    }
}
