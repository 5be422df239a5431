package org.inertia.nn.data;

import java.util.Arrays;
import org.inertia.kernels.NdArray;

/**
 * Labelled images held in memory: {@code images} of shape [n, rows, cols] (F32, pixels in [0, 1] when
 * read by {@link FashionMnist} or {@link Mnist}) and {@code labels} of length n. Owns the images: {@link
 * #close()} frees them.
 *
 * @param images the images [n, rows, cols]; owned by the dataset
 * @param labels the class of each image, length n (copied on the way in and out)
 */
public record ImageDataset(NdArray images, int[] labels) implements AutoCloseable {
    /**
     * Creates the dataset, taking ownership of {@code images}.
     *
     * @param images the images [n, rows, cols]; the dataset takes ownership
     * @param labels the class of each image, length n; copied
     * @throws IllegalArgumentException if images is not rank 3 or the lengths differ
     */
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

    /**
     * Number of samples.
     *
     * @return n
     */
    public int size() {
        return labels.length;
    }

    /**
     * The labels.
     *
     * @return a new array of the n labels
     */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Label of sample {@code i}.
     *
     * @param i sample index, in [0, n)
     * @return its class
     */
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
