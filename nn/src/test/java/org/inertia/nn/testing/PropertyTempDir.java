package org.inertia.nn.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary directory for jqwik properties, which do not get JUnit's {@code @TempDir}: created on first
 * use, emptied and removed by {@link #clear()} (call it from an {@code @AfterProperty} method).
 */
public final class PropertyTempDir {
    private final String prefix;
    private Path dir;

    public PropertyTempDir(String prefix) {
        this.prefix = prefix;
    }

    /** The directory, created if needed. */
    public Path get() {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory(prefix);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the files in the directory and the directory itself. */
    public void clear() throws IOException {
        if (dir != null) {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
            dir = null;
        }
    }
}
