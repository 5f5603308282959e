package dev.glassbox.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a {@code glassbox} command line in this JVM and captures what it prints, for tests of the commands. */
public final class CommandLineRun {
    private CommandLineRun() {}

    /** The exit status, standard output and standard error of {@code glassbox args...}. */
    public static String[] runWithErrors(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] result = run(args);
            return new String[] {result[0], result[1], err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(saved);
        }
    }

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
