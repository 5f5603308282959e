package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BlasTest {

    @Test
    void unknownNameIsRejectedListingTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Blas.use("mkl"));
        assertTrue(e.getMessage().contains("'mkl'"), e.getMessage());
        assertTrue(e.getMessage().contains("java, ejml, jblas, auto"), e.getMessage());
    }

    @Test
    void namesSelectTheirBackends() {
        try {
            // the tests run with --add-modules jdk.incubator.vector (surefire's argLine)
            assertTrue(Blas.vectorApiAvailable());
            Blas.use("java");
            assertInstanceOf(VectorSgemm.class, Blas.get());
            Blas.use(" EJML ");
            assertInstanceOf(EjmlSgemm.class, Blas.get());
            Blas.use("auto");
            assertInstanceOf(VectorSgemm.class, Blas.get());
            Blas.use("jblas");
            assertEquals("jblas", Blas.get().name(), "jblas loads on the build machines");
        } finally {
            Blas.use("auto");
        }
    }

    @Test
    void brokenNativeLibraryFallsBackWithExactlyOneLogLine() {
        var log = new ByteArrayOutputStream();
        Sgemm fallback = new JavaSgemm();
        Sgemm chosen = Blas.loadOrFallBack("jblas", () -> {
            throw new UnsatisfiedLinkError("no jblas in java.library.path\nsecond line of detail");
        }, fallback, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertSame(fallback, chosen);
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("jblas") && text.contains("UnsatisfiedLinkError") && text.contains("java (scalar)"),
                text);
        float[] c = new float[1];
        chosen.sgemm(false, false, 1, 1, 2, 1f, new float[] {2f, 3f}, 0, 2, new float[] {4f, 5f}, 0, 1, 0f, c, 0, 1);
        assertArrayEquals(new float[] {23f}, c);                // 2·4 + 3·5
    }
}
