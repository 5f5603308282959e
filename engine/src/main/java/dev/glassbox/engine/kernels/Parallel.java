package dev.glassbox.engine.kernels;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

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
 *
 * <p><b>Waiting by spinning first.</b> A thread that waits (a worker for its next range, the caller of
 * {@link #forRange} for the workers' ranges, {@link Lane#drain} for a running piece) first polls for a while,
 * {@value #DEFAULT_SPIN_MICROS} µs unless the system property {@code glassbox.spinMicros} says otherwise, yielding
 * its core to any other runnable thread at every poll, and only then sleeps. Waking a sleeping thread
 * takes the operating system tens of microseconds (more on a virtual machine, whose idle virtual CPU must be
 * woken too), and a training step hands work between its two threads a few dozen times: measured on the seed
 * CNN's training step at batch 64 on two threads (AMD EPYC, 2 vCPUs), the caller spent 0.9 ms of a 7 ms step
 * waiting at the ends of its parallel kernels, and spinning for 100 µs made the step 10–20 % faster (see the
 * bench README). A thread that spins uses its CPU meanwhile, which a machine running other busy work may rather
 * give away: {@code -Dglassbox.spinMicros=0} sleeps at once, as before.
 *
 * <p><b>Work that can wait.</b> A {@link Lane} holds small pieces of work that are needed later (statistics of a
 * training step, say): the pool's workers run them while they have no range of a kernel to run, and the owner
 * runs whatever is left when it needs the results.
 */
public final class Parallel {

    /** The work of one range: handles indices {@code lo} (inclusive) to {@code hi} (exclusive). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    /** System property that sets the thread count at start-up. */
    public static final String THREADS_PROPERTY = "glassbox.threads";
    /** System property: how long a waiting thread polls before it sleeps, in microseconds (0: sleeps at once). */
    public static final String SPIN_PROPERTY = "glassbox.spinMicros";
    /** The spin when {@link #SPIN_PROPERTY} is not set: longer than most gaps between a step's kernels. */
    public static final long DEFAULT_SPIN_MICROS = 100;
    private static final long SPIN_NANOS =
            TimeUnit.MICROSECONDS.toNanos(spinMicros(System.getProperty(SPIN_PROPERTY)));

    private static final ThreadLocal<Boolean> INSIDE_BODY = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final AtomicInteger WORKER_NUMBER = new AtomicInteger();

    private static int threads = initialThreads();
    private static ExecutorService pool;                       // threads - 1 workers; the caller runs range 0
    private static volatile SpinningQueue workQueue;           // the pool's queue

    private Parallel() {
    }

    /** How long a waiting thread polls before it sleeps, in microseconds ({@link #SPIN_PROPERTY}). */
    public static long spinMicros() {
        return TimeUnit.NANOSECONDS.toMicros(SPIN_NANOS);
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
        spinUntil(() -> allDone(futures));
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

    /**
     * Yields the core until {@code done} holds or the spin time has passed (see "Waiting by spinning first" in the
     * class comment); the caller then sleeps if it must.
     */
    private static void spinUntil(BooleanSupplier done) {
        long start = System.nanoTime();
        while (!done.getAsBoolean() && System.nanoTime() - start < SPIN_NANOS) {
            Thread.yield();
        }
    }

    private static boolean allDone(List<Future<?>> futures) {
        for (Future<?> future : futures) {
            if (!future.isDone()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The workers' queue: a worker that finds it empty polls it for up to the spin time before it sleeps (see
     * "Waiting by spinning first" in the class comment). An empty queue's poll reads one counter, without a lock.
     */
    private static final class SpinningQueue extends LinkedBlockingQueue<Runnable> {
        @Override
        public Runnable take() throws InterruptedException {
            long start = System.nanoTime();
            while (System.nanoTime() - start < SPIN_NANOS) {
                Runnable task = poll();
                if (task != null) {
                    return task;
                }
                if (Thread.interrupted()) {                     // shutdown() wakes idle workers this way
                    throw new InterruptedException();
                }
                Thread.yield();
            }
            return super.take();
        }
    }

    /**
     * A queue of small pieces of work, run by the pool's workers while they are idle, or by the owner in
     * {@link #drain()}. A training step on two threads leaves the second thread idle for part of the step (between
     * kernels, and while the small ops run on one thread); work on a lane fills those gaps instead of lengthening
     * the step.
     *
     * <p><b>Order.</b> A piece {@link #submit submitted} plainly is ordered: it starts after every piece before it
     * has finished, and no piece after it starts before it has finished. A piece submitted as
     * {@link #submitIndependent independent} may run at the same time as the other independent pieces between the
     * same two ordered ones (the chunks of one pass over a tensor, say, each writing its own partial result). Each
     * piece sees everything written by the pieces it is ordered after (they hand over under one lock), so the
     * results do not depend on which thread ran which piece.
     *
     * <p><b>Size.</b> A piece should take tens of microseconds at most: a worker in the middle of a piece starts
     * the next kernel's range only when the piece is done. A worker runs one piece after another while nothing
     * else waits in the pool's queue, and after the piece in hand goes to the back of that queue as soon as a
     * range waits there. (Going back after every piece, as it once did, cost two hand-overs through the queue a
     * piece: a monitored seed-CNN step queues about 400 pieces, and JMH's {@code RecordingBench.pairedSteps}
     * measured 1.176–1.236 × plain that way against 1.176–1.193 this way, four runs each, alternating.)
     * {@link #drain()} runs pieces on the calling thread and,
     * where they are independent, on an idle worker beside it. With one thread there is no pool: everything
     * waits for {@code drain()}. A piece runs as inside a parallel body: a {@link #forRange} in it runs inline.
     */
    public static final class Lane {
        private record Piece(Runnable work, boolean ordered) { }

        private final ReentrantLock lock = new ReentrantLock();
        private final Condition progress = lock.newCondition();
        private final ArrayDeque<Piece> pieces = new ArrayDeque<>();        // guarded by lock
        private int running;                                               // guarded by lock
        private boolean orderedRunning;                                    // guarded by lock
        private Throwable failure;                                         // guarded by lock
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile int finishedPieces;                               // written under lock

        /** Queues an ordered piece (see the class comment); an idle pool worker may start it right away. */
        public void submit(Runnable piece) {
            add(new Piece(piece, true));
        }

        /** Queues a piece that may run beside the other independent pieces around it (see the class comment). */
        public void submitIndependent(Runnable piece) {
            add(new Piece(piece, false));
        }

        private void add(Piece piece) {
            lock.lock();
            try {
                pieces.add(piece);
            } finally {
                lock.unlock();
            }
            if (threads() > 1 && scheduled.compareAndSet(false, true)) {
                schedule();
            }
        }

        /**
         * Runs every piece not yet run, here and (independent ones) on an idle worker, and waits for those that
         * are running; returns when the lane is empty, with everything the pieces wrote visible. Rethrows the
         * first failure of a piece since the last drain (the pieces after it still ran).
         */
        public void drain() {
            Throwable first;
            lock.lock();
            try {
                while (!pieces.isEmpty() || running > 0) {
                    Piece piece = take();
                    if (piece == null) {
                        awaitProgress();                            // a running piece must finish first
                        continue;
                    }
                    if (!pieces.isEmpty() && threads() > 1 && scheduled.compareAndSet(false, true)) {
                        schedule();                                 // a worker may take the next one beside us
                    }
                    lock.unlock();
                    try {
                        runPiece(piece);
                    } finally {
                        lock.lock();
                        finished(piece);
                    }
                }
                first = failure;
                failure = null;
            } finally {
                lock.unlock();
            }
            if (first instanceof RuntimeException e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
        }

        /** True when no piece is waiting or running. */
        public boolean isEmpty() {
            lock.lock();
            try {
                return pieces.isEmpty() && running == 0;
            } finally {
                lock.unlock();
            }
        }

        /** The next piece that may start now, taken off the queue, or null. Under the lock. */
        private Piece take() {
            Piece next = pieces.peek();
            if (next == null || orderedRunning || (next.ordered() && running > 0)) {
                return null;
            }
            pieces.poll();
            running++;
            orderedRunning = next.ordered();
            return next;
        }

        /**
         * Under the lock, which it releases while it spins: waits until some running piece has finished, polling
         * for up to the spin time before it sleeps (see "Waiting by spinning first" in the class comment).
         */
        private void awaitProgress() {
            int seen = finishedPieces;
            lock.unlock();
            try {
                spinUntil(() -> finishedPieces != seen);
            } finally {
                lock.lock();
            }
            if (finishedPieces == seen) {
                progress.awaitUninterruptibly();
            }
        }

        /** Under the lock. */
        private void finished(Piece piece) {
            finishedPieces++;
            running--;
            if (piece.ordered()) {
                orderedRunning = false;
            }
            progress.signalAll();
        }

        private void schedule() {
            try {
                pool().execute(this::runOnWorker);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);                               // the pool was replaced: drain() runs them
            }
        }

        /**
         * On a pool worker: pieces, one after another, while the pool's queue is empty; as soon as something waits
         * there (a kernel's range), back to the end of that queue behind it.
         */
        private void runOnWorker() {
            while (true) {
                Piece piece;
                lock.lock();
                try {
                    piece = take();
                } finally {
                    lock.unlock();
                }
                scheduled.set(false);
                if (piece == null) {
                    // A piece that could not start (it waits for a running one) is picked up again when the one
                    // it waits for finishes: its thread reschedules below, or drain() runs it.
                    return;
                }
                boolean more;
                try {
                    runPiece(piece);
                } finally {
                    lock.lock();
                    try {
                        finished(piece);
                        more = !pieces.isEmpty();
                    } finally {
                        lock.unlock();
                    }
                }
                if (!more || threads() < 2 || !scheduled.compareAndSet(false, true)) {
                    return;                                         // nothing left, or another task has it
                }
                if (!nothingQueued()) {
                    schedule();                                     // a range waits: it goes first
                    return;
                }
            }
        }

        /** Runs one piece, noting its failure (under the lock) instead of throwing. */
        private void runPiece(Piece piece) {
            boolean outer = INSIDE_BODY.get();
            INSIDE_BODY.set(Boolean.TRUE);
            try {
                piece.work().run();
            } catch (RuntimeException | Error e) {
                lock.lock();
                try {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    lock.unlock();
                }
            } finally {
                INSIDE_BODY.set(outer);
            }
        }
    }

    /** True when no task waits in the pool's queue (a worker may then go on with a lane's next piece). */
    private static boolean nothingQueued() {
        SpinningQueue queue = workQueue;
        return queue == null || queue.isEmpty();
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            int workers = Math.max(1, threads - 1);
            workQueue = new SpinningQueue();
            pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, workQueue,
                    runnable -> {
                        Thread worker = new Thread(runnable, "glassbox-worker-" + WORKER_NUMBER.incrementAndGet());
                        worker.setDaemon(true);                 // never keeps the JVM alive
                        return worker;
                    });
        }
        return pool;
    }

    /** The spin a {@link #SPIN_PROPERTY} value asks for (null or blank: the default). */
    static long spinMicros(String value) {
        return wholeNumber(SPIN_PROPERTY, value, DEFAULT_SPIN_MICROS, 0, 1_000_000,
                "a whole number of microseconds from 0 to 1000000", "=0 makes waiting threads sleep at once");
    }

    private static int initialThreads() {
        return (int) wholeNumber(THREADS_PROPERTY, System.getProperty(THREADS_PROPERTY),
                Runtime.getRuntime().availableProcessors(), 1, Integer.MAX_VALUE, "a positive integer", "=2");
    }

    /**
     * The whole number a system property's {@code value} gives, from {@code min} to {@code max}; {@code fallback}
     * when it is unset or blank. Anything else is an error naming the property, what it must be and the value.
     */
    private static long wholeNumber(String property, String value, long fallback, long min, long max,
                                    String expected, String hint) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException("system property " + property + " must be " + expected + ", but got '"
                + value + "'. Hint: -D" + property + hint);
    }
}
