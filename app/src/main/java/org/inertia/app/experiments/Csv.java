package org.inertia.app.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** CSV files of curves and tables, written through a temporary file and an atomic rename. */
public final class Csv {
    private Csv() {
    }

    /**
     * Curves as columns: a first column {@code xName} counting 1, 2, … and one column per curve (element
     * i of each array is row i + 1; shorter curves leave empty cells).
     */
    public static void columns(Path csv, String xName, Map<String, double[]> curves) throws IOException {
        int rows = curves.values().stream().mapToInt(c -> c.length).max().orElse(0);
        write(csv, w -> {
            w.print(quote(xName));
            for (String name : curves.keySet()) {
                w.print("," + quote(name));
            }
            w.println();
            for (int k = 0; k < rows; k++) {
                w.print(k + 1);
                for (double[] c : curves.values()) {
                    w.print(',');
                    if (k < c.length) {
                        w.print(c[k]);
                    }
                }
                w.println();
            }
        });
    }

    /** Named (x, y) series in long form: {@code series,x,y} (series.get(name)[0] the x, [1] the y values). */
    public static void series(Path csv, String xName, String yName, Map<String, double[][]> series) throws IOException {
        write(csv, w -> {
            w.println("series," + quote(xName) + "," + quote(yName));
            series.forEach((name, xy) -> {
                for (int i = 0; i < xy[0].length; i++) {
                    w.println(quote(name) + "," + xy[0][i] + "," + xy[1][i]);
                }
            });
        });
    }

    /** A table: a header row, then the rows. */
    public static void table(Path csv, List<String> header, List<List<String>> rows) throws IOException {
        write(csv, w -> {
            w.println(String.join(",", header.stream().map(Csv::quote).toList()));
            for (List<String> r : rows) {
                w.println(String.join(",", r.stream().map(Csv::quote).toList()));
            }
        });
    }

    private interface Body {
        void write(PrintWriter w);
    }

    private static void write(Path csv, Body body) throws IOException {
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Path tmp = TempFiles.register(csv.resolveSibling(csv.getFileName() + ".tmp"));
        try {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(tmp))) {
                body.write(w);
                if (w.checkError()) {
                    throw new IOException(tmp + ": write failed");
                }
            }
            Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            TempFiles.release(tmp);
        }
    }

    /** Quotes a field that holds a comma, a quote or a line break (RFC 4180). */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
