package dev.glassbox.engine.nn;

import dev.glassbox.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A stack of layers, each feeding the next: y = layer_n(… layer_1(x)). */
public final class Sequential extends Model {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        this("sequential_" + COUNTER.incrementAndGet(), layers);
    }

    public Sequential(String name, Layer... layers) {
        super(name);
        for (Layer layer : layers) {
            add(layer);
        }
    }

    /** Appends a layer; its name must be new to this model. */
    public Sequential add(Layer layer) {
        Set<String> names = new HashSet<>();
        for (Layer l : layers) {
            names.add(l.name());
        }
        if (!names.add(layer.name())) {
            throw new IllegalArgumentException("model '" + name() + "' already has a layer named '" + layer.name()
                    + "'; layer names must be unique within a model");
        }
        layers.add(layer);
        return this;
    }

    @Override
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Layer layer : layers) {
            x = layer.call(x);
        }
        return x;
    }
}
