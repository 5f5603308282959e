package dev.glassbox.engine.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * The options a JVM needs for Glassbox's Vector API kernels to run at their speed, and a check of the running JVM.
 * The {@code glassbox} command, the tests and the benchmarks' forks all start their JVMs with {@link #RECOMMENDED};
 * a program that embeds the engine should too.
 *
 * <p><b>The module.</b> The Vector API is an incubator module on Java 17 to 25, so it must be added
 * ({@link #VECTOR_MODULE}); without it the engine still runs, on its scalar kernels ({@link Blas}).
 *
 * <p><b>The trap limit.</b> C2, the JIT compiler, turns a Vector API call into a vector instruction only when it
 * knows the vector's exact class. In a kernel it learns the class by speculating on the types the code has seen,
 * each speculation guarded by a class check that leaves the compiled code (an "uncommon trap") if it ever fails.
 * While compiling a method C2 adds up the traps recorded in every method it inlines, and once the sum reaches
 * {@code -XX:PerMethodTrapLimit} (100 by default) it stops speculating for the rest of that method. The Vector API's
 * own small methods, inlined for every vector operation, pick up a few such traps early in a run, while the kernels
 * are still interpreted, and a kernel inlines them for each of its dozens of operations (the sgemm micro-kernel has
 * 24 fused multiply-adds, 48 when it took two k indices a round): when their traps were recorded before the
 * kernel's compilation, the sum passes 100 part-way through it, and the rest of the kernel falls back to the API's
 * Java code, which allocates arrays for every operation.
 * Measured (JMH forks of the seed CNN's inference, batch 1,000): 290–370 ms a batch instead of 38–44, for the whole
 * run, in 11 of 98 JVMs with the default limit; 0 of 54 with {@link #TRAP_LIMIT}. The compile log of a slow run shows
 * the trap sum reaching 100 and half the fused multiply-adds compiled as virtual calls; a fast run has neither.
 */
public final class JvmOptions {

    /** Adds the Vector API's incubator module. */
    public static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    /** The per-method trap limit the kernels' compilations need (see the class comment). */
    public static final long ENOUGH_TRAPS = 10_000;

    /** Raises the per-method trap limit to {@link #ENOUGH_TRAPS}. */
    public static final String TRAP_LIMIT = "-XX:PerMethodTrapLimit=" + ENOUGH_TRAPS;

    /** Every option above, as a launcher takes them. */
    public static final List<String> RECOMMENDED = List.of(VECTOR_MODULE, TRAP_LIMIT);

    private JvmOptions() {}

    /** This JVM's {@code PerMethodTrapLimit}, or -1 where the JVM does not say (not HotSpot). */
    public static long perMethodTrapLimit() {
        try {
            var hotSpot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotSpot == null ? -1 : Long.parseLong(hotSpot.getVMOption("PerMethodTrapLimit").getValue());
        } catch (RuntimeException | LinkageError e) {            // another JVM, or the flag is not there
            return -1;
        }
    }

    /** A one-line advice for this JVM, or empty when its options are as {@link #RECOMMENDED} asks. */
    public static Optional<String> advice() {
        return advice(Blas.vectorApiAvailable(), perMethodTrapLimit());
    }

    /**
     * The advice for a JVM with or without the Vector API and with the given trap limit (-1: unknown). Without the
     * Vector API the scalar kernels run, and the limit does not matter to them.
     */
    static Optional<String> advice(boolean vectorApi, long trapLimit) {
        if (!vectorApi) {
            return Optional.of("the Vector API module is missing, so the scalar kernels run, several times slower;"
                    + " start the JVM with " + VECTOR_MODULE + " " + TRAP_LIMIT);
        }
        if (trapLimit >= 0 && trapLimit < ENOUGH_TRAPS) {
            return Optional.of("-XX:PerMethodTrapLimit is " + trapLimit + "; with less than " + ENOUGH_TRAPS
                    + " the JIT sometimes compiles a vector kernel without its vector instructions (a run up to ten"
                    + " times slower): start the JVM with " + TRAP_LIMIT);
        }
        return Optional.empty();
    }
}
