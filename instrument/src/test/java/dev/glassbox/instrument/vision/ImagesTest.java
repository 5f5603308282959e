package dev.glassbox.instrument.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link Images#read} takes an .npy file as one image, and what it refuses. */
class ImagesTest {

    @Test
    void aGreyArrayIsOneChannelAndPixelsAbove1AreScaledFrom255(@TempDir Path dir) throws IOException {
        float[] pixels = new float[28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 256;
        }
        Path file = dir.resolve("digit.npy");
        Npy.write(file, new Tensor(pixels, 28, 28));
        Tensor image = Images.read(file, 1, 28, 28);
        assertArrayEquals(new int[] {1, 28, 28}, image.shape());
        assertEquals(255f / 255f, image.data()[255], 0f);
        assertEquals(7f / 255f, image.data()[7], 1e-7f);
    }

    @Test
    void aColourArrayIsMadeGreyByItsLumaAndHeightWidthChannelsIsTransposed(@TempDir Path dir) throws IOException {
        float[] hwc = new float[6 * 5 * 3];
        for (int pixel = 0; pixel < 30; pixel++) {
            hwc[3 * pixel] = 0.5f;                            // red
            hwc[3 * pixel + 1] = 0.25f;                       // green
            hwc[3 * pixel + 2] = 1f;                          // blue
        }
        Path file = dir.resolve("colour.npy");
        Npy.write(file, new Tensor(hwc, 6, 5, 3));
        Tensor grey = Images.read(file, 1, 6, 5);
        assertArrayEquals(new int[] {1, 6, 5}, grey.shape());
        for (float v : grey.data()) {
            assertEquals(0.299f * 0.5f + 0.587f * 0.25f + 0.114f * 1f, v, 1e-6f);
        }
        Tensor rgb = Images.read(file, 3, 6, 5);
        assertEquals(0.25f, rgb.data()[30 + 7], 0f);          // channel 1 (green) of pixel 7
    }

    @Test
    void rowsOfFlattenedImagesAreRefusedWithTheShapeAndAHint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("batch.npy");
        Npy.write(file, new Tensor(new float[5 * 784], 5, 784));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Images.read(file, 1, 28, 28));
        assertTrue(e.getMessage().contains("batch.npy") && e.getMessage().contains("[5, 784]")
                && e.getMessage().contains("[28, 28]"), e.getMessage());
        Path one = dir.resolve("one-row.npy");
        Npy.write(one, new Tensor(new float[784], 1, 784));
        assertThrows(IllegalArgumentException.class, () -> Images.read(one, 1, 28, 28));
    }

    @Test
    void aStackOfImagesIsNotMixedIntoOneGreyImage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("stack.npy");
        Npy.write(file, new Tensor(new float[5 * 28 * 28], 5, 28, 28));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Images.read(file, 1, 28, 28));
        assertTrue(e.getMessage().contains("5 channels") && e.getMessage().contains("5 images"), e.getMessage());
    }
}
