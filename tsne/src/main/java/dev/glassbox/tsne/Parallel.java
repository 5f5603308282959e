package dev.glassbox.tsne;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small fixed-range work splitter whose results do not depend on the number of threads.
 *
 * <p>Work over {@code [0, n)} is cut into chunks whose boundaries depend only on {@code n}, never on the
 * thread count. Threads take whole chunks; each chunk writes only its own outputs, and a reduction keeps one
 * partial result per chunk and adds the partials in chunk order. Floating-point addition is not associative,
 * so this fixed order is what makes a run with one thread bitwise identical to a run with two.
 *
 * <p>Owns a thread pool when {@code threads > 1}; close it when done.
 */
public final class Parallel implements AutoCloseable {

    /** Upper bound on the number of chunks: enough to balance uneven rows, few enough to stay cheap. */
    static final int MAX_CHUNKS = 64;

    /** Work on the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** A partial sum over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeSum {
        double sum(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    /** @param threads worker threads, at least 1; 1 runs everything on the calling thread */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "glassbox-tsne-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** The number of worker threads. */
    public int threads() {
        return threads;
    }

    /** The number of chunks {@code [0, n)} is cut into; depends on {@code n} only. */
    static int chunkCount(int n) {
        return Math.max(1, Math.min(MAX_CHUNKS, n / 16));
    }

    /** Start of chunk {@code c} of {@code chunks} over {@code [0, n)}; chunk c is [start(c), start(c+1)). */
    static int chunkStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    /** Runs {@code body} over {@code [0, n)} in chunks, in parallel; returns when all are done. */
    public void forRange(int n, RangeBody body) {
        forChunks(n, (c, from, to) -> body.run(from, to));
    }

    /** Sums {@code part} over {@code [0, n)}: one partial per chunk, added in chunk order. */
    public double sum(int n, RangeSum part) {
        double[] partials = new double[chunkCount(n)];
        forChunks(n, (c, from, to) -> partials[c] = part.sum(from, to));
        double total = 0;
        for (double p : partials) {
            total += p;
        }
        return total;
    }

    /**
     * Sums {@code part} over {@code [0, n)} cut into blocks of {@code block} indices (the last one shorter), for
     * work whose unit is a block of its own size rather than a chunk: one partial per block, added in block order.
     */
    public double sumByBlocks(int n, int block, RangeSum part) {
        int blocks = (n + block - 1) / block;
        double[] partials = new double[blocks];
        forChunks(blocks, c -> c, (c, from, to) -> partials[c] = part.sum(c * block, Math.min(n, (c + 1) * block)));
        double total = 0;
        for (double p : partials) {
            total += p;
        }
        return total;
    }

    private interface ChunkBody {
        void run(int chunk, int from, int to);
    }

    private void forChunks(int n, ChunkBody body) {
        int chunks = chunkCount(n);
        forChunks(chunks, c -> chunkStart(n, chunks, c), body);
    }

    /** Runs chunks 0 .. chunks − 1, chunk c over [start(c), start(c + 1)), on the threads. */
    private void forChunks(int chunks, java.util.function.IntUnaryOperator start, ChunkBody body) {
        if (pool == null || chunks == 1) {
            for (int c = 0; c < chunks; c++) {
                body.run(c, start.applyAsInt(c), start.applyAsInt(c + 1));
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                body.run(c, start.applyAsInt(c), start.applyAsInt(c + 1));
            }
        };
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++) {
            futures.add(pool.submit(worker));
        }
        worker.run();                                   // the calling thread works too
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for t-SNE workers", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
