package dev.glassbox.bench;

import dev.glassbox.engine.kernels.EjmlSgemm;
import dev.glassbox.engine.kernels.JavaSgemm;
import dev.glassbox.engine.kernels.JblasSgemm;
import dev.glassbox.engine.kernels.Sgemm;
import dev.glassbox.engine.kernels.VectorSgemm;
import java.util.List;

/**
 * The backends by the names the benchmarks use. Unlike {@code -Dglassbox.blas}, these name each implementation
 * exactly (the "java" backend is "vector" or "scalar" depending on the JVM), and a backend that cannot load
 * fails loudly instead of falling back, so a table never shows one backend's numbers under another's name.
 */
public final class GemmBackends {

    /** Every backend the benchmarks know. */
    public static final List<String> NAMES = List.of("vector", "scalar", "ejml", "jblas");

    private GemmBackends() {
    }

    public static Sgemm create(String name) {
        switch (name) {
            case "vector":
                return new VectorSgemm();
            case "scalar":
                return new JavaSgemm();
            case "ejml":
                return new EjmlSgemm();
            case "jblas":
                return new JblasSgemm();
            default:
                throw new IllegalArgumentException("unknown backend '" + name + "'; valid names are "
                        + String.join(", ", NAMES));
        }
    }

    /** True for backends that honour {@code Parallel.setThreads}; EJML and jblas always use one thread. */
    public static boolean isMultithreaded(String name) {
        return name.equals("vector") || name.equals("scalar");
    }
}

// Used by GemmReport and SgemmBench; run them as bench/README.md shows, e.g.
//   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.glassbox.bench.GemmReport
