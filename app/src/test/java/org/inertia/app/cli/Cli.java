package org.inertia.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine;

/** Test helpers: run a verb and capture its error stream; write small synthetic IDX data sets. */
final class Cli {
    record Result(int code, String err) {
    }

    private Cli() {
    }

    /** Runs {@code inertia args…} as the program does (same exception handling). */
    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, err.toString());
    }

    /** Runs a verb's command object directly (its results stay readable afterwards). */
    static int run(Object command, String... args) {
        return new CommandLine(command).execute(args);
    }

    /**
     * Writes a Fashion-MNIST-shaped data set that a linear model can learn: 28×28 images where class c lights a
     * 6×6 block at a class-specific place, plus noise; {@code gz} writes the files gzipped (as Debian ships them).
     */
    static Path idxDataset(Path dir, int train, int test, boolean gz) throws Exception {
        Files.createDirectories(dir);
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (var split : List.of(new Object[] {"train", train}, new Object[] {"t10k", test})) {
            String name = (String) split[0];
            int n = (Integer) split[1];
            byte[] images = new byte[16 + n * 784];
            byte[] labels = new byte[8 + n];
            header(images, 0x0803, n, 28, 28);
            header(labels, 0x0801, n);
            for (int i = 0; i < n; i++) {
                int c = r.nextInt(10);
                labels[8 + i] = (byte) c;
                int top = 2 + (c / 5) * 12;
                int left = 2 + (c % 5) * 5;
                for (int p = 0; p < 784; p++) {
                    int row = p / 28;
                    int col = p % 28;
                    boolean on = row >= top && row < top + 6 && col >= left && col < left + 6;
                    int v = (on ? 180 : 0) + r.nextInt(60);
                    images[16 + i * 784 + p] = (byte) v;
                }
            }
            write(dir.resolve(name + "-images-idx3-ubyte" + (gz ? ".gz" : "")), images, gz);
            write(dir.resolve(name + "-labels-idx1-ubyte" + (gz ? ".gz" : "")), labels, gz);
        }
        return dir;
    }

    private static void header(byte[] b, int magic, int... dims) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        bb.putInt(magic);
        for (int d : dims) {
            bb.putInt(d);
        }
    }

    private static void write(Path f, byte[] data, boolean gz) throws Exception {
        if (gz) {
            try (var out = new GZIPOutputStream(Files.newOutputStream(f))) {
                out.write(data);
            }
        } else {
            Files.write(f, data);
        }
    }

    /** Asserts that each file exists and is not tiny; PNGs must start with the PNG signature, SVGs hold an svg element. */
    static void assertFiles(Path dir, String... names) throws Exception {
        for (String n : names) {
            Path f = dir.resolve(n);
            org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(f) && Files.size(f) > (n.endsWith(".csv") ? 20 : 100),
                    "missing or empty " + f);
            if (n.endsWith(".png")) {
                byte[] b = Files.readAllBytes(f);
                org.junit.jupiter.api.Assertions.assertEquals((byte) 0x89, b[0], n);
                org.junit.jupiter.api.Assertions.assertEquals('P', b[1], n);
            } else if (n.endsWith(".svg")) {
                org.junit.jupiter.api.Assertions.assertTrue(Files.readString(f).contains("<svg"), n);
            } else if (n.endsWith(".html")) {
                String html = Files.readString(f);
                org.junit.jupiter.api.Assertions.assertTrue(html.contains("<table>"), n);
            }
        }
        try (var s = Files.list(dir)) {
            org.junit.jupiter.api.Assertions.assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")), "temporary files left in " + dir);
        }
    }
}
