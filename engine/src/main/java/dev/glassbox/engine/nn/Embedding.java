package dev.glassbox.engine.nn;

import dev.glassbox.engine.ops.EmbeddingOp;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lookup table of learned vectors (Keras' and PyTorch's {@code Embedding}): input [batch, ...] of whole numbers
 * in [0, rows) → [batch, ..., dims], row i of the {@code embeddings} table [rows, dims] for index i. The indices
 * arrive as a float tensor (the engine's one type) and are not differentiable.
 */
public final class Embedding extends Layer {
    private final Parameter embeddings;

    public Embedding(String name, int rows, int dims) {
        super(name, "embedding");
        if (rows <= 0 || dims <= 0) {
            throw new IllegalArgumentException("Embedding '" + name() + "': rows and dims must be positive");
        }
        this.embeddings = addParameter("embeddings", Tensors.zeros(rows, dims));
    }

    @Override
    protected Tensor forward(Tensor indices) {
        try {
            return EmbeddingOp.embed(indices, embeddings.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Embedding '" + name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("input_dim", embeddings.value().dim(0));
        config.put("output_dim", embeddings.value().dim(1));
        return config;
    }
}
