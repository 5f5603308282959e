package dev.glassbox.instrument.stats;

import java.util.Arrays;

/**
 * A thread's working memory for {@link SummaryKernel} passes: the interleaved copies of the slot counters, and the
 * per-block buffers of slot positions, counter indices, edge distances and lane sums. Every pass leaves the
 * counters cleared ({@link SummaryKernel#foldCounters}) and rewrites the buffers before it reads them, so one set
 * per thread serves every chunk of every tensor that thread summarises.
 *
 * <p>Why not one set per {@link BatchSummary}, as before: a tensor is cut into chunks, each with a summary of its
 * own (chunks may run on different threads), and a training step of the seed CNN summarises over three hundred
 * chunks. With 14 KB of buffers each that the vector kernel touches, a step went through about 4.6 MB of buffers
 * that had long left the caches; with a thread's one set, which stays in its L1 and L2 caches, the monitor's extra
 * CPU time a step fell from 3.0 to 2.1 ms on one thread and from 2.8–3.2 to 2.3–2.7 ms on two (AVX-512).
 */
final class KernelScratch {
    private static final ThreadLocal<KernelScratch> OF_THREAD = ThreadLocal.withInitial(KernelScratch::new);

    /**
     * Copies of the slot counters (see {@link SummaryKernel#COPIES}), copy c at [c·stride, (c+1)·stride), in an
     * array whose length is a power of two (so that an index masked with length − 1 is known to be in bounds, and
     * the vector kernel's counting loop needs no bounds checks).
     */
    int[] counters = new int[0];
    /** Slots of a histogram (bins + 2) the counters and {@link #copyStarts} are laid out for. */
    int stride;
    final double[] slotPositions = new double[SummaryKernel.BLOCK];     // scalar kernel
    final int[] slotIndices = new int[SummaryKernel.BLOCK];             // vector kernel
    final int[] edgeDistances = new int[SummaryKernel.BLOCK];           // vector kernel: positions' distances
    final double[] lanes = new double[4 * 64];          // vector kernel: four sums, up to 64 lanes each
    final int[] copyStarts = new int[64];               // vector kernel: lane i counts into copy i mod COPIES
    final double[] exactSlots = new double[64];         // vector kernel: rounded positions near bin edges
    /** True from the start of a pass until its counters are folded: a pass cut short left counts behind. */
    private boolean counting;

    private KernelScratch() {
    }

    /** The calling thread's scratch, laid out for the histogram of {@code out}, its counters all zero. */
    static KernelScratch of(BatchSummary out) {
        KernelScratch work = OF_THREAD.get();
        int slots = out.slots.length;
        if (work.stride != slots) {
            work.stride = slots;
            work.counters = new int[Integer.highestOneBit(SummaryKernel.COPIES * slots - 1) << 1];
            for (int lane = 0; lane < work.copyStarts.length; lane++) {
                work.copyStarts[lane] = lane % SummaryKernel.COPIES * slots;
            }
        } else if (work.counting) {
            Arrays.fill(work.counters, 0);              // an exception ended the last pass before its fold
        }
        work.counting = true;
        return work;
    }

    /** Called by the fold that leaves the counters zero. */
    void countersCleared() {
        counting = false;
    }
}
