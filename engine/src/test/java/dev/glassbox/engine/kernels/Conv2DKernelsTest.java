package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.engine.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Conv2DKernelsTest {

    @Test
    void chunkingTheBatchDoesNotChangeAnyResult() {
        // 5 images, 2 groups, stride 2, padding 1: one GEMM per image, per 2 images (last chunk of 1), all at once.
        Case c = Case.grouped(17);
        Tensor x = c.x(), w = c.w(), gy = c.gy();
        Tensor[] reference = run(new Conv2DKernels.Shape(5, 4, 6, 2, c.window(), 5), x, w, gy);
        for (int chunk : new int[] {1, 2, 3}) {
            Tensor[] chunked = run(new Conv2DKernels.Shape(5, 4, 6, 2, c.window(), chunk), x, w, gy);
            for (int i = 0; i < reference.length; i++) {
                Fixtures.assertClose("chunk " + chunk + " result " + i, reference[i], chunked[i], 1e-6);
            }
        }
    }

    @Test
    void columnsKeptByForwardGiveTheSameGradientsBitForBit() {
        // 2 groups, stride 2, padding 1, a last chunk of one image: every slot of the kept columns is used.
        Case c = Case.grouped(23);
        Tensor x = c.x(), w = c.w(), gy = c.gy();
        Conv2DKernels.Shape s = new Conv2DKernels.Shape(5, 4, 6, 2, c.window(), 2);
        Tensor[] lowered = run(s, x, w, gy);
        float[][] kept = new float[Conv2DKernels.columnSlots(s)][];
        float[] y = new float[gy.size()];
        float[] gx = new float[x.size()];
        float[] gw = new float[w.size()];
        Conv2DKernels.forward(s, x.data(), w.data(), y, kept);
        assertEquals(3 * 2, kept.length);
        for (float[] columns : kept) {
            assertNotNull(columns);
        }
        Conv2DKernels.backward(s, x.data(), w.data(), gy.data(), gx, gw, kept);
        assertArrayEquals(lowered[0].data(), y);
        assertArrayEquals(lowered[1].data(), gx);
        assertArrayEquals(lowered[2].data(), gw);
    }

    @Test
    void theDefaultChunkGathersAboutTargetColumnsWithinTheBudget() {
        // conv2 of the seed CNN: 8x8 = 64 positions per image, so 512 / 64 = 8 images per GEMM.
        Window2D small = new Window2D(12, 12, 5, 5, 1, 1, 0, 0, 1, 1, 8, 8);
        assertEquals(Conv2DKernels.TARGET_COLUMNS / 64, Conv2DKernels.Shape.of(64, 20, 50, 1, small).chunk());
        assertEquals(3, Conv2DKernels.Shape.of(3, 20, 50, 1, small).chunk());
        // conv1: 24x24 = 576 positions, already wide: one image per GEMM.
        Window2D wide = new Window2D(28, 28, 5, 5, 1, 1, 0, 0, 1, 1, 24, 24);
        assertEquals(1, Conv2DKernels.Shape.of(64, 1, 20, 1, wide).chunk());
        // A huge K (here 2000·9·1 floats per image) is held to the column budget, at least one image.
        Window2D tall = new Window2D(3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        long perImage = 2000L * 9;
        assertEquals(Math.min(Conv2DKernels.TARGET_COLUMNS, Conv2DKernels.MAX_COLUMN_FLOATS / perImage),
                Conv2DKernels.Shape.of(10_000, 2000, 10, 1, tall).chunk());
    }

    /** A grouped, strided, padded convolution of 5 images with random input, weights and output gradient. */
    private record Case(Window2D window, Tensor x, Tensor w, Tensor gy) {
        static Case grouped(long seed) {
            var random = new SplittableRandom(seed);
            return new Case(new Window2D(7, 6, 3, 2, 2, 1, 1, 0, 1, 1, 4, 5), Tensors.randn(random, 5, 4, 7, 6),
                    Tensors.randn(random, 6, 2, 3, 2), Tensors.randn(random, 5, 6, 4, 5));
        }
    }

    private static Tensor[] run(Conv2DKernels.Shape s, Tensor x, Tensor w, Tensor gy) {
        float[] y = new float[gy.size()];
        float[] gx = new float[x.size()];
        float[] gw = new float[w.size()];
        Conv2DKernels.forward(s, x.data(), w.data(), y);
        Conv2DKernels.backward(s, x.data(), w.data(), gy.data(), gx, gw);
        return new Tensor[] {new Tensor(y, gy.shape()), new Tensor(gx, x.shape()), new Tensor(gw, w.shape())};
    }
}
