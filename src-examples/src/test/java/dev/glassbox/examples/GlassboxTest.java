package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.kernels.JvmOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

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

    /** Every option and argument of every command says what it is for in --help (hidden ones are for tests). */
    @Test
    void everyOptionAndArgumentIsDescribed() {
        List<String> bare = new ArrayList<>();
        for (CommandLine command : new CommandLine(new Glassbox()).getSubcommands().values()) {
            List<ArgSpec> args = new ArrayList<>(command.getCommandSpec().options());
            args.addAll(command.getCommandSpec().positionalParameters());
            for (ArgSpec arg : args) {
                if (!arg.hidden() && String.join("", arg.description()).isBlank()) {
                    bare.add(command.getCommandName() + " " + arg.paramLabel());
                }
            }
        }
        assertEquals(List.of(), bare);
    }

    /** A bad engine setting in the JVM's options is one line naming the property and value, and exit status 2. */
    @Test
    void aBadEngineSettingGetsOneLineAndExitTwo() throws Exception {
        String[][] settings = {{"glassbox.threads", "many"}, {"glassbox.spinMicros", "-5"}};
        for (String[] setting : settings) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(java.toString(), "-D" + setting[0] + "=" + setting[1],
                    JvmOptions.VECTOR_MODULE, JvmOptions.TRAP_LIMIT, "-cp", System.getProperty("java.class.path"),
                    Glassbox.class.getName(), "--version").redirectErrorStream(true).start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(Glassbox.EXIT_BAD_INPUT, process.waitFor(), printed);
            assertTrue(printed.contains("\nglassbox: system property " + setting[0])      // after the JVM's note
                    && printed.contains("'" + setting[1] + "'"), printed);
            assertTrue(!printed.contains("\tat "), "no stack trace: " + printed);
        }
    }
}
