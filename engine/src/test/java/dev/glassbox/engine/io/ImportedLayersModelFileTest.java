package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.BoundedRelu;
import dev.glassbox.engine.nn.ChannelsLastReshape;
import dev.glassbox.engine.nn.Conv2DTranspose;
import dev.glassbox.engine.nn.Embedding;
import dev.glassbox.engine.nn.Cropping2D;
import dev.glassbox.engine.nn.UpSampling2D;
import dev.glassbox.engine.nn.Rescaling;
import dev.glassbox.engine.nn.Flatten;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.nn.SeparableConv2D;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layers that came with the importers survive a save and load in the Glassbox format, bit for bit. */
class ImportedLayersModelFileTest {
    @TempDir Path dir;

    @Test
    void convolutionLayersRoundTripBitwise() throws Exception {
        Sequential model = new Sequential("convs",
                new Conv2DTranspose("up", 2, 3, 3, 3, 2, 2, "same", true, "relu"),
                new SeparableConv2D("sep", 3, 2, 4, 3, 3, 1, 1, "same", true, "linear"),
                new BoundedRelu("relu6", 6, 0.1f, 0),
                new ChannelsLastReshape("r", 16, 8, 2),
                new Flatten("flat"));
        roundTrip(model, Tensors.randn(new Random(1), 2, 2, 4, 4));
    }

    @Test
    void resamplingLayersRoundTripBitwise() throws Exception {
        Sequential model = new Sequential("resampling",
                new Rescaling("scale", 1 / 255f, -0.5f),
                new UpSampling2D("up", 2, 3),
                new Cropping2D("crop", 1, 0, 2, 1),
                new Conv2DTranspose("deconv", 2, 2, 3, 3, 2, 2, "same", new int[] {1, 1}, new int[] {1, 0}, true,
                        "linear"),
                new Flatten("flat"));
        roundTrip(model, Tensors.randn(new Random(3), 2, 2, 3, 3));
    }

    @Test
    void embeddingRoundTripsBitwise() throws Exception {
        roundTrip(new Sequential("emb", new Embedding("e", 5, 3), new Flatten("flat")),
                new Tensor(new float[] {4, 0, 2, 2}, 2, 2));
    }

    private void roundTrip(Model model, Tensor x) throws Exception {
        Random random = new Random(2);
        for (Parameter p : model.parameters()) {
            p.set(Tensors.randn(random, p.value().shape()));
        }
        model.eval();
        Path file = dir.resolve(model.name() + ".safetensors");
        ModelFile.save(model, file);
        Model loaded = ModelFile.load(file);
        loaded.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            assertArrayEquals(model.forward(x).data(), loaded.forward(x).data());
        }
    }
}
