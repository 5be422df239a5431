package org.inertia.app.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temporary files that results are written to before their atomic rename ({@link Csv}, {@link Plots},
 * {@link HtmlReport}), so that an interrupted run (Ctrl-C, {@code kill}) leaves none behind: a shutdown
 * hook, installed with the first one, deletes every temporary file still registered.
 */
public final class TempFiles {
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();
    private static final Thread HOOK = new Thread(TempFiles::deleteAll, "inertia-temp-files");

    static {
        Runtime.getRuntime().addShutdownHook(HOOK);
    }

    private TempFiles() {
    }

    /** Registers {@code tmp}, about to be written; returns it. */
    public static Path register(Path tmp) {
        OPEN.add(tmp.toAbsolutePath());
        return tmp;
    }

    /** {@code tmp} was renamed or deleted: nothing left to clean. */
    public static void release(Path tmp) {
        OPEN.remove(tmp.toAbsolutePath());
    }

    /** Deletes every registered temporary file (what the shutdown hook does). */
    static void deleteAll() {
        for (Path p : OPEN) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // shutting down: nothing better to do than leave it
            }
        }
        OPEN.clear();
    }

    /** Number of registered temporary files (tests). */
    static int pending() {
        return OPEN.size();
    }
}
