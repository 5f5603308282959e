package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
