package dev.glassbox.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.nn.Initializers;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DeepNetStudyTest {

    /** The fixture's model: its own weights and input, the activation named by the group's attribute. */
    @ParameterizedTest
    @ValueSource(strings = {"std200", "std1", "glorot", "relu_std200", "sigmoid_std200"})
    void perLayerStatisticsAgreeWithTheDeepTanhFixture(String group) {
        try (Fixtures f = Fixtures.open("deep_tanh.h5")) {
            String activation = f.attribute(group, "activation_layers_2_to_10").toString();
            Model model = SeedModels.deep(activation, Initializers.zeros(), 0);
            for (Layer layer : model.layers()) {
                String prefix = group + "/weights/" + layer.name() + "/";
                layer.setWeights(List.of(f.tensor(prefix + "kernel"), f.tensor(prefix + "bias")));
            }
            Tensor x = f.tensor(group + "/x");
            Recordings recordings = new Recordings();
            DeepNetStudy.Result result;
            try (Recorder ignored = Recorder.attach(model, recordings)) {
                result = DeepNetStudy.run(model, x, DeepNetStudy.Objective.OUTPUT, null, activation, Double.NaN);
            }
            Fixtures.assertClose(group + "/mean_abs_grad", f.tensor(group + "/mean_abs_grad"),
                    asTensor(result.meanAbsGradient()));
            Fixtures.assertClose(group + "/mean_abs_act", f.tensor(group + "/mean_abs_act"),
                    asTensor(result.meanAbsActivation()));
            Fixtures.assertClose(group + "/output", f.tensor(group + "/output"),
                    new Tensor(new float[] {(float) result.objective()}, 1, 1));
            for (Layer layer : model.layers()) {
                Fixtures.assertClose(group + "/activations/" + layer.name(),
                        f.tensor(group + "/activations/" + layer.name()),
                        Recordings.last(recordings.activations(layer.name())));
                Fixtures.assertClose(group + "/grads/" + layer.name() + "/kernel",
                        f.tensor(group + "/grads/" + layer.name() + "/kernel"),
                        Recordings.last(recordings.parameterGradients(layer.name() + ".kernel")));
            }
            // The output layer is linear, so dy/dW11 is h10 transposed, bit for bit.
            Tensor h10 = Recordings.last(recordings.activations("dense_10"));
            Fixtures.assertExact("dW11 = h10ᵀ", new Tensor(h10.data(), h10.dim(1), 1),
                    Recordings.last(recordings.parameterGradients("dense_11.kernel")));
        }
    }

    private static Tensor asTensor(double[] values) {
        float[] data = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (float) values[i];
        }
        return new Tensor(data, values.length);
    }

    @Test
    void theGridShowsVanishingSaturatedAndExplodingRegimes() {
        List<DeepNetStudy.Result> grid = DeepNetStudy.grid(3, DeepNetStudy.Objective.MSE);
        assertEquals(DeepNetStudy.ACTIVATIONS.size() * DeepNetStudy.STDS.size(), grid.size());
        DeepNetStudy.Result tanhSmall = grid.get(0);
        DeepNetStudy.Result tanhHuge = grid.get(3);
        DeepNetStudy.Result reluHuge = grid.get(11);
        assertEquals(0.01, tanhSmall.std());
        assertTrue(tanhSmall.meanAbsActivation()[9] < 1e-6, "tanh std 0.01: activations vanish");
        assertEquals(0.0, tanhHuge.meanAbsGradient()[0], "tanh std 200: saturated, dense_1 gets no gradient");
        assertTrue(tanhHuge.meanAbsActivation()[5] > 0.99, "tanh std 200: |h| ≈ 1");
        assertTrue(reluHuge.meanAbsActivation()[9] > 1e15, "relu std 200: activations explode");
    }
}
