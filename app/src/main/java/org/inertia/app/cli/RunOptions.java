package org.inertia.app.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every verb takes: {@code --seed} and {@code --out DIR} (default {@code out/<verb>} in the
 * directory the program runs in, the repository under {@code ./inertia}; a DIR typed on the command line is
 * taken from the caller's directory, {@link CallerPaths}). A picocli mixin:
 * {@code @Mixin RunOptions run = new RunOptions("verb");}.
 */
public final class RunOptions {
    @Option(names = "--seed", paramLabel = "SEED", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory, created if missing; a relative DIR "
            + "is taken from the directory you run the command in (default: ${DEFAULT-VALUE} in the Inertia directory)")
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

    /**
     * The output directory as an absolute path, created if missing.
     *
     * @throws CliError naming {@code --out} if it cannot be created or written to
     */
    public Path out() {
        Path dir = out.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason().toLowerCase(java.util.Locale.ROOT)
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "a file, not a directory, is in the way"
                    : e.getClass().getSimpleName();
            throw new CliError("--out " + out + ": cannot create the directory: "
                    + (e.getFile() != null && !Path.of(e.getFile()).equals(dir) ? e.getFile() + ": " : "") + reason);
        } catch (IOException e) {
            throw new CliError("--out " + out + ": cannot create the directory: " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new CliError("--out " + out + ": the directory is not writable");
        }
        return dir;
    }
}
