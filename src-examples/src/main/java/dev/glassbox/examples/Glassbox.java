package dev.glassbox.examples;

import dev.glassbox.engine.kernels.JvmOptions;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.examples.cli.BenchCommand;
import dev.glassbox.examples.cli.EvaluateCommand;
import dev.glassbox.examples.cli.InspectCommand;
import dev.glassbox.examples.cli.PredictCommand;
import dev.glassbox.examples.cli.SummaryCommand;
import dev.glassbox.examples.cli.TourCommand;
import dev.glassbox.examples.cli.TrainCommand;
import dev.glassbox.examples.cli.TsneCommand;
import dev.glassbox.examples.cli.VisualizeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code glassbox} command: one entry point for the notebooks and the tools around the engine.
 *
 * <p>Exit status (the command-line contract): 0 on success, 2 on bad arguments or input with a one-line
 * message naming the problem, 1 on an internal failure.
 */
@Command(
        name = "glassbox",
        mixinStandardHelpOptions = true,
        versionProvider = Glassbox.Version.class,
        subcommands = {TourCommand.class, TrainCommand.class, EvaluateCommand.class, SummaryCommand.class,
            PredictCommand.class, InspectCommand.class, VisualizeCommand.class, TsneCommand.class, BenchCommand.class},
        description = "A pure-Java neural-network engine in which every layer is a glass box.")
public final class Glassbox implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Without a subcommand there is nothing to do: show the usage, as {@code --help} would. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // A JVM started without the launcher's options runs, more slowly or sometimes far more slowly: say so once.
        JvmOptions.advice().ifPresent(advice -> System.err.println("glassbox: note: " + advice));
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Glassbox());
        // picocli already exits with 2 on bad arguments and 1 on an unexpected exception; our commands signal bad
        // input (a file, shape or value at fault) with IllegalArgumentException, which gets the same 2.
        // A file the system refuses (no permission, no such folder, a folder where a file should be) is the same
        // kind of fault: the line names the file and the reason, not a stack trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                return badInput(commandLine.getErr(), e.getMessage());
            }
            Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
            if (cause instanceof FileSystemException refused) {
                return badInput(commandLine.getErr(), describe(refused));
            }
            throw e;
        });
        // A command line picocli cannot parse (an unknown option, a value of the wrong type, a missing argument) is
        // one line too, naming the fault and where the help is, instead of the fault and the whole usage text.
        cli.setParameterExceptionHandler((e, args1) -> badInput(e.getCommandLine().getErr(), parseProblem(e)));
        String badSetting = engineSettingsProblem();
        if (badSetting != null) {
            return badInput(cli.getErr(), badSetting);
        }
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // The arrays of the failed command are unreachable once the stack has unwound, so the line can be printed.
            return outOfMemory(args, e, cli.getErr());
        }
    }

    /**
     * The line for a command line that could not be parsed: picocli's message, the nearest option or command when
     * the fault is an unknown one, and the command whose {@code --help} lists what it takes.
     */
    static String parseProblem(CommandLine.ParameterException e) {
        String line = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        return line + " (see " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)";
    }

    /**
     * The engine reads its thread settings ({@code -Dglassbox.threads}, {@code -Dglassbox.spinMicros}, e.g. from
     * {@code GLASSBOX_JAVA_OPTS}) once, when {@link Parallel} is first used, and a bad value fails that class for
     * the rest of the run; asked here, before any command, it is one line instead of a stack trace from deep inside
     * the first parallel kernel. Returns that line, or null when the settings are good.
     */
    static String engineSettingsProblem() {
        try {
            Parallel.threads();
            return null;
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                return bad.getMessage();
            }
            throw e;
        }
    }

    /**
     * One line for a command that ran out of heap (an input too large for it, such as {@code inspect} on tens of
     * thousands of images, whose single pass keeps every layer's activations and gradients), instead of a stack
     * trace; exit status 2, as for other input the command cannot take.
     */
    static int outOfMemory(String[] args, OutOfMemoryError e, java.io.PrintWriter err) {
        String command = args.length == 0 ? "the command" : args[0];
        return badInput(err, command + " ran out of memory (" + e.getMessage() + ", heap limit "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): give it less input (fewer rows in its .npy)"
                + " or more heap, e.g. GLASSBOX_JAVA_OPTS=-Xmx16g");
    }

    /** Prints "glassbox: {@code line}", the one line every kind of bad input gets, and returns exit status 2. */
    private static int badInput(java.io.PrintWriter err, String line) {
        err.println("glassbox: " + line);
        err.flush();
        return EXIT_BAD_INPUT;
    }

    /** "FILE: reason", with the reason the system gave or, where it gave none, what the exception's kind means. */
    static String describe(FileSystemException e) {
        String reason = e.getReason();
        if (reason == null) {
            reason = e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : e.getClass().getSimpleName();
        }
        return e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile()) + ": " + reason;
    }

    /** The version baked into the jar at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = Glassbox.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {
                "glassbox " + properties.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
