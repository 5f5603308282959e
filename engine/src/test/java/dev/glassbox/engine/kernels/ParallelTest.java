package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {

    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void everyIndexIsVisitedExactlyOnceForAnyThreadCount() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 2, 7, 100}) {
                for (int minChunk : new int[] {1, 3, 1000}) {
                    var visits = new AtomicIntegerArray(n);
                    Parallel.forRange(n, minChunk, (lo, hi) -> {
                        for (int i = lo; i < hi; i++) {
                            visits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, visits.get(i), "index " + i + " of " + n + " with " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void rangesAreFixedContiguousAndSpreadOverThreads() {
        Parallel.setThreads(2);
        Set<String> ranges = ConcurrentHashMap.newKeySet();
        Set<String> threadNames = ConcurrentHashMap.newKeySet();
        for (int repeat = 0; repeat < 20; repeat++) {
            Parallel.forRange(10, 1, (lo, hi) -> {
                ranges.add(lo + ".." + hi);
                threadNames.add(Thread.currentThread().getName());
            });
        }
        assertEquals(Set.of("0..5", "5..10"), ranges);
        assertEquals(2, threadNames.size());
    }

    @Test
    void nestedCallsRunInlineWithoutDeadlock() {
        Parallel.setThreads(2);
        var visits = new AtomicIntegerArray(8 * 8);
        Parallel.forRange(8, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int row = i;
                String outerThread = Thread.currentThread().getName();
                Parallel.forRange(8, 1, (innerLo, innerHi) -> {
                    assertEquals(outerThread, Thread.currentThread().getName());
                    for (int j = innerLo; j < innerHi; j++) {
                        visits.incrementAndGet(row * 8 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 64; i++) {
            assertEquals(1, visits.get(i));
        }
    }

    @Test
    void aFailingBodyIsRethrownToTheCaller() {
        Parallel.setThreads(2);
        var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(10, 1, (lo, hi) -> {
            if (lo > 0) {
                throw new IllegalStateException("range " + lo);
            }
        }));
        assertEquals("range 5", e.getMessage());
    }

    @Test
    void nonPositiveThreadCountIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }
}
