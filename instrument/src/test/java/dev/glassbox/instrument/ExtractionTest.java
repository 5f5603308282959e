package dev.glassbox.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractionTest {

    @Test
    void batchedExtractionEqualsOneWholeForwardPassPerLayer(@TempDir Path dir) throws Exception {
        Model model = SeedModels.cnn(4);
        model.train();
        Dataset digits = Mnist.test().first(7);
        Map<String, Tensor> extracted = Extraction.extract(model, digits.inputs(), 3);

        Recordings whole = new Recordings();
        try (Recorder ignored = Recorder.attach(model, model.layers(), Recorder.Kinds.ACTIVATIONS, whole);
                NoGrad noGrad = NoGrad.enter()) {
            model.eval();
            model.forward(digits.inputs());
        }
        model.train();
        assertEquals(model.layers().stream().map(Layer::name).toList(), List.copyOf(extracted.keySet()));
        for (String name : extracted.keySet()) {
            Tensor expected = Recordings.last(whole.activations(name));
            assertArrayEquals(expected.shape(), extracted.get(name).shape(), name);
            assertArrayEquals(expected.data(), extracted.get(name).data(), 1e-5f, name);
        }
        model.layers().forEach(l -> assertFalse(l.hasHooks(), l + " still has hooks"));
        assertTrue(model.layers().stream().allMatch(Layer::isTraining), "training mode is restored");

        Extraction.writeNpy(extracted, dir);
        Tensor fc1 = Npy.read(dir.resolve("fc1.npy"));
        assertArrayEquals(new int[] {7, 500}, fc1.shape());
        assertArrayEquals(extracted.get("fc1").data(), fc1.data());
    }
}
