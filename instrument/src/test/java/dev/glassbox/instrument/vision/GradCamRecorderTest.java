package dev.glassbox.instrument.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.KerasImporter;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Fixtures;
import dev.glassbox.instrument.Recorder;
import dev.glassbox.instrument.Recordings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Grad-CAM's channel weights and coarse map, recomputed from what the instrumentation's recorders capture (the
 * layer's activation and the gradient arriving at it), on a Keras model imported from the shared fixtures and on
 * a native model.
 */
class GradCamRecorderTest {

    @Test
    void gradCamAgreesWithRecordedActivationsAndGradientsOnAKerasModel() throws Exception {
        check(KerasImporter.load(Fixtures.fixture("mnist_cnn_k224.h5")));
    }

    @Test
    void gradCamAgreesWithRecordedActivationsAndGradientsOnANativeModel() {
        check(SeedModels.cnn(4));
    }

    private static void check(Model model) {
        Tensor image = Mnist.test().first(1).inputs();                     // [1, 1, 28, 28], engine layout
        Layer layer = ClassActivation.lastConvLayer(model);
        ClassActivation.Result cam = ClassActivation.gradCam(model, image, layer, -1);

        Recordings recordings = new Recordings();
        try (Recorder ignored = Recorder.attach(model, List.of(layer), new Recorder.Kinds(true, true, false),
                recordings)) {
            Tensor output = model.forward(Forward.input(model, image));
            Tensor seed = Tensors.zeros(output.shape());
            seed.data()[cam.classIndex()] = 1f;
            output.backward(seed);
        }
        Tensor a = Recordings.last(recordings.activations(layer.name()));
        Tensor g = Recordings.last(recordings.outputGradients(layer.name()));
        int channels = a.dim(1);
        int plane = a.dim(2) * a.dim(3);
        float[] weights = new float[channels];
        float[] coarse = new float[plane];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < plane; i++) {
                sum += g.data()[c * plane + i];
            }
            weights[c] = (float) (sum / plane);
        }
        for (int i = 0; i < plane; i++) {
            double v = 0;
            for (int c = 0; c < channels; c++) {
                v += weights[c] * a.data()[c * plane + i];
            }
            coarse[i] = (float) Math.max(0, v);
        }
        assertArrayEquals(weights, cam.channelWeights().data(), 1e-6f, "channel weights of " + layer.name());
        assertArrayEquals(coarse, cam.coarseMap().data(), 1e-5f, "coarse map of " + layer.name());
        assertEquals(image.dim(2), cam.map().dim(0));
    }
}
