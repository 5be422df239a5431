package org.inertia.bench.cli;

import org.inertia.nn.data.DatasetNotFoundException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code inertia} command: {@code ./inertia <verb> [options]}; {@code --help} on every verb. Bad option
 * values exit with code 2 and a message naming the option (picocli); problems the user can fix (a data
 * set not installed, {@code --device cuda} without a CUDA backend) exit with code 1 and one line.
 */
@Command(name = "inertia", mixinStandardHelpOptions = true, version = "inertia 0.1.0",
        description = "Momentum in optimization and architecture design, on SIMD and CUDA kernels.",
        subcommands = {DemoCommand.class, QuadraticCommand.class, HeavyballCommand.class, LogregCommand.class,
            SampleCommand.class, RnnCommand.class, ResnetCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The command line with the handler that turns user-facing failures into one line and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --graph cycle as well as CYCLE
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            if (ex instanceof CliError || ex instanceof DatasetNotFoundException) {
                line.getErr().println("inertia " + line.getCommandName() + ": " + ex.getMessage());
                line.getErr().flush();
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
