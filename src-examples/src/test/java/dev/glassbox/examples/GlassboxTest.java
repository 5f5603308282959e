package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GlassboxTest {

    @Test
    void helpAndVersionExitWithZero() {
        assertEquals(Glassbox.EXIT_OK, Glassbox.run("--help"));
        assertEquals(Glassbox.EXIT_OK, Glassbox.run("--version"));
    }

    @Test
    void anUnknownOptionExitsWithTwo() {
        assertEquals(Glassbox.EXIT_BAD_INPUT, Glassbox.run("--no-such-option"));
    }
}
