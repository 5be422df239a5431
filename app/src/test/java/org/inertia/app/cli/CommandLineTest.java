package org.inertia.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line itself: help on every verb, the shared options, and clear errors for bad input. */
class CommandLineTest {
    @ParameterizedTest
    @ValueSource(strings = {"demo", "quadratic", "heavyball", "logreg", "rnn", "resnet", "sample", "bench"})
    void everyVerbHasHelpAndTheSharedOptions(String verb) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute(verb, "--help"));
        String usage = out.toString();
        assertTrue(usage.contains("--seed") && usage.contains("--out"), verb + ": " + usage);
        assertTrue(usage.contains("--steps") || usage.contains("--epochs"), verb + ": " + usage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"quadratic", "heavyball", "rnn", "sample", "bench"})
    void zeroStepsIsAParameterErrorNamingTheOption(String verb) {
        Cli.Result r = Cli.run(verb, "--steps", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'--steps'") && r.err().contains("'0'"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void malformedNumbersAndUnknownChoicesAreParameterErrors() {
        assertEquals(2, Cli.run("logreg", "--epochs", "two").code());
        Cli.Result cell = Cli.run("rnn", "--cell", "gru");
        assertEquals(2, cell.code());
        assertTrue(cell.err().contains("'gru'") && cell.err().contains("--cell"), cell.err());
        Cli.Result task = Cli.run("rnn", "--task", "sorting");
        assertEquals(2, task.code());
        assertTrue(task.err().contains("sorting"), task.err());
        Cli.Result depth = Cli.run("resnet", "--depth", "10");
        assertEquals(2, depth.code());
        assertTrue(depth.err().contains("'--depth'"), depth.err());
        assertEquals(2, Cli.run("logreg", "--optimizers", "lbfgs").code());
        Cli.Result logreg = Cli.run("logreg", "--methods", "lbfgs");
        assertEquals(2, logreg.code());
        assertTrue(logreg.err().contains("'lbfgs'") && logreg.err().contains("SF-AdamW"), logreg.err());
        Cli.Result quad = Cli.run("quadratic", "--methods", "GD,lbfgs");
        assertEquals(2, quad.code());
        assertTrue(quad.err().contains("'lbfgs'") && quad.err().contains("QHM+Demon"), quad.err());
        assertEquals(2, Cli.run("heavyball", "--kappa", "0.5").code());
        assertEquals(2, Cli.run("sample", "--step-scale", "3").code());
    }

    @Test
    void cudaIsReportedAsUnavailableWithoutAStackTrace(@TempDir Path dir) {
        Cli.Result r = Cli.run("resnet", "--device", "cuda", "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("CUDA backend is not available"), r.err());
        assertFalse(r.err().contains("at org."), r.err());
    }

    @Test
    void aMissingDataDirectorySaysWhatIsMissing(@TempDir Path dir) {
        Cli.Result r = Cli.run("logreg", "--data", dir.resolve("nothing").toString(), "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--data") && r.err().contains("train-images-idx3-ubyte"), r.err());
        assertFalse(r.err().contains("at org."), r.err());
    }
}
