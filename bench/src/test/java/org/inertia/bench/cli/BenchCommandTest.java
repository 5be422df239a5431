package org.inertia.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @Test
    void runsOurBenchmarkThroughJmhAndReportsTheBaselineOrWhyItIsMissing(@TempDir Path tmp) throws Exception {
        BenchCommand cmd = new BenchCommand();
        Path out = tmp.resolve("out");
        assertEquals(0, Cli.run(cmd, "--quick", "--only", "blas1", "--steps", "1", "--compare-dir",
                Path.of("compare").toAbsolutePath().toString(), "--out", out.toString()));
        assertEquals(4, cmd.rows.size(), "sdot and saxpy at two sizes");
        for (BenchCommand.Row r : cmd.rows) {
            assertTrue(r.ours() > 0 && Double.isFinite(r.ours()), r.toString());
            assertTrue(r.baseline() != null ? r.ratio() > 0 : r.note() != null && !r.note().isEmpty(), r.toString());
        }
        List<String> csv = Files.readAllLines(out.resolve("bench-results.csv"));
        assertEquals(5, csv.size());
        assertTrue(csv.get(1).contains("missing") == (cmd.rows.getFirst().baseline() == null), csv.get(1));
        assertTrue(Files.readString(out.resolve("bench.html")).contains("<table>"));
    }
}
