package dev.glassbox.tsne;

/**
 * Whether the JVM has the {@code jdk.incubator.vector} module, so the module's Vector API kernels ({@link VectorKnn},
 * {@link VectorAttraction}, {@link VectorLaneFft}, {@link VectorWideRows}) can be loaded; each caller keeps its
 * scalar loop for when it has not. One answer for the module, asked once.
 */
final class VectorModule {
    static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorModule() {
    }
}
