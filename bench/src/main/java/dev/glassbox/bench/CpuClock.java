package dev.glassbox.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The calling thread's CPU time. On a machine shared with other work, a thread that is descheduled stops this
 * clock but not the wall clock, so single-threaded speeds measured with it are close to what an idle core gives.
 * Falls back to the wall clock where the JVM cannot measure thread CPU time.
 */
final class CpuClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

    private CpuClock() {
    }

    /** Nanoseconds of CPU time used by the calling thread (or of wall time, if unsupported). */
    static long now() {
        return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /**
     * Nanoseconds of CPU time used so far by all live threads of the JVM (not the JIT compiler's or the garbage
     * collector's, which are not Java threads), or 0 where the JVM cannot measure thread CPU time. The difference
     * of two readings is the work a multi-threaded piece of code did, wherever the scheduler ran it.
     */
    static long allThreads() {
        if (!THREADS.isThreadCpuTimeSupported()) {
            return 0;
        }
        long total = 0;
        for (long id : THREADS.getAllThreadIds()) {
            total += Math.max(0, THREADS.getThreadCpuTime(id));      // −1 for a thread that ended meanwhile
        }
        return total;
    }

    static double secondsSince(long start) {
        return (now() - start) / 1e9;
    }

    /** "thread CPU time" or "wall time", for table headers. */
    static String describe() {
        return SUPPORTED ? "thread CPU time" : "wall time";
    }
}

// Used by GemmReport and SgemmBench; run them as bench/README.md shows, e.g.
//   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.glassbox.bench.GemmReport
