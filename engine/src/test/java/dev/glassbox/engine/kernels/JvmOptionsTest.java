package dev.glassbox.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The options every Glassbox JVM is started with, and the advice for a JVM started without them. */
class JvmOptionsTest {

    @Test
    void theTestsRunWithTheRecommendedOptions() {
        // surefire's argLine (the root pom's glassbox.jvm.options) must carry both, as the launcher does
        assertTrue(Blas.vectorApiAvailable(), "the Vector API module");
        assertEquals(JvmOptions.ENOUGH_TRAPS, JvmOptions.perMethodTrapLimit(), "-XX:PerMethodTrapLimit");
        assertEquals(Optional.empty(), JvmOptions.advice());
    }

    @Test
    void aJvmWithTheDefaultLimitOrWithoutTheModuleIsToldWhatToAdd() {
        String lowLimit = JvmOptions.advice(true, 100).orElseThrow();
        assertTrue(lowLimit.contains("is 100") && lowLimit.contains(JvmOptions.TRAP_LIMIT), lowLimit);
        String noModule = JvmOptions.advice(false, JvmOptions.ENOUGH_TRAPS).orElseThrow();
        assertTrue(noModule.contains(JvmOptions.VECTOR_MODULE) && noModule.contains(JvmOptions.TRAP_LIMIT), noModule);
        assertEquals(Optional.empty(), JvmOptions.advice(true, JvmOptions.ENOUGH_TRAPS));
        assertEquals(Optional.empty(), JvmOptions.advice(true, 50_000), "a higher limit is as good");
        assertEquals(Optional.empty(), JvmOptions.advice(true, -1), "a JVM that does not say is left alone");
    }
}
