package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Model files written by h5py the way Keras writes them ({@code keras/make_h5py_models.py} beside the test
 * resources), so the HDF5 encodings are h5py's own (variable-length and fixed-length string attributes, new-style
 * groups, an in-memory weights file inside the zip) rather than a Java writer's, each checked against the model's
 * output computed in numpy.
 */
class KerasH5pyFilesTest {
    /** A file of the {@code keras/} test resources (files written by h5py and Keras themselves). */
    static Path resource(String name) throws Exception {
        return Path.of(KerasH5pyFilesTest.class.getResource("keras/" + name).toURI());
    }

    private static void check(String name, Model model) throws Exception {
        try (NoGrad ignored = NoGrad.enter()) {
            Fixtures.assertClose(name, Npy.read(resource(name + "_y.npy")),
                    model.forward(Npy.read(resource(name + "_x.npy"))));
        }
    }

    @Test
    void keras3ArchiveWithANestedFunctionalModelMatchesNumpy() throws Exception {
        Model model = KerasImporter.load(resource("keras3_nested.keras"));
        assertTrue(model.layers().stream().anyMatch(l -> l.name().equals("backbone.norm")),
                model.layers().toString());
        assertArrayEquals(new int[] {4}, model.inputShape());
        check("keras3_nested", model);
    }

    @Test
    void keras2ModelWithChunkedWeightNamesAndOptimizerWeightsMatchesNumpy() throws Exception {
        check("keras2_chunked", KerasImporter.load(resource("keras2_chunked.h5")));
    }
}
