package dev.glassbox.engine.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's one thread setting and the small persistent pool that honours it.
 *
 * <p>The thread count defaults to {@link Runtime#availableProcessors()}; the system property
 * {@code glassbox.threads} or {@link #setThreads(int)} (the {@code --threads} flag) overrides it.
 *
 * <p><b>Determinism.</b> {@link #forRange} cuts {@code [0, n)} into contiguous ranges fixed in advance and hands
 * range {@code t} to worker {@code t}; nothing is ever assigned in completion order, and no two ranges write the
 * same output. A body that computes each index from its inputs alone, never from where its range starts or ends
 * (true of every output-block split in the kernels), therefore gives bitwise-identical results for any thread
 * count. Reductions must not be split this way: splitting the k of a GEMM would change the summation order.
 *
 * <p><b>Nesting.</b> A call made from inside a running body runs inline on the calling thread. The outer call has
 * already taken the parallelism, and a worker that waited for its own pool could deadlock.
 */
public final class Parallel {

    /** The work of one range: handles indices {@code lo} (inclusive) to {@code hi} (exclusive). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    /** System property that sets the thread count at start-up. */
    public static final String THREADS_PROPERTY = "glassbox.threads";

    private static final ThreadLocal<Boolean> INSIDE_BODY = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final AtomicInteger WORKER_NUMBER = new AtomicInteger();

    private static int threads = initialThreads();
    private static ExecutorService pool;                       // threads - 1 workers; the caller runs range 0

    private Parallel() {
    }

    /** The number of threads parallel kernels may use (at least 1). */
    public static synchronized int threads() {
        return threads;
    }

    /**
     * Sets the engine-wide thread count; 1 runs everything on the calling thread. Meant to be called between
     * computations; a {@link #forRange} already running finishes correctly, on the old pool or inline.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, but got " + n
                    + ". Hint: use 1 for single-threaded, deterministic-by-construction runs.");
        }
        if (n != threads && pool != null) {
            pool.shutdown();                                    // idle workers exit; running ranges finish
            pool = null;
        }
        threads = n;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} fixed contiguous ranges of at
     * least {@code minChunk} indices each, and returns when all are done. Runs inline when one range suffices,
     * when one thread is configured, or when called from inside another body. The first exception thrown by a
     * body is rethrown here after all ranges have finished.
     *
     * @param n        number of indices (may be 0)
     * @param minChunk smallest range worth a thread of its own (at least 1)
     * @param body     the work; must write only outputs owned by its indices
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads(), n / Math.max(1, minChunk));
        if (chunks <= 1 || INSIDE_BODY.get()) {
            body.run(0, n);
            return;
        }
        ExecutorService workers = pool();
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        List<Integer> leftOver = new ArrayList<>();
        for (int t = 1; t < chunks; t++) {
            int lo = bound(n, chunks, t);
            int hi = bound(n, chunks, t + 1);
            try {
                futures.add(workers.submit(() -> runMarked(body, lo, hi)));
            } catch (RejectedExecutionException e) {
                leftOver.add(t);                                // the pool was replaced by setThreads meanwhile
            }
        }
        Throwable failure = null;
        try {
            runMarked(body, 0, bound(n, chunks, 1));
            for (int t : leftOver) {
                runMarked(body, bound(n, chunks, t), bound(n, chunks, t + 1));
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        failure = awaitAll(futures, failure);
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
    }

    /** Start of range {@code t} when {@code n} indices are cut into {@code chunks} near-equal ranges. */
    private static int bound(int n, int chunks, int t) {
        return (int) ((long) n * t / chunks);
    }

    private static void runMarked(RangeBody body, int lo, int hi) {
        boolean outer = INSIDE_BODY.get();
        INSIDE_BODY.set(Boolean.TRUE);
        try {
            body.run(lo, hi);
        } finally {
            INSIDE_BODY.set(outer);
        }
    }

    /** Waits for every range, even after a failure, so no body is still writing when the caller resumes. */
    private static Throwable awaitAll(List<Future<?>> futures, Throwable failure) {
        boolean interrupted = false;
        for (Future<?> future : futures) {
            while (true) {
                try {
                    future.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), runnable -> {
                Thread worker = new Thread(runnable, "glassbox-worker-" + WORKER_NUMBER.incrementAndGet());
                worker.setDaemon(true);                         // never keeps the JVM alive
                return worker;
            });
        }
        return pool;
    }

    private static int initialThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException("system property " + THREADS_PROPERTY
                + " must be a positive integer, but got '" + value + "'. Hint: -D" + THREADS_PROPERTY + "=2");
    }
}
