package org.inertia.nn.data;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that does not follow the format; the message names the file and the problem. */
public final class IdxFormatException extends IOException {
    /** The offending file. */
    private final Path file;

    /**
     * Creates the exception; the message is the file, a colon, and the problem.
     *
     * @param file the offending file
     * @param problem what is wrong, for a person
     */
    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * Creates the exception with its cause.
     *
     * @param file the offending file
     * @param problem what is wrong, for a person
     * @param cause the underlying failure, e.g. a corrupt gzip stream
     */
    public IdxFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /**
     * The offending file.
     *
     * @return the file's path as given
     */
    public Path file() {
        return file;
    }
}
