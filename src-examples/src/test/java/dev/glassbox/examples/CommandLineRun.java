package dev.glassbox.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a {@code glassbox} command line in this JVM and captures what it prints, for tests of the commands. */
public final class CommandLineRun {
    private CommandLineRun() {}

    /** The exit status and standard output of {@code glassbox args...}. */
    public static String[] run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = Glassbox.run(args);
            return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(saved);
        }
    }
}
