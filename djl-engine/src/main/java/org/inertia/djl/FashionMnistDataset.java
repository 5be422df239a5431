package org.inertia.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import org.inertia.nn.data.FashionMnist;
import org.inertia.nn.data.ImageDataset;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.FloatBuffer;

/**
 * Fashion-MNIST as a DJL {@link ArrayDataset}, read with Inertia's IDX reader ({@code org.inertia.nn.data}) from
 * where {@code apt-get install dataset-fashion-mnist} puts it (or {@code -Dinertia.data.fashion-mnist} /
 * {@code INERTIA_FASHION_MNIST}): data are flattened images [n, 784] float32 in [0, 1], labels [n] float32.
 */
public final class FashionMnistDataset {
    private FashionMnistDataset() {
    }

    /**
     * Whether the IDX files can be found.
     *
     * @return true when Fashion-MNIST is installed or configured
     */
    public static boolean isAvailable() {
        return FashionMnist.isAvailable();
    }

    /**
     * The first {@code limit} samples (all when {@code limit} &lt;= 0) of the training or the test split, in
     * {@code manager}, as an ArrayDataset with the given batch size.
     *
     * @param manager the manager that will own the arrays
     * @param train the training split (60 000 images) or the test split (10 000)
     * @param limit how many samples to keep (all when &lt;= 0)
     * @param batchSize the dataset's batch size
     * @param shuffle whether the sampler shuffles
     * @return the dataset
     * @throws IOException if the files cannot be read
     */
    public static ArrayDataset create(NDManager manager, boolean train, int limit, int batchSize, boolean shuffle)
            throws IOException {
        try (ImageDataset d = train ? FashionMnist.train() : FashionMnist.test()) {
            int n = limit > 0 ? Math.min(limit, d.size()) : d.size();
            int pixels = d.images().dim(1) * d.images().dim(2);
            float[] x = new float[n * pixels];
            MemorySegment.copy(d.images().segment(), java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED,
                    d.images().offset() * 4, x, 0, x.length);
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = d.label(i);
            }
            NDArray data = manager.create(FloatBuffer.wrap(x), new Shape(n, pixels), DataType.FLOAT32);
            NDArray labels = manager.create(y);
            return new ArrayDataset.Builder().setData(data).optLabels(labels).setSampling(batchSize, shuffle)
                    .build();
        }
    }
}
