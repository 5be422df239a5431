package org.inertia.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLocatorTest {
    @TempDir
    Path dir;

    private void writeSplit(Path d, String split, int n, boolean gz) {
        double[] px = new double[n * 28 * 28];
        double[] lab = new double[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = i % 256;
        }
        for (int i = 0; i < n; i++) {
            lab[i] = i % 10;
        }
        byte[] images = IdxFiles.bytes(0x08, new int[] {n, 28, 28}, px);
        byte[] labels = IdxFiles.bytes(0x08, new int[] {n}, lab);
        String suffix = gz ? ".gz" : "";
        IdxFiles.write(d.resolve(split + "-images-idx3-ubyte" + suffix), gz ? IdxFiles.gzip(images) : images);
        IdxFiles.write(d.resolve(split + "-labels-idx1-ubyte" + suffix), gz ? IdxFiles.gzip(labels) : labels);
    }

    private static IdxDataset fashionWithDefault(Path defaultDir) {
        IdxDataset f = FashionMnist.DATASET;
        return new IdxDataset(f.name(), f.property(), f.envVar(), List.of(defaultDir), f.installHint());
    }

    @Test
    void propertyThenEnvironmentThenDefaultDirectory() throws IOException {
        Path fromProp = Files.createDirectory(dir.resolve("prop"));
        Path fromEnv = Files.createDirectory(dir.resolve("env"));
        Path fallback = Files.createDirectory(dir.resolve("default"));
        for (Path d : List.of(fromProp, fromEnv, fallback)) {
            writeSplit(d, "train", 3, true);
            writeSplit(d, "t10k", 2, false);
        }
        IdxDataset ds = fashionWithDefault(fallback);
        Map<String, String> props = Map.of(FashionMnist.PROPERTY, fromProp.toString());
        Map<String, String> env = Map.of(FashionMnist.ENV, fromEnv.toString());
        assertEquals(fromProp, ds.locate(props::get, env::get));
        assertEquals(fromEnv, ds.locate(k -> null, env::get));
        assertEquals(fallback, ds.locate(k -> null, k -> null));

        try (ImageDataset train = IdxDataset.read(fromProp, "train"); ImageDataset test = IdxDataset.read(fromProp, "t10k")) {
            assertArrayEquals(new int[] {3, 28, 28}, train.images().shape().dims());
            assertArrayEquals(new int[] {0, 1, 2}, train.labels());
            assertEquals(2, test.size());
            assertEquals(1f / 255f, train.images().get(0, 0, 1));
        }
    }

    @Test
    void notFoundSaysHowToInstall() {
        IdxDataset ds = fashionWithDefault(dir.resolve("absent"));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> ds.locate(k -> null, k -> null));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains(FashionMnist.PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains(FashionMnist.ENV), e.getMessage());

        e = assertThrows(DatasetNotFoundException.class, () -> Mnist.DATASET.locate(k -> null, k -> null));
        assertTrue(e.getMessage().contains(Mnist.PROPERTY) && e.getMessage().contains(Mnist.ENV), e.getMessage());
    }

    @Test
    void propertyPointingAtAnIncompleteDirectoryIsAnError() {
        writeSplit(dir, "train", 1, true); // no t10k files
        Map<String, String> props = Map.of(FashionMnist.PROPERTY, dir.toString());
        var e = assertThrows(DatasetNotFoundException.class,
                () -> fashionWithDefault(dir.resolve("absent")).locate(props::get, k -> null));
        assertTrue(e.getMessage().contains("system property " + FashionMnist.PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
    }

    /** Runs only where Fashion-MNIST is installed (apt-get install dataset-fashion-mnist); CI need not have it. */
    @Test
    void realFashionMnistWhenInstalled() throws IOException {
        assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST is not installed");
        try (ImageDataset train = FashionMnist.train(); ImageDataset test = FashionMnist.test()) {
            assertArrayEquals(new int[] {60000, 28, 28}, train.images().shape().dims());
            assertArrayEquals(new int[] {10000, 28, 28}, test.images().shape().dims());
            int[] counts = new int[10];
            for (int y : train.labels()) {
                counts[y]++;
            }
            assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, counts);
            float[] first = train.images().select(0, 0).toFloatArray();
            float max = 0;
            for (float v : first) {
                assertTrue(v >= 0 && v <= 1);
                max = Math.max(max, v);
            }
            assertEquals(1f, max); // every Fashion-MNIST image is normalised to reach 255
            assertEquals(9, train.label(0)); // the first training image is an ankle boot
        }
    }
}
