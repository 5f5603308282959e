package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flattens every dimension but the batch: [batch, d1, d2, ...] → [batch, d1·d2·...].
 *
 * <p>The order of the flattened features matters as soon as a Dense layer follows, because its kernel rows are
 * matched to them. {@link Order#ROW_MAJOR} keeps the tensor's own order (PyTorch's {@code x.view(n, -1)} on NCHW
 * data: index c·H·W + h·W + w; and Keras' Flatten on NHWC data). {@link Order#CHANNELS_LAST} takes NCHW data and
 * flattens it as Keras would have flattened the same data held NHWC (index h·W·C + w·C + c), which is what a
 * Keras model run on NCHW tensors needs.
 */
public final class Flatten extends Layer {
    /** The order of the flattened features. */
    public enum Order { ROW_MAJOR, CHANNELS_LAST }

    private final Order order;

    public Flatten(String name) {
        this(name, Order.ROW_MAJOR);
    }

    public Flatten(String name, Order order) {
        super(name, "flatten");
        this.order = order;
    }

    @Override
    protected Tensor forward(Tensor x) {
        int batch = x.dim(0);
        if (order == Order.CHANNELS_LAST && x.rank() == 4) {
            return x.permute(0, 2, 3, 1).reshape(batch, -1);
        }
        return x.reshape(batch, -1);
    }

    public Order order() {
        return order;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("order", order.name().toLowerCase(java.util.Locale.ROOT));
        return config;
    }
}
