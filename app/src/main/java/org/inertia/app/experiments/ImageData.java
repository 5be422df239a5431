package org.inertia.app.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.inertia.kernels.NdArray;
import org.inertia.nn.data.DatasetNotFoundException;
import org.inertia.nn.data.FashionMnist;
import org.inertia.nn.data.IdxFormatException;
import org.inertia.nn.data.IdxReader;
import org.inertia.nn.data.ImageDataset;
import org.inertia.nn.data.Mnist;

/**
 * The image classification data of the experiments: Fashion-MNIST or MNIST (28×28 grey, 10 classes), from
 * a directory given on the command line ({@code --data DIR}, holding the four IDX files raw or gzipped) or
 * else found by nn's locators, which explain how to install the data when it is missing. Optionally the
 * first {@code trainSize} / {@code testSize} samples only.
 */
public final class ImageData implements AutoCloseable {
    /** Which data set. */
    public enum Dataset { FASHION_MNIST, MNIST }

    private static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private final ImageDataset train;
    private final ImageDataset test;
    private final Path dir;

    private ImageData(ImageDataset train, ImageDataset test, Path dir) {
        this.train = train;
        this.test = test;
        this.dir = dir;
    }

    /**
     * Loads {@code dataset} from {@code dir} (null: the installed copy), keeping at most {@code trainSize} and
     * {@code testSize} samples (0: all).
     */
    public static ImageData load(Dataset dataset, Path dir, int trainSize, int testSize) throws IOException {
        Path d = dir != null ? checked(dir) : switch (dataset) {
            case FASHION_MNIST -> FashionMnist.locate();
            case MNIST -> Mnist.locate();
        };
        ImageDataset train = head(read(d, "train"), trainSize);
        try {
            return new ImageData(train, head(read(d, "t10k"), testSize), d);
        } catch (IOException | RuntimeException e) {
            train.close();
            throw e;
        }
    }

    private static Path checked(Path dir) throws DatasetNotFoundException {
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f)) && !Files.isRegularFile(dir.resolve(f + ".gz"))) {
                throw new DatasetNotFoundException("--data " + dir + ": no " + f + " (or " + f + ".gz) there; the "
                        + "directory must hold " + String.join(", ", FILES) + " (each raw or .gz)");
            }
        }
        return dir;
    }

    private static ImageDataset read(Path dir, String split) throws IOException {
        Path images = file(dir, split + "-images-idx3-ubyte");
        Path labels = file(dir, split + "-labels-idx1-ubyte");
        int[] y = IdxReader.readLabels(labels);
        NdArray x = IdxReader.readImages(images, IdxReader.PixelScale.UNIT);
        if (x.dim(0) != y.length) {
            x.close();
            throw new IdxFormatException(labels, "holds " + y.length + " labels but " + images.getFileName() + " holds "
                    + x.dim(0) + " images");
        }
        return new ImageDataset(x, y);
    }

    private static Path file(Path dir, String base) {
        Path raw = dir.resolve(base);
        return Files.isRegularFile(raw) ? raw : dir.resolve(base + ".gz");
    }

    private static ImageDataset head(ImageDataset all, int n) {
        if (n <= 0 || n >= all.size()) {
            return all;
        }
        NdArray x = all.images().slice(0, 0, n).copy();
        int[] y = Arrays.copyOf(all.labels(), n);
        all.close();
        return new ImageDataset(x, y);
    }

    public ImageDataset train() {
        return train;
    }

    public ImageDataset test() {
        return test;
    }

    /** Where the files were read from. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        train.close();
        test.close();
    }

    /**
     * The images averaged over non-overlapping p×p blocks ([n, rows/p, cols/p]; rows and cols divisible by p):
     * a shorter pixel sequence, (28/p)² steps, for short recurrent runs. The result is a new dataset.
     */
    public static ImageDataset pooled(ImageDataset d, int p) {
        NdArray x = d.images();
        int n = x.dim(0);
        int rows = x.dim(1);
        int cols = x.dim(2);
        if (p < 1 || rows % p != 0 || cols % p != 0) {
            throw new IllegalArgumentException("pool " + p + " must divide the image size " + rows + "x" + cols);
        }
        NdArray y = NdArray.zeros(x.dtype(), n, rows / p, cols / p);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows / p; r++) {
                for (int c = 0; c < cols / p; c++) {
                    double s = 0;
                    for (int a = 0; a < p; a++) {
                        for (int b = 0; b < p; b++) {
                            s += x.get(i, r * p + a, c * p + b);
                        }
                    }
                    y.set(s / (p * p), i, r, c);
                }
            }
        }
        return new ImageDataset(y, d.labels());
    }
}
