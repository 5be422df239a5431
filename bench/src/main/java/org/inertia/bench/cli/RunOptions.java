package org.inertia.bench.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every verb takes: {@code --seed} and {@code --out DIR} (default {@code out/<verb>}). A picocli
 * mixin: {@code @Mixin RunOptions run = new RunOptions("verb");}.
 */
public final class RunOptions {
    @Option(names = "--seed", paramLabel = "SEED", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    public RunOptions() {
        this("run");
    }

    public RunOptions(String verb) {
        this.out = Path.of("out", verb);
    }

    public long seed() {
        return seed;
    }

    public Path out() {
        return out;
    }
}
