package org.inertia.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be loaded: not a checkpoint, truncated or corrupted (checksum mismatch), or
 * not fitting the model, optimizer, data loader or generators it is loaded into (a missing or unexpected
 * tensor, a wrong shape or dtype, another optimizer method or layout, another schedule). The message
 * names the file and every problem found; when it is thrown, nothing has been loaded.
 */
public final class CheckpointException extends IOException {
    private final Path file;
    private final String problem;

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** The problem, without the file name. */
    public String problem() {
        return problem;
    }
}
