package dev.glassbox.engine.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Buffers reused from one training step to the next, so that a step in steady state allocates no arrays.
 *
 * <p><b>Why.</b> Every op returns fresh storage, and a training step of the seed CNN (batch 64) asks for about 21 MB
 * of it: activations on the way forward, gradients on the way back. The JVM zeroes every new array, and arrays
 * that large go straight to the shared heap (G1 even treats the 3 MB ones as "humongous"), so each step pays for
 * zeroing cold memory and, every few steps, a collection. A step asks for the same sizes in the same order as the
 * one before, so the arrays of step k can serve step k + 1.
 *
 * <p><b>How.</b> {@link dev.glassbox.engine.train.Trainer Trainer.fit} opens a {@link #step()} around each batch
 * ({@code Trainer.evaluate}, {@code Trainer.predict} and the instrument's extraction do the same). While a step is
 * open on a thread, the ops on that thread take their arrays from {@link #floats} and {@link #floatsToOverwrite} (and
 * {@link #intsToOverwrite}), which hand out an array of the exact size from the free list, or a new one. When the
 * next step opens, every array of the previous step goes back to the free list, and the tensors over them
 * <em>expire</em>: reading one throws, naming the tensor's shape, instead of showing the numbers of a later step.
 * Outside a step (a loop of your own, gradient checks) nothing changes: the same calls are plain
 * {@code new float[n]}.
 *
 * <p><b>What this asks of hooks and listeners.</b> A tensor handed to a hook during {@code Trainer.fit} is valid
 * until the next batch starts. To keep it longer, copy it ({@link Tensor#copy()}, which never comes from a
 * workspace), or, to read it later from another thread without copying, hold it with {@link #retain(Tensor)} and
 * release it when done (its array returns to the free list then).
 *
 * <p>Sizes not asked for in a whole step (the last, shorter batch of an epoch, a shape that changed) are dropped
 * from the free list, so it holds about one step's arrays, plus those still retained. Not thread-safe for
 * allocation: one thread opens a step and runs the ops; {@link #retain} and its release may come from any thread.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> ACTIVE = new ThreadLocal<>();

    /** One array handed out in a step, and whether the tensors over it may still be read. */
    static final class Lease {
        private final Workspace owner;
        private final Object array;
        private int holds;
        private boolean returnWhenReleased;
        private volatile boolean expired;

        Lease(Workspace owner, Object array) {
            this.owner = owner;
            this.array = array;
        }

        boolean expired() {
            return expired;
        }
    }

    private final Map<Integer, ArrayDeque<float[]>> freeFloats = new HashMap<>();
    private final Map<Integer, ArrayDeque<int[]>> freeInts = new HashMap<>();
    /** The arrays handed out since the current (or last) step opened. */
    private IdentityHashMap<Object, Lease> leased = new IdentityHashMap<>();
    private final Set<Integer> floatSizesAsked = new HashSet<>();
    private final Set<Integer> intSizesAsked = new HashSet<>();
    private final boolean poisonReturned;
    private long steps;
    private long arraysCreated;
    private long arraysReused;

    public Workspace() {
        this(false);
    }

    /**
     * For tests: with {@code poisonReturned}, every array handed back is first filled with NaN (ints with
     * {@code Integer.MIN_VALUE}), so a caller that reads an array it was given to overwrite shows up.
     */
    Workspace(boolean poisonReturned) {
        this.poisonReturned = poisonReturned;
    }

    /** The scope of one step: closing it stops taking arrays from the workspace on this thread. */
    public final class Step implements AutoCloseable {
        private boolean closed;

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ACTIVE.remove();
            }
        }
    }

    /**
     * Opens a step on this thread: returns the previous step's arrays to the free list (those not retained) and
     * expires its tensors.
     */
    public Step step() {
        if (ACTIVE.get() != null) {
            throw new IllegalStateException("a workspace step is already open on thread '"
                    + Thread.currentThread().getName() + "': close it before opening the next");
        }
        synchronized (this) {
            recyclePreviousStep();
        }
        steps++;
        ACTIVE.set(this);
        return new Step();
    }

    private void recyclePreviousStep() {
        freeFloats.keySet().retainAll(floatSizesAsked);          // drop sizes the last step did not use
        freeInts.keySet().retainAll(intSizesAsked);
        floatSizesAsked.clear();
        intSizesAsked.clear();
        for (Lease lease : leased.values()) {
            if (lease.holds > 0) {
                lease.returnWhenReleased = true;
            } else {
                giveBack(lease);
            }
        }
        leased = new IdentityHashMap<>();
    }

    private void giveBack(Lease lease) {
        lease.expired = true;
        if (lease.array instanceof float[] floats) {
            if (poisonReturned) {
                Arrays.fill(floats, Float.NaN);
            }
            freeFloats.computeIfAbsent(floats.length, n -> new ArrayDeque<>()).push(floats);
        } else {
            int[] ints = (int[]) lease.array;
            if (poisonReturned) {
                Arrays.fill(ints, Integer.MIN_VALUE);
            }
            freeInts.computeIfAbsent(ints.length, n -> new ArrayDeque<>()).push(ints);
        }
    }

    /** A zeroed {@code float[n]}, exactly like {@code new float[n]}; from the open step's workspace, if any. */
    public static float[] floats(int n) {
        Workspace workspace = ACTIVE.get();
        if (workspace == null) {
            return new float[n];
        }
        float[] array = workspace.takeFloats(n);
        Arrays.fill(array, 0f);
        return array;
    }

    /**
     * A {@code float[n]} whose contents are unspecified: only for a caller that writes every element before reading
     * any (an op's output, a product computed with beta = 0). Saves the zeroing that {@link #floats} does.
     */
    public static float[] floatsToOverwrite(int n) {
        Workspace workspace = ACTIVE.get();
        return workspace == null ? new float[n] : workspace.takeFloats(n);
    }

    /** An {@code int[n]} whose contents are unspecified (see {@link #floatsToOverwrite}). */
    public static int[] intsToOverwrite(int n) {
        Workspace workspace = ACTIVE.get();
        return workspace == null ? new int[n] : workspace.takeInts(n);
    }

    private float[] takeFloats(int n) {
        return take(n, freeFloats, floatSizesAsked, float[]::new);
    }

    private int[] takeInts(int n) {
        return take(n, freeInts, intSizesAsked, int[]::new);
    }

    /** An array of length n from {@code free}, or a new one; leased to the open step either way. */
    private synchronized <T> T take(int n, Map<Integer, ArrayDeque<T>> free, Set<Integer> asked,
            IntFunction<T> create) {
        asked.add(n);
        ArrayDeque<T> same = free.get(n);
        T array;
        if (same == null || same.isEmpty()) {
            array = create.apply(n);
            arraysCreated++;
        } else {
            array = same.pop();
            arraysReused++;
        }
        leased.put(array, new Lease(this, array));
        return array;
    }

    /** For {@link Tensor}: the lease of {@code data} if the step open on this thread handed it out, else null. */
    static Lease leaseOf(float[] data) {
        Workspace workspace = ACTIVE.get();
        if (workspace == null) {
            return null;
        }
        synchronized (workspace) {
            return workspace.leased.get(data);
        }
    }

    /**
     * Keeps {@code tensor}'s array out of the free list (and the tensor readable) after its step, until the returned
     * release runs; release exactly once. For a tensor that no workspace handed out, releasing does nothing.
     */
    public static Runnable retain(Tensor tensor) {
        Lease lease = tensor.lease();
        if (lease == null) {
            return () -> { };
        }
        Workspace owner = lease.owner;
        synchronized (owner) {
            if (lease.expired) {
                throw tensor.expiredError();
            }
            lease.holds++;
        }
        return () -> {
            synchronized (owner) {
                if (lease.holds <= 0) {
                    throw new IllegalStateException("workspace: a retained tensor was released twice");
                }
                if (--lease.holds == 0 && lease.returnWhenReleased) {
                    owner.giveBack(lease);
                }
            }
        };
    }

    /**
     * A workspace for a loop over batches, or null when a step is already open on this thread (the loop runs from
     * a hook inside another loop's step, whose workspace then serves its batches too). Open the loop's steps with
     * {@link #openStep(Workspace)}.
     */
    public static Workspace forBatches() {
        return inStep() ? null : new Workspace();
    }

    /** A step of {@code workspace}; none (null, which try-with-resources accepts) when it is null. */
    public static Step openStep(Workspace workspace) {
        return workspace == null ? null : workspace.step();
    }

    /** Whether a step is open on this thread (ops then take their arrays from its workspace). */
    public static boolean inStep() {
        return ACTIVE.get() != null;
    }

    /** Steps opened so far. */
    public long steps() {
        return steps;
    }

    /** Arrays this workspace had to create (the first step's, and any size it had not seen or had dropped). */
    public synchronized long arraysCreated() {
        return arraysCreated;
    }

    /** Arrays handed out again from the free list. */
    public synchronized long arraysReused() {
        return arraysReused;
    }

    /** The arrays on the free list, by kind, as "floats: n (bytes)", for diagnostics. */
    public synchronized String describe() {
        List<String> parts = new ArrayList<>();
        long floatBytes = freeFloats.values().stream().flatMap(ArrayDeque::stream).mapToLong(a -> 4L * a.length).sum();
        long intBytes = freeInts.values().stream().flatMap(ArrayDeque::stream).mapToLong(a -> 4L * a.length).sum();
        parts.add("free float arrays: " + freeFloats.values().stream().mapToInt(ArrayDeque::size).sum()
                + " (" + floatBytes + " bytes)");
        parts.add("free int arrays: " + freeInts.values().stream().mapToInt(ArrayDeque::size).sum()
                + " (" + intBytes + " bytes)");
        parts.add("leased in the last step: " + leased.size());
        return String.join(", ", parts);
    }
}
