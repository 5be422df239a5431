package org.inertia.app.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code inertia} command: {@code ./inertia <verb> [options]}; {@code --help} on every verb. Bad option
 * values exit with code 2 and a message naming the option (picocli). Failures the user can fix — a file
 * that cannot be read or written, a data file in the wrong format, a data set not installed,
 * {@code --device cuda} without a CUDA backend — exit with code 1 and one line,
 * {@code inertia <verb>: <option> <path>: <reason>} ({@link CliFailures}); {@code --debug} adds the stack
 * trace. Relative paths are taken from the caller's directory ({@link CallerPaths}).
 */
@Command(name = "inertia", mixinStandardHelpOptions = true, version = "inertia 0.1.0",
        description = "Momentum in optimization and architecture design, on SIMD and CUDA kernels.",
        subcommands = {DemoCommand.class, QuadraticCommand.class, HeavyballCommand.class, LogregCommand.class,
            SampleCommand.class, RnnCommand.class, ResnetCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "on a failure, print the stack trace as well as the one-line message")
    boolean debug;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The command line with the handler that turns user-facing failures into one line and exit code 1. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Main()), false);
    }

    /**
     * Sets up {@code cl} (a whole program, or one verb run by another verb, as the demo runs the quadratic
     * study) as the program does: case-insensitive choices, caller-relative paths, and the failure handler;
     * {@code debug} prints stack traces whatever the command line says.
     */
    static CommandLine configure(CommandLine cl, boolean debug) {
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --graph cycle as well as CYCLE
        cl.registerConverter(Path.class, CallerPaths::resolve);
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            String message = CliFailures.oneLine(ex, line.getCommandSpec());
            if (message == null) {
                throw ex;
            }
            if (debug || debugRequested(parseResult)) {
                ex.printStackTrace(line.getErr());
            }
            line.getErr().println("inertia " + line.getCommandName() + ": " + message);
            line.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** Whether --debug was given, on the program or on the verb (it is inherited by every verb). */
    static boolean debugRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
