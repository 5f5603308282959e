package dev.glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.kernels.Sgemm;
import org.junit.jupiter.api.Test;

/** The benchmark plumbing: names resolve to working backends, shapes count flops, the peak kernel computes. */
class GemmBackendsTest {

    @Test
    void everyBenchmarkNameGivesAWorkingBackend() {
        for (String name : GemmBackends.NAMES) {
            Sgemm sgemm = GemmBackends.create(name);
            float[] c = new float[1];
            sgemm.sgemm(false, false, 1, 1, 2, 1f, new float[] {2f, 3f}, 0, 2, new float[] {4f, 5f}, 0, 1,
                    0f, c, 0, 1);
            assertArrayEquals(new float[] {23f}, c, name);      // 2·4 + 3·5
        }
        assertThrows(IllegalArgumentException.class, () -> GemmBackends.create("mkl"));
    }

    @Test
    void shapesCountTwoFlopsPerMultiplyAdd() {
        assertEquals(2.0 * 20 * 25 * 64 * 24 * 24, GemmShape.CONV1_WEIGHT_GRAD.flops());
        assertEquals(GemmShape.CONV1_WEIGHT_GRAD.k, GemmShape.CONV1_WEIGHT_GRAD.ldb());  // B stored n × k
    }

    @Test
    void fmaChainsStayFinite() {
        float value = FmaPeak.chains(1000, 0.999999f, 1e-7f);
        assertTrue(Float.isFinite(value) && value > 0, "chains returned " + value);
    }
}
