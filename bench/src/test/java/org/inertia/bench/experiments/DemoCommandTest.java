package org.inertia.bench.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.inertia.bench.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
    @Test
    void demoPassesItsKernelChecksAndWritesEveryReport(@TempDir Path dir) throws Exception {
        int code = new CommandLine(new Main()).execute("demo", "--steps", "200", "--gemm-n", "128", "--out", dir.toString());
        assertEquals(0, code, "a kernel disagreed with its reference");
        for (String f : new String[] {"quadratic/quadratic-path.html", "quadratic/quadratic-path-exact.csv",
            "heavyball/heavyball.html", "heavyball/heavyball-rates.csv", "copying/rnn-copying.html",
            "copying/rnn-copying-loss.png", "copying/rnn-copying-gradnorm.svg", "demo.html"}) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
    }
}
