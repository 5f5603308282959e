package dev.glassbox.instrument.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningStatsTest {

    @Test
    void smallKnownAnswer() {
        // values 0, 1, 2, 3 and a NaN: mean 1.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
        RunningStats stats = new RunningStats(0, 4, 4);
        stats.add(new float[] {0, 1, Float.NaN});
        stats.add(new float[] {2, 3, Float.POSITIVE_INFINITY});
        assertEquals(4, stats.count());
        assertEquals(1.5, stats.mean(), 1e-12);
        assertEquals(Math.sqrt(1.25), stats.std(), 1e-12);
        assertEquals(0.25, stats.zeroFraction());
        assertEquals(1, stats.nanCount());
        assertEquals(1, stats.infinityCount());
        assertArrayEquals(new long[] {1, 1, 1, 1}, stats.histogram());
    }

    @Test
    void meanAndStdStayAccurateFarFromZero() {
        // A naive Σx² − n·m² loses every digit here: float32 values near 1e4 with a spread of 1e-2.
        Random random = new Random(5);
        float[] values = new float[10_000];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = 10_000f + (float) (random.nextGaussian() * 0.01);
            sum += values[i];
        }
        double mean = sum / values.length;
        double squares = 0;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        RunningStats stats = new RunningStats();
        for (int from = 0; from < values.length; from += 999) {
            stats.add(values, from, Math.min(999, values.length - from));
        }
        assertEquals(mean, stats.mean(), 1e-9);
        assertEquals(Math.sqrt(squares / values.length), stats.std(), 1e-9);
    }

    @Test
    void mergingTwoHalvesEqualsAddingEverything() {
        Random random = new Random(7);
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 3 + 1;
        }
        RunningStats whole = new RunningStats(-10, 10, 20);
        whole.add(values);
        RunningStats left = new RunningStats(-10, 10, 20);
        RunningStats right = new RunningStats(-10, 10, 20);
        left.add(values, 0, 300);
        right.add(values, 300, 700);
        left.merge(right);
        assertEquals(whole.count(), left.count());
        assertEquals(whole.mean(), left.mean(), 1e-12);
        assertEquals(whole.std(), left.std(), 1e-12);
        assertEquals(whole.meanAbs(), left.meanAbs(), 1e-12);
        assertEquals(whole.min(), left.min());
        assertEquals(whole.max(), left.max());
        assertArrayEquals(whole.histogram(), left.histogram());
    }

    @Test
    void histogramsWithDifferentEdgesRefuseToMerge() {
        RunningStats a = new RunningStats(0, 1, 10);
        RunningStats b = new RunningStats(0, 2, 10);
        b.add(new float[] {0.5f});
        assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    }
}
