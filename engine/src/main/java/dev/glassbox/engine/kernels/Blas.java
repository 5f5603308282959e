package dev.glassbox.engine.kernels;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Chooses the engine's {@link Sgemm} backend: the system property {@code glassbox.blas} (or the {@code --blas}
 * flag, through {@link #use(String)}) names one of
 * <ul>
 *   <li>{@code java}: pure Java, always available. It uses the Vector API micro-kernel ({@link VectorSgemm}) when
 *       the JVM was started with {@code --add-modules jdk.incubator.vector}, and the scalar one
 *       ({@link JavaSgemm}) otherwise, so the engine runs without the incubator module, only slower;</li>
 *   <li>{@code ejml}: EJML's dense row-major multiply ({@link EjmlSgemm});</li>
 *   <li>{@code jblas}: jblas's bundled native BLAS ({@link JblasSgemm});</li>
 *   <li>{@code auto} (the default): the fastest that works here. That is {@code java} with the Vector API (it
 *       beats the single-threaded native BLAS on these machines); without the module it is {@code jblas},
 *       because scalar Java runs at a few percent of peak; and scalar Java if jblas does not load either.</li>
 * </ul>
 * A native library that fails to load never fails silently: the fallback is announced in one line on stderr.
 */
public final class Blas {

    /** System property naming the backend. */
    public static final String PROPERTY = "glassbox.blas";

    /** The names {@link #use(String)} and the property accept. */
    public static final List<String> NAMES = List.of("java", "ejml", "jblas", "auto");

    private static volatile Sgemm selected;
    private static Sgemm jblas;                                 // loaded (or fallen back) at most once

    private Blas() {
    }

    /** The selected backend; on first use, the one named by {@code glassbox.blas} (default {@code auto}). */
    public static Sgemm get() {
        Sgemm current = selected;                               // called for every product: no lock once chosen
        if (current != null) {
            return current;
        }
        synchronized (Blas.class) {
            if (selected == null) {
                selected = create(System.getProperty(PROPERTY, "auto"));
            }
            return selected;
        }
    }

    /**
     * Selects the backend by name (case-insensitive): java, ejml, jblas or auto.
     *
     * @throws IllegalArgumentException for any other name, listing the valid ones
     */
    public static synchronized void use(String name) {
        selected = create(name);
    }

    /** True when the JVM has the {@code jdk.incubator.vector} module, so {@link VectorSgemm} can be loaded. */
    public static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The pure-Java backend: the Vector API micro-kernel when the module is present, else the scalar one. */
    public static Sgemm pureJava() {
        return vectorApiAvailable() ? new VectorSgemm() : new JavaSgemm();
    }

    static Sgemm create(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "java":
                return pureJava();
            case "ejml":
                return new EjmlSgemm();
            case "jblas":
                return jblas(pureJava());
            case "auto":
                return vectorApiAvailable() ? new VectorSgemm() : jblas(new JavaSgemm());
            default:
                throw new IllegalArgumentException("unknown BLAS backend '" + name + "' (from -D" + PROPERTY
                        + " or --blas); valid names are " + String.join(", ", NAMES));
        }
    }

    private static synchronized Sgemm jblas(Sgemm fallback) {
        if (jblas == null) {
            jblas = loadOrFallBack("jblas", JblasSgemm::new, fallback, System.err);
        }
        return jblas;
    }

    /**
     * Loads a native backend, or returns {@code fallback} after one line on {@code log} saying why.
     *
     * @param loader constructs the backend; may throw a {@link LinkageError} (UnsatisfiedLinkError,
     *               ExceptionInInitializerError, NoClassDefFoundError) or a RuntimeException from its self-test
     */
    static Sgemm loadOrFallBack(String name, Supplier<Sgemm> loader, Sgemm fallback, PrintStream log) {
        try {
            return loader.get();
        } catch (LinkageError | RuntimeException e) {
            log.println("glassbox: BLAS backend '" + name + "' failed to load (" + e.getClass().getSimpleName()
                    + ": " + firstLine(e.getMessage()) + "); using " + fallback + " instead");
            return fallback;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

// Exercised by: ./mvnw -B -ntp -q -pl engine -am verify   (BlasTest)
