package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The two ways of packing a transposed B panel, and the timing that chooses between them. */
class PackingChoiceTest {

    @Test
    void gathersAndTheInterleavePackTheSamePanel() {
        assumeTrue(Blas.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        int width = VectorSgemm.panelWidth();
        SplittableRandom random = new SplittableRandom(5);
        for (int[] shape : new int[][] {{256, 300, 7}, {1, 40, 0}, {37, 4096, 123}, {255, 255, 0}}) {
            int length = shape[0];
            int ld = shape[1];
            int from = shape[2];
            float[] src = source(random, from, width, ld, length);
            float[] expected = new float[3 + length * width];
            for (int l = 0; l < length; l++) {
                for (int q = 0; q < width; q++) {
                    expected[3 + l * width + q] = src[from + q * ld + l];        // the definition
                }
            }
            float[] gathered = new float[expected.length];
            float[] interleaved = new float[expected.length];
            VectorSgemm.packTransposedPanel(false, src, from, ld, length, gathered, 3);
            VectorSgemm.packTransposedPanel(true, src, from, ld, length, interleaved, 3);
            assertArrayEquals(expected, gathered, "gathers, length " + length + ", ld " + ld);
            assertArrayEquals(expected, interleaved, "interleave, length " + length + ", ld " + ld);
        }
    }

    @Test
    void theWayThatTookFewerNanosecondsAValueIsChosenAfterTheTrials() {
        for (int faster : new int[] {VectorSgemm.PackingChoice.FIRST, VectorSgemm.PackingChoice.SECOND}) {
            VectorSgemm.PackingChoice choice = new VectorSgemm.PackingChoice();
            for (int call = 0; call < VectorSgemm.PackingChoice.WARM_UP; call++) {
                assertEquals(call & 1, choice.next(), "warm-up call " + call + " takes the ways by turns");
            }
            for (int call = 0; call < VectorSgemm.PackingChoice.TRIALS; call++) {
                int way = choice.next();
                assertEquals(VectorSgemm.PackingChoice.TIME_FIRST + (call & 1), way, "trial " + call);
                boolean fast = way - VectorSgemm.PackingChoice.TIME_FIRST == faster;
                // the slower way packs more values a call, but takes more time a value
                choice.timed(way, fast ? 1_000 : 3_000, fast ? 1_000 : 2_000);
                assertEquals(-1, choice.chosen());
            }
            assertEquals(faster, choice.next());
            assertEquals(faster, choice.chosen());
            assertEquals(faster, choice.next(), "and it stays");
        }
    }

    /** Random values for {@code rows} rows of {@code length} values, {@code ld} apart from {@code from}, and more. */
    private static float[] source(SplittableRandom random, int from, int rows, int ld, int length) {
        float[] src = new float[from + (rows - 1) * ld + length + 16];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) random.nextGaussian();
        }
        return src;
    }
}
