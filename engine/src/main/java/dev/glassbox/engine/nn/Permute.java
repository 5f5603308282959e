package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reorders the dimensions of each example, keeping the batch first (Keras' {@code Permute}, whose dims count from
 * 1 after the batch). {@code new Permute("to_nchw", 3, 1, 2)} turns NHWC images into NCHW.
 */
public final class Permute extends Layer {
    private final int[] dims;

    public Permute(String name, int... dims) {
        super(name, "permute");
        boolean[] seen = new boolean[dims.length + 1];
        for (int d : dims) {
            if (d < 1 || d > dims.length || seen[d]) {
                throw new IllegalArgumentException("Permute '" + name() + "': dims " + java.util.Arrays.toString(dims)
                        + " must be a permutation of 1.." + dims.length);
            }
            seen[d] = true;
        }
        this.dims = dims.clone();
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.rank() != dims.length + 1) {
            throw new IllegalArgumentException("Permute '" + name() + "' expects rank " + (dims.length + 1)
                    + " input, got shape " + java.util.Arrays.toString(x.shape()));
        }
        int[] order = new int[dims.length + 1];
        for (int i = 0; i < dims.length; i++) {
            order[i + 1] = dims[i];
        }
        return x.permute(order);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("dims", dims.clone());
        return config;
    }
}
