package dev.glassbox.engine.nn;

import static dev.glassbox.engine.testing.Fixtures.assertClose;
import static dev.glassbox.engine.testing.Fixtures.assertExact;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deep net of notebook 4 against deep_tanh.h5, at the level a learner uses it: the model built by
 * {@link SeedModels#deep}, weights set with setWeights, activations captured by forward hooks, and dy/dW read
 * from the parameters after one backward pass.
 */
class DeepNetFixtureTest {

    @Test
    void everyGroupMatchesActivationsGradientsAndStatistics() {
        int groups = 0;
        try (Fixtures file = Fixtures.open("deep_tanh.h5")) {
            for (Node node : ((Group) file.node("/")).getChildren().values()) {
                if (node instanceof Group group) {
                    checkGroup(file, group.getName());
                    groups++;
                }
            }
        }
        assertTrue(groups > 0, "deep_tanh.h5 holds no group");
    }

    private static void checkGroup(Fixtures file, String g) {
        String activation = String.valueOf(file.attribute(g, "activation_layers_2_to_10"));
        Sequential model = SeedModels.deep(activation, Initializers.zeros(), 0);
        int layers = model.layers().size();
        for (Layer layer : model.layers()) {
            String w = g + "/weights/" + layer.name();
            layer.setWeights(List.of(file.tensor(w + "/kernel"), file.tensor(w + "/bias")));
        }
        Map<String, Tensor> activations = new HashMap<>();
        model.layers().forEach(l -> l.registerForwardHook((layer, in, out) -> activations.put(layer.name(), out)));
        Tensor y = model.forward(file.tensor(g + "/x"));
        assertClose(g + "/output", file.tensor(g + "/output"), y);
        y.backward();

        float[] meanAbsAct = new float[layers];
        float[] meanAbsGrad = new float[layers];
        for (int k = 0; k < layers; k++) {
            Dense dense = (Dense) model.layers().get(k);
            String name = dense.name();
            assertClose(g + "/activations/" + name, file.tensor(g + "/activations/" + name), activations.get(name));
            assertClose(g + "/grads/" + name + "/kernel", file.tensor(g + "/grads/" + name + "/kernel"),
                    dense.kernel().grad());
            assertClose(g + "/grads/" + name + "/bias", file.tensor(g + "/grads/" + name + "/bias"),
                    dense.bias().grad());
            meanAbsAct[k] = activations.get(name).abs().mean().item();
            meanAbsGrad[k] = dense.kernel().grad().abs().mean().item();
        }
        assertClose(g + "/mean_abs_act", file.tensor(g + "/mean_abs_act"), new Tensor(meanAbsAct, layers));
        assertClose(g + "/mean_abs_grad", file.tensor(g + "/mean_abs_grad"), new Tensor(meanAbsGrad, layers));
        // The output layer is linear, so its kernel gradient is exactly the previous activation, transposed.
        Dense last = (Dense) model.layers().get(layers - 1);
        Tensor previous = activations.get(model.layers().get(layers - 2).name());
        assertExact(g + ": dW of the linear output = h transposed", previous.t(), last.kernel().grad());
    }
}
