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
    /** The offending file. */
    private final Path file;
    /** The problem, without the file name. */
    private final String problem;

    /**
     * Creates the exception; the message is the file, a colon, and the problem.
     *
     * @param file the offending file
     * @param problem what is wrong, for a person
     */
    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    /**
     * Creates the exception with its cause.
     *
     * @param file the offending file
     * @param problem what is wrong, for a person
     * @param cause the underlying failure
     */
    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /**
     * The offending file.
     *
     * @return the file's path as given
     */
    public Path file() {
        return file;
    }

    /**
     * The problem, without the file name.
     *
     * @return the problem, for a person
     */
    public String problem() {
        return problem;
    }
}
