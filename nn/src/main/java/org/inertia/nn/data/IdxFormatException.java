package org.inertia.nn.data;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that does not follow the format; the message names the file and the problem. */
public final class IdxFormatException extends IOException {
    /** Serialization version of this exception's form (the file as a string, the problem). */
    private static final long serialVersionUID = 1L;
    /** The offending file as given; not serialized ({@link Path} is not {@code Serializable}). */
    private final transient Path file;
    /** The offending file as a string: what is serialized, and what {@link #file()} rebuilds after that. */
    private final String fileName;

    /**
     * Creates the exception; the message is the file, a colon, and the problem.
     *
     * @param file the offending file
     * @param problem what is wrong, for a person
     */
    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.fileName = file == null ? null : file.toString();
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
        this.fileName = file == null ? null : file.toString();
    }

    /**
     * The offending file.
     *
     * @return the file's path as given (after deserialization: the same path parsed from its string form)
     */
    public Path file() {
        if (file == null && fileName != null) {
            return Path.of(fileName); // after deserialization
        }
        return file;
    }
}
