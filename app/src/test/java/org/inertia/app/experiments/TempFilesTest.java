package org.inertia.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results are written through temporary files that neither a finished nor an interrupted run leaves behind. */
class TempFilesTest {
    /** The child: starts writing a result, says so, and waits to be interrupted. */
    public static void main(String[] args) throws Exception {
        Path tmp = TempFiles.register(Path.of(args[0]));
        Files.writeString(tmp, "half a result");
        System.out.println("writing");
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void anInterruptedRunDeletesItsTemporaryFiles(@TempDir Path dir) throws Exception {
        Path tmp = dir.resolve("curve.csv.tmp");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TempFilesTest.class.getName(), tmp.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("writing", r.readLine());
            assertTrue(Files.exists(tmp));
            p.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(tmp), "the interrupted run left its temporary file");
    }

    @Test
    void finishedAndFailedWritesLeaveNoTemporaryFile(@TempDir Path dir) throws Exception {
        int before = TempFiles.pending();
        Csv.columns(dir.resolve("a.csv"), "k", Map.of("x", new double[] {1, 2}));
        Plots.logY("a curve", "k", "value", Map.of("x", new double[] {1, 0.5}), dir.resolve("a"));
        new HtmlReport("t").paragraph("p").write(dir.resolve("a.html"));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("a.csv", "a.html", "a.png", "a.svg"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(before, TempFiles.pending(), "finished writes must unregister their temporary files");
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> Csv.columns(notADir.resolve("b.csv"), "k", Map.of("x", new double[] {1})));
        assertEquals(before, TempFiles.pending());
    }
}
