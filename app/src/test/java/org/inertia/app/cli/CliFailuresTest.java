package org.inertia.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input/output or data-format failure of a verb is one line, {@code inertia <verb>: <option> <path>:
 * <reason>}, exit code 1, no stack trace unless {@code --debug}; paths are the caller's.
 */
class CliFailuresTest {
    /** The one line of a failure: exit 1, a single line naming the verb, option and path, no stack trace. */
    private static String oneLine(Cli.Result r, String verb, String option, Path path) {
        assertEquals(1, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "one line, not a stack trace:\n" + r.err());
        assertTrue(lines[0].startsWith("inertia " + verb + ": " + option + " " + path + ": "), lines[0]);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        return lines[0];
    }

    private static Path data(Path tmp) throws Exception {
        return Cli.idxDataset(tmp.resolve("data"), 60, 20, false);
    }

    @Test
    void aCorruptIdxFileIsOneLineNamingTheFile(@TempDir Path tmp) throws Exception {
        Path d = data(tmp);
        Path images = d.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(images);
        b[2] = 0x77; // an element type IDX does not have
        Files.write(images, b);
        String line = oneLine(Cli.run("logreg", "--data", d.toString(), "--out", tmp.resolve("out").toString()),
                "logreg", "--data", images);
        assertTrue(line.contains("magic number"), line);
    }

    @Test
    void aTruncatedIdxFileIsOneLine(@TempDir Path tmp) throws Exception {
        Path d = data(tmp);
        Path labels = d.resolve("t10k-labels-idx1-ubyte");
        byte[] b = Files.readAllBytes(labels);
        Files.write(labels, Arrays.copyOf(b, b.length - 5));
        String line = oneLine(Cli.run("rnn", "--task", "pixel", "--data", d.toString(), "--steps", "1",
                "--out", tmp.resolve("out").toString()), "rnn", "--data", labels);
        assertTrue(line.contains("truncated"), line);
    }

    @Test
    void imagesAndLabelsOfDifferentCountsAreOneLine(@TempDir Path tmp) throws Exception {
        Path d = data(tmp);
        Path other = Cli.idxDataset(tmp.resolve("other"), 61, 20, false);
        Files.copy(other.resolve("train-labels-idx1-ubyte"), d.resolve("train-labels-idx1-ubyte"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String line = oneLine(Cli.run("resnet", "--data", d.toString(), "--epochs", "1", "--out", tmp.resolve("out").toString()),
                "resnet", "--data", d.resolve("train-labels-idx1-ubyte"));
        assertTrue(line.contains("61 labels") && line.contains("60 images"), line);
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedIsOneLine(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path out = file.resolve("results");
        String line = oneLine(Cli.run("heavyball", "--steps", "10", "--out", out.toString()), "heavyball", "--out", out);
        assertTrue(line.contains("cannot create"), line);
        Cli.Result debug = Cli.run("heavyball", "--steps", "10", "--out", out.toString(), "--debug");
        assertEquals(1, debug.code());
        assertTrue(debug.err().contains("\tat org.inertia") && debug.err().strip().endsWith(line), debug.err());
    }

    @Test
    void anEmptyOutIsRefusedAndNothingIsWritten(@TempDir Path tmp) {
        Cli.Result r = Cli.run("quadratic", "--out", "", "--steps", "5", "--dim", "4");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out") && r.err().contains("empty path"), r.err());
        assertFalse(Files.exists(Path.of("quadratic-path.html")), "wrote into the working directory");
    }

    @Test
    void relativePathsAreTheCallersNotTheProcesss(@TempDir Path tmp) throws Exception {
        String previous = System.getProperty(CallerPaths.PROPERTY);
        System.setProperty(CallerPaths.PROPERTY, tmp.toString());
        try {
            assertEquals(0, Cli.run("heavyball", "--steps", "10", "--out", "results/hb").code());
        } finally {
            if (previous == null) {
                System.clearProperty(CallerPaths.PROPERTY);
            } else {
                System.setProperty(CallerPaths.PROPERTY, previous);
            }
        }
        assertTrue(Files.isRegularFile(tmp.resolve("results/hb/heavyball.html")), "not under the caller's directory");
        assertFalse(Files.exists(Path.of("results/hb")), "written under the process's directory");
        assertEquals(Path.of("/abs/x"), CallerPaths.resolve("/abs/./x"), "absolute paths stay as they are");
    }
}
