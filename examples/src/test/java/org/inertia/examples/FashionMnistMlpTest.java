package org.inertia.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.kernels.Storage;
import org.inertia.nn.data.ImageDataset;
import org.inertia.nn.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's training example on synthetic Fashion-MNIST-shaped data (class c lights a 6×6 block at
 * its own place, plus noise), which an MLP learns in a few hundred steps, and keeps README.md in step with
 * the example's source.
 */
class FashionMnistMlpTest {
    private static ImageDataset synthetic(int n, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10);
            labels[i] = c;
            int top = 2 + (c / 5) * 12;
            int left = 2 + (c % 5) * 5;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int col = p % 28;
                boolean on = row >= top && row < top + 6 && col >= left && col < left + 6;
                pixels[i * 784 + p] = (on ? 0.7f : 0f) + 0.25f * r.nextFloat();
            }
        }
        return new ImageDataset(NdArray.of(pixels, n, 28, 28), labels);
    }

    @Test
    void theExampleLearnsSavesACheckpointAndFreesItsMemory(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("mlp.ckpt");
        long liveBefore = Storage.liveCount();
        try (ImageDataset train = synthetic(640, 1); ImageDataset test = synthetic(200, 2)) {
            double accuracy = FashionMnistMlp.train(train, test, 2, ckpt);
            assertTrue(accuracy > 0.9, "test accuracy after 2 epochs (chance 0.1): " + accuracy);
        }
        assertEquals(liveBefore, Storage.liveCount(), "the example leaves no off-heap buffer open");
        Checkpoint.Info info = Checkpoint.inspect(ckpt);
        assertEquals(2 * 10, info.steps(), "2 epochs of 10 batches of 64");
        assertTrue(info.tensors().contains("model.0.weight") && info.tensors().contains("model.2.bias"), info.tensors().toString());
        assertEquals(2, info.dataLoaders().get("data_loader").epoch());
    }

    @Test
    void theReadmeShowsTheExampleAsItIs() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        List<String> source = Files.readAllLines(root.resolve(
                "examples/src/main/java/org/inertia/examples/FashionMnistMlp.java"));
        int at = 0;
        boolean started = false;
        for (String line : source) {
            started |= line.startsWith("public final class");
            if (!started || line.isBlank()) {
                continue;
            }
            int found = readme.indexOf(line, at);
            assertTrue(found >= 0, "README.md lacks (or misorders) this line of FashionMnistMlp.java:\n" + line);
            at = found + line.length();
        }
    }
}
