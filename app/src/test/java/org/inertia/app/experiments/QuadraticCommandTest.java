package org.inertia.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.inertia.app.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuadraticCommandTest {
    @Test
    void writesOneCsvPerNoiseRegimeWithEveryMethod(@TempDir Path dir) throws Exception {
        int code = new CommandLine(new Main()).execute("quadratic", "--dim", "20", "--steps", "50", "--out", dir.toString());
        assertEquals(0, code);
        for (String regime : List.of("exact", "case-i", "case-ii")) {
            Path csv = dir.resolve("quadratic-path-" + regime + ".csv");
            List<String> lines = Files.readAllLines(csv);
            assertEquals("k,GD,GD+momentum,heavy ball,NAG,ARNAG,ARNAG (f at v),SRNAG", lines.get(0));
            assertEquals(51, lines.size());
            assertTrue(lines.get(50).startsWith("50,"));
            byte[] png = Files.readAllBytes(dir.resolve("quadratic-path-" + regime + ".png"));
            assertEquals((byte) 0x89, png[0], "PNG signature");
            assertEquals('P', png[1]);
            assertTrue(Files.readString(dir.resolve("quadratic-path-" + regime + ".svg")).contains("<svg"));
        }
        String html = Files.readString(dir.resolve("quadratic-path.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("SRNAG") && html.contains("<table>"));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left");
        }
    }
}
