package dev.glassbox.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class RecorderTest {
    private static final Dataset DIGITS = Mnist.test().first(6);

    /** Runs the layers one by one, keeping every output's gradient: the reference a recorder must reproduce. */
    private static List<Tensor> directOutputs(Model model, Tensor input, BiFunction<Tensor, int[], Tensor> loss) {
        List<Tensor> outputs = new ArrayList<>();
        Tensor x = input;
        for (Layer layer : model.layers()) {
            x = layer.call(x);
            x.retainGrad();
            outputs.add(x);
        }
        loss.apply(x, DIGITS.labels()).backward();
        return outputs;
    }

    private static void recorderMatchesDirectCalls(Model model, BiFunction<Tensor, int[], Tensor> loss) {
        Tensor input = DIGITS.inputs().copy().requiresGrad(true);
        List<Tensor> direct = directOutputs(model, input, loss);
        List<Tensor> directParameterGrads = model.parameters().stream().map(p -> p.grad().copy()).toList();
        model.parameters().forEach(p -> p.value().zeroGrad());

        Recordings recordings = new Recordings();
        try (Recorder ignored = Recorder.attach(model, recordings)) {
            loss.apply(model.forward(DIGITS.inputs().copy()), DIGITS.labels()).backward();
        }
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            String name = layers.get(i).name();
            assertArrayEquals(direct.get(i).data(), Recordings.last(recordings.activations(name)).data(), name);
            assertArrayEquals(direct.get(i).grad().data(), Recordings.last(recordings.outputGradients(name)).data(),
                    name + " output gradient");
        }
        List<Parameter> parameters = model.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).fullName();
            assertArrayEquals(directParameterGrads.get(i).data(),
                    Recordings.last(recordings.parameterGradients(name)).data(), name);
        }
        assertArrayEquals(input.grad().data(), Recordings.last(recordings.inputGradients()).data(), "input gradient");
        layers.forEach(l -> assertFalse(l.hasHooks(), l + " still has hooks"));
    }

    @Test
    void recordingsOfTheSeedMlpEqualDirectForwardAndBackward() {
        recorderMatchesDirectCalls(SeedModels.mlp(3), (out, labels) ->
                Losses.categoricalCrossEntropy(out, Losses.oneHot(labels, 10)));
    }

    @Test
    void recordingsOfTheSeedCnnEqualDirectForwardAndBackward() {
        recorderMatchesDirectCalls(SeedModels.cnn(3), Losses::nll);
    }

    @Test
    void closingTheRecorderTwiceLeavesNoHookAndIsHarmless() {
        Model model = SeedModels.mlp(1);
        Recorder recorder = Recorder.attach(model, new Recordings());
        assertTrue(model.layers().stream().allMatch(Layer::hasHooks));
        recorder.close();
        recorder.close();
        model.layers().forEach(l -> assertFalse(l.hasHooks(), l + " still has hooks"));
    }

    @Test
    void chosenLayersAreTheOnlyOnesRecordedAndStepsCountForwardPasses() {
        Model model = SeedModels.mlp(1);
        Recordings recordings = new Recordings();
        try (Recorder recorder = Recorder.attach(model, List.of(model.layer("hidden2")), Recorder.Kinds.ACTIVATIONS,
                recordings)) {
            model.forward(DIGITS.inputs());
            model.forward(DIGITS.inputs());
            assertEquals(1, recorder.step());
        }
        assertEquals(List.of("hidden2"), recordings.layerNames());
        assertEquals(2, recordings.activations("hidden2").size());
        assertTrue(recordings.parameterNames().isEmpty());
    }

    @Test
    void aLayerOfAnotherModelIsRejectedWithItsName() {
        Model model = SeedModels.mlp(1);
        Layer stranger = SeedModels.cnn(1).layer("conv1");
        var error = assertThrows(IllegalArgumentException.class, () -> Recorder.attach(model, List.of(stranger),
                Recorder.Kinds.ALL, new Recordings()));
        assertTrue(error.getMessage().contains("conv1"), error.getMessage());
    }
}
