package org.inertia.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code inertia} command: {@code ./inertia <verb> [options]}; {@code --help} on every verb. */
@Command(name = "inertia", mixinStandardHelpOptions = true, version = "inertia 0.1.0",
        description = "Momentum in optimization and architecture design, on SIMD and CUDA kernels.",
        subcommands = {DemoCommand.class, QuadraticCommand.class, HeavyballCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        System.exit(code);
    }
}
