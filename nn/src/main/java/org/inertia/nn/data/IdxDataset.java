package org.inertia.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Finds and reads an MNIST-style dataset: four IDX files ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each
 * optionally {@code .gz}) in one directory, looked up from a system property, then an environment
 * variable, then well-known install directories.
 */
record IdxDataset(String name, String property, String envVar, List<Path> defaultDirs, String installHint) {
    static final List<String> SPLITS = List.of("train", "t10k");

    /** The directory holding all four files, or an exception saying how to provide it. */
    Path locate(UnaryOperator<String> properties, UnaryOperator<String> environment) throws DatasetNotFoundException {
        String p = properties.apply(property);
        if (p != null && !p.isBlank()) {
            return checked(Path.of(p), "system property " + property);
        }
        String e = environment.apply(envVar);
        if (e != null && !e.isBlank()) {
            return checked(Path.of(e), "environment variable " + envVar);
        }
        for (Path dir : defaultDirs) {
            if (missingFile(dir) == null) {
                return dir;
            }
        }
        throw new DatasetNotFoundException(installHint);
    }

    Path locate() throws DatasetNotFoundException {
        return locate(System::getProperty, System::getenv);
    }

    private Path checked(Path dir, String source) throws DatasetNotFoundException {
        String missing = missingFile(dir);
        if (missing != null) {
            throw new DatasetNotFoundException(name + ": " + source + " points to " + dir + ", which has no "
                    + missing + " (or " + missing + ".gz)");
        }
        return dir;
    }

    /** The first of the four files absent from {@code dir}, or null when all are there. */
    private static String missingFile(Path dir) {
        for (String split : SPLITS) {
            for (String kind : List.of("images-idx3-ubyte", "labels-idx1-ubyte")) {
                String f = split + "-" + kind;
                if (find(dir, f) == null) {
                    return f;
                }
            }
        }
        return null;
    }

    private static Path find(Path dir, String base) {
        for (String candidate : List.of(base, base + ".gz")) {
            Path f = dir.resolve(candidate);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    /** Reads split {@code split} ("train" or "t10k") from {@code dir}, pixels scaled into [0, 1]. */
    static ImageDataset read(Path dir, String split) throws IOException {
        Path images = find(dir, split + "-images-idx3-ubyte");
        Path labels = find(dir, split + "-labels-idx1-ubyte");
        if (images == null || labels == null) {
            throw new DatasetNotFoundException(dir + " has no " + split + " images and labels");
        }
        int[] y = IdxReader.readLabels(labels);
        var x = IdxReader.readImages(images, IdxReader.PixelScale.UNIT);
        if (x.dim(0) != y.length) {
            int n = x.dim(0);
            x.close();
            throw new IdxFormatException(images, n + " images but " + labels + " holds " + y.length + " labels");
        }
        return new ImageDataset(x, y);
    }
}
