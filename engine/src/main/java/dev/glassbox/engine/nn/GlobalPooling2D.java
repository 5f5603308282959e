package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.ShapeException;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Global average or max pooling over the spatial axes: [batch, channels, height, width] → [batch, channels].
 * The average is a mean over axes 2 and 3; the max takes the first maximum of each flattened map.
 */
public final class GlobalPooling2D extends Layer {
    /** Which statistic of each feature map to keep. */
    public enum Kind { AVERAGE, MAX }

    private final Kind kind;

    public GlobalPooling2D(String name, Kind kind) {
        super(name, kind == Kind.AVERAGE ? "global_average_pooling2d" : "global_max_pooling2d");
        this.kind = kind;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new ShapeException(type() + " '" + name() + "' expects input [batch, channels, height, width] but"
                    + " got shape " + Shapes.toString(x.shape()), x.shape());
        }
        if (kind == Kind.AVERAGE) {
            return x.mean(false, 2, 3);
        }
        return x.reshape(x.dim(0), x.dim(1), -1).max(2, false);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String type() {
        return kind == Kind.AVERAGE ? "GlobalAveragePooling2D" : "GlobalMaxPooling2D";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        return config;
    }
}
