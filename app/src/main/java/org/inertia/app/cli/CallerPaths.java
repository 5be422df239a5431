package org.inertia.app.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.TypeConversionException;

/**
 * Paths typed on the command line ({@code --out}, {@code --data}, …), resolved against the directory the
 * user ran {@code ./inertia} from. The launcher changes into the repository before it starts Java, so it
 * passes that directory as the system property {@value #PROPERTY}; without it (Java started directly) the
 * process's working directory is the caller's. Registered with picocli for every {@link Path} option.
 */
final class CallerPaths {
    /** The caller's working directory, as the launcher passes it. */
    static final String PROPERTY = "inertia.cwd";

    private CallerPaths() {
    }

    /**
     * {@code raw} as an absolute path: as it is if absolute, else under the caller's directory.
     *
     * @throws TypeConversionException for an empty string (which would otherwise mean the repository
     *         itself) or a string that is not a path
     */
    static Path resolve(String raw) {
        if (raw.isBlank()) {
            throw new TypeConversionException("an empty path names no file or directory; give one, e.g. out/run1");
        }
        Path p;
        try {
            p = Path.of(raw);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + raw + "' is not a path: " + e.getReason());
        }
        if (p.isAbsolute()) {
            return p.normalize();
        }
        String caller = System.getProperty(PROPERTY, "");
        return Path.of(caller.isEmpty() ? "" : caller).toAbsolutePath().resolve(p).normalize();
    }
}
