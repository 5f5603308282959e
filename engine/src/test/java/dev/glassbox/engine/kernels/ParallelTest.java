package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void laneRunsEveryPieceOnceInOrderNeverTwoAtOnce() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            Parallel.Lane lane = new Parallel.Lane();
            List<Integer> order = new ArrayList<>();            // written only by pieces: the lane orders them
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            for (int i = 0; i < 2000; i++) {
                int index = i;
                lane.submit(() -> {
                    if (concurrent.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    order.add(index);
                    concurrent.decrementAndGet();
                });
                if (i % 500 == 499) {
                    lane.drain();
                }
            }
            lane.drain();
            assertEquals(2000, order.size(), threads + " threads");
            for (int i = 0; i < order.size(); i++) {
                assertEquals(i, order.get(i), "piece at position " + i + ", " + threads + " threads");
            }
            assertEquals(0, overlaps.get(), "pieces ran at the same time, " + threads + " threads");
            assertTrue(lane.isEmpty());
        }
    }

    /**
     * Groups of an ordered opening piece, independent pieces and an ordered closing piece, as a pass over a tensor
     * is queued: an ordered piece never runs beside another piece, the independent ones start after their opening
     * piece and all finish before their closing piece, and every piece sees what the pieces before it wrote.
     */
    @Test
    void laneKeepsOrderedPiecesApartAndIndependentOnesBetweenThem() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            Parallel.Lane lane = new Parallel.Lane();
            AtomicInteger concurrent = new AtomicInteger();
            List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
            int groups = 300;
            int width = 6;
            int[] opened = new int[groups];                     // plain arrays: the lane's hand-over orders them
            int[][] ran = new int[groups][width];
            int[] closed = new int[groups];
            for (int g = 0; g < groups; g++) {
                int group = g;
                lane.submit(() -> {
                    if (concurrent.incrementAndGet() != 1) {
                        violations.add("opening " + group + " ran beside another piece");
                    }
                    if (group > 0 && closed[group - 1] != 1) {
                        violations.add("opening " + group + " before closing " + (group - 1));
                    }
                    opened[group] = 1;
                    concurrent.decrementAndGet();
                });
                for (int k = 0; k < width; k++) {
                    int part = k;
                    lane.submitIndependent(() -> {
                        concurrent.incrementAndGet();
                        if (opened[group] != 1 || closed[group] != 0) {
                            violations.add("part " + part + " of " + group + " outside its group");
                        }
                        ran[group][part]++;
                        concurrent.decrementAndGet();
                    });
                }
                lane.submit(() -> {
                    if (concurrent.incrementAndGet() != 1) {
                        violations.add("closing " + group + " ran beside another piece");
                    }
                    for (int k = 0; k < width; k++) {
                        if (ran[group][k] != 1) {
                            violations.add("closing " + group + " saw part " + k + " run " + ran[group][k] + " times");
                        }
                    }
                    closed[group] = 1;
                    concurrent.decrementAndGet();
                });
                if (g % 100 == 99) {
                    lane.drain();
                }
            }
            lane.drain();
            assertEquals(List.of(), violations, threads + " threads");
            for (int g = 0; g < groups; g++) {
                assertEquals(1, closed[g], "group " + g + ", " + threads + " threads");
            }
            assertTrue(lane.isEmpty());
        }
    }

    @Test
    void idlePoolWorkersRunLanePiecesWithoutADrain() throws InterruptedException {
        Parallel.setThreads(2);
        Parallel.Lane lane = new Parallel.Lane();
        CountDownLatch done = new CountDownLatch(10);
        Set<Thread> runners = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 10; i++) {
            lane.submit(() -> {
                runners.add(Thread.currentThread());
                done.countDown();
            });
        }
        // The caller only waits: the pieces can only have run on the pool's worker.
        assertTrue(done.await(30, TimeUnit.SECONDS), "lane pieces did not run on the idle worker");
        assertTrue(!runners.contains(Thread.currentThread()) && runners.size() == 1, runners.toString());
        lane.drain();
    }

    /**
     * A worker going from one lane piece to the next still takes a kernel's range first: a range submitted while
     * the worker is inside a piece waits at most for that piece and for one more (the lane's task that the
     * pieces submitted after the first had already put in the pool's queue, ahead of the range), not for the
     * rest of the lane.
     */
    @Test
    void aRangeSubmittedDuringALanePieceRunsBeforeTheNextPiece() throws InterruptedException {
        Parallel.setThreads(2);
        Parallel.Lane lane = new Parallel.Lane();
        CountDownLatch inFirstPiece = new CountDownLatch(1);
        CountDownLatch rangeSubmitted = new CountDownLatch(1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        lane.submit(() -> {
            inFirstPiece.countDown();
            try {
                assertTrue(rangeSubmitted.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            order.add("piece 0");
        });
        for (int i = 1; i <= 5; i++) {
            String name = "piece " + i;
            lane.submitIndependent(() -> order.add(name));
        }
        assertTrue(inFirstPiece.await(30, TimeUnit.SECONDS), "the worker did not start the lane");
        Parallel.forRange(2, 1, (lo, hi) -> {
            if (lo == 0) {
                rangeSubmitted.countDown();                // forRange queued the worker's range before this
            } else {
                order.add("range");
            }
        });
        lane.drain();
        assertEquals("piece 0", order.get(0), order.toString());
        assertTrue(order.indexOf("range") <= 2, order.toString());
        assertEquals(7, order.size(), order.toString());
    }

    @Test
    void withOneThreadLanePiecesWaitForTheDrain() {
        Parallel.setThreads(1);
        Parallel.Lane lane = new Parallel.Lane();
        AtomicInteger ran = new AtomicInteger();
        lane.submit(ran::incrementAndGet);
        lane.submit(ran::incrementAndGet);
        assertEquals(0, ran.get());
        lane.drain();
        assertEquals(2, ran.get());
    }

    @Test
    void drainRethrowsTheFirstFailureAfterRunningTheRest() {
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            Parallel.Lane lane = new Parallel.Lane();
            AtomicInteger ran = new AtomicInteger();
            lane.submit(() -> {
                throw new IllegalStateException("first");
            });
            lane.submit(() -> {
                throw new IllegalArgumentException("second");
            });
            lane.submit(ran::incrementAndGet);
            var e = assertThrows(IllegalStateException.class, lane::drain);
            assertEquals("first", e.getMessage());
            assertEquals(1, ran.get());
            lane.drain();                                       // the failure was reported once
        }
    }

    @Test
    void aForRangeInsideALanePieceRunsInline() {
        Parallel.setThreads(2);
        Parallel.Lane lane = new Parallel.Lane();
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        Thread[] pieceThread = new Thread[1];
        lane.submit(() -> {
            pieceThread[0] = Thread.currentThread();
            Parallel.forRange(1000, 1, (lo, hi) -> seen.add(Thread.currentThread()));
        });
        lane.drain();
        assertEquals(Set.of(pieceThread[0]), seen);
    }

    @Test
    void theSpinPropertyTakesWholeMicrosecondsAndNamesABadValue() {
        assertEquals(Parallel.DEFAULT_SPIN_MICROS, Parallel.spinMicros(null));
        assertEquals(Parallel.DEFAULT_SPIN_MICROS, Parallel.spinMicros(" "));
        assertEquals(0, Parallel.spinMicros("0"));
        assertEquals(250, Parallel.spinMicros(" 250 "));
        assertEquals(1_000_000, Parallel.spinMicros("1000000"));
        for (String bad : new String[] {"-1", "1000001", "1.5", "fast"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Parallel.spinMicros(bad), bad);
            assertTrue(e.getMessage().contains(Parallel.SPIN_PROPERTY) && e.getMessage().contains("'" + bad + "'"),
                    e.getMessage());
        }
    }

    @Test
    void anIdleWorkerStopsSpinningAndSleeps() throws InterruptedException {
        ThreadMXBean threadsBean = ManagementFactory.getThreadMXBean();
        assumeTrue(threadsBean.isThreadCpuTimeSupported(), "this JVM cannot measure a thread's CPU time");
        Parallel.setThreads(2);
        Parallel.forRange(2, 1, (lo, hi) -> { });               // the pool's worker has just run a range
        List<Long> workers = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("glassbox-worker-") && thread.isAlive()) {
                workers.add(thread.getId());
            }
        }
        assertTrue(!workers.isEmpty(), "no pool worker found");
        long before = cpuNanos(threadsBean, workers);
        Thread.sleep(500);
        long used = cpuNanos(threadsBean, workers) - before;
        // Spinning for the default 100 µs costs that much CPU; a worker that never stopped would use the whole 500 ms.
        assertTrue(used < TimeUnit.MILLISECONDS.toNanos(200), "idle workers used " + used / 1e6 + " ms of CPU");
    }

    private static long cpuNanos(ThreadMXBean threadsBean, List<Long> threadIds) {
        long total = 0;
        for (long id : threadIds) {
            total += Math.max(0, threadsBean.getThreadCpuTime(id));   // -1 once a thread has ended
        }
        return total;
    }

    @Test
    void aReplacedPoolsWorkersEndEvenWhileSpinning() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            Parallel.setThreads(3);
            Parallel.forRange(3, 1, (lo, hi) -> { });
            Parallel.setThreads(2);                             // shuts the 2-worker pool down
            Parallel.forRange(2, 1, (lo, hi) -> { });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long alive;
        do {
            Thread.sleep(10);
            alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("glassbox-worker-") && t.isAlive()).count();
        } while (alive > 1 && System.nanoTime() < deadline);
        assertEquals(1, alive, "workers alive with two threads set (one pool of one worker)");
    }
}
