package org.inertia.app.cli;

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
                Path.of("..", "bench", "compare").toAbsolutePath().toString(), "--out", out.toString()));
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

    @Test
    void theMlpComparisonConvertsJmhThroughputToSamplesPerSecond(@TempDir Path tmp) throws Exception {
        BenchCommand cmd = new BenchCommand();
        assertEquals(0, Cli.run(cmd, "--quick", "--only", "mlp", "--steps", "1", "--no-baselines", "--compare-dir",
                Path.of("..", "bench", "compare").toAbsolutePath().toString(), "--out", tmp.resolve("out").toString()));
        assertEquals(1, cmd.rows.size(), "batch 64 in a quick run");
        BenchCommand.Row r = cmd.rows.getFirst();
        assertEquals("samples/s", r.unit());
        // one step of a 784-128-10 MLP takes well over a microsecond and under a second on any machine
        assertTrue(r.ours() > 64 && r.ours() < 64e6, r.toString());
        assertTrue(r.baseline() == null && r.note().contains("--no-baselines"), r.toString());
    }

    @Test
    void theBestBaselineWinsEachRow() {
        BenchCommand.Baselines rate = new BenchCommand.Baselines(true);
        rate.offer("64", 20_000, "torch 1.13 foreach");
        rate.offer("64", 70_000, "torch 2.13 fused");
        rate.offer("64", 50_000, "torch 2.13 foreach");
        assertEquals(new BenchCommand.Best(70_000, "torch 2.13 fused"), rate.best.get("64"));
        BenchCommand.Baselines time = new BenchCommand.Baselines(false);
        time.offer("adam 1000000", 300, "torch 2.13 foreach");
        time.offer("adam 1000000", 180, "torch 2.13 fused");
        assertEquals("torch 2.13 fused", time.best.get("adam 1000000").by());
        assertEquals("no baseline run has this case", time.note());
        time.missing.add("/usr/bin/python3: refused: install OpenBLAS");
        assertTrue(time.note().contains("refused"));
    }
}
