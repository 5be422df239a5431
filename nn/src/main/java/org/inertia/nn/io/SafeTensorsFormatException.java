package org.inertia.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file that does not follow the format; the message names the file and the problem. */
public final class SafeTensorsFormatException extends IOException {
    private final Path file;
    private final String problem;

    public SafeTensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public SafeTensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The problem, without the file name. */
    public String problem() {
        return problem;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
