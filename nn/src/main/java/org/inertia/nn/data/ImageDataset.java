package org.inertia.nn.data;

import java.util.Arrays;
import org.inertia.kernels.NdArray;

/**
 * Labelled images held in memory: {@code images} of shape [n, rows, cols] (F32, pixels in [0, 1] when
 * read by {@link FashionMnist} or {@link Mnist}) and {@code labels} of length n. Owns the images: {@link
 * #close()} frees them.
 */
public record ImageDataset(NdArray images, int[] labels) implements AutoCloseable {
    public ImageDataset {
        java.util.Objects.requireNonNull(images, "images");
        java.util.Objects.requireNonNull(labels, "labels");
        if (images.rank() != 3) {
            throw new IllegalArgumentException("images must have shape [n, rows, cols], got " + images.shape());
        }
        if (images.dim(0) != labels.length) {
            throw new IllegalArgumentException("images " + images.shape() + " and " + labels.length
                    + " labels differ in count");
        }
        labels = labels.clone();
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Label of sample {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    @Override
    public void close() {
        images.close();
    }

    @Override
    public String toString() {
        return "ImageDataset(" + images.shape() + ", labels " + Arrays.stream(labels).limit(8).boxed().toList()
                + (labels.length > 8 ? "…)" : ")");
    }
}
