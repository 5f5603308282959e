package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nearest-neighbour upsampling (Keras' {@code UpSampling2D} with {@code interpolation="nearest"}): every value of
 * [N, C, H, W] becomes a sizeH × sizeW block of [N, C, H·sizeH, W·sizeW]. Built from a reshape to
 * [N, C, H, 1, W, 1] and a broadcast product with ones [sizeH, 1, sizeW], so the gradient is the broadcast's: each
 * block's gradients summed.
 */
public final class UpSampling2D extends Layer {
    private final int sizeH;
    private final int sizeW;
    private final Tensor block;

    public UpSampling2D(String name, int sizeH, int sizeW) {
        super(name, "up_sampling2d");
        if (sizeH < 1 || sizeW < 1) {
            throw new IllegalArgumentException("UpSampling2D '" + name() + "': sizes must be >= 1, got " + sizeH
                    + "x" + sizeW);
        }
        this.sizeH = sizeH;
        this.sizeW = sizeW;
        this.block = Tensors.ones(sizeH, 1, sizeW);
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("UpSampling2D '" + name() + "' expects [batch, channels, height,"
                    + " width], got rank " + x.rank());
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        return x.reshape(n, c, h, 1, w, 1).mul(block).reshape(n, c, h * sizeH, w * sizeW);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("size", new int[] {sizeH, sizeW});
        return config;
    }
}
