package org.inertia.nn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST handwritten digits: 60 000 training and 10 000 test grey 28×28 images, labels 0 … 9.
 *
 * <p>Debian does not package MNIST, so it is looked up from the system property {@value #PROPERTY}, then
 * the environment variable {@value #ENV}, each naming a directory with the four IDX files (raw or gzip).
 */
public final class Mnist {
    /** System property naming the MNIST directory; looked at first. */
    public static final String PROPERTY = "inertia.data.mnist";
    /** Environment variable naming the MNIST directory; looked at after {@link #PROPERTY}. */
    public static final String ENV = "INERTIA_MNIST";

    static final IdxDataset DATASET = new IdxDataset("MNIST", PROPERTY, ENV, List.of(),
            "MNIST not found: download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                    + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (for example from "
                    + "https://ossci-datasets.s3.amazonaws.com/mnist/, the mirror torchvision uses) into a "
                    + "directory and set -D" + PROPERTY + "=DIR (or " + ENV + "=DIR).");

    private Mnist() {
    }

    /**
     * The directory holding the dataset.
     *
     * @return the directory with the four IDX files
     * @throws DatasetNotFoundException if no candidate directory holds them; the message says how to install them
     */
    public static Path locate() throws DatasetNotFoundException {
        return DATASET.locate();
    }

    /**
     * Whether {@link #locate()} would succeed.
     *
     * @return true if the four files were found
     */
    public static boolean isAvailable() {
        try {
            locate();
            return true;
        } catch (DatasetNotFoundException e) {
            return false;
        }
    }

    /**
     * The 60 000 training images ([60000, 28, 28] F32 in [0, 1]) and labels.
     *
     * @return a new dataset the caller closes
     * @throws DatasetNotFoundException if the dataset cannot be found
     * @throws IdxFormatException if a file is not valid IDX
     * @throws IOException if a file cannot be read
     */
    public static ImageDataset train() throws IOException {
        return IdxDataset.read(locate(), "train");
    }

    /**
     * The 10 000 test images ([10000, 28, 28] F32 in [0, 1]) and labels.
     *
     * @return a new dataset the caller closes
     * @throws DatasetNotFoundException if the dataset cannot be found
     * @throws IdxFormatException if a file is not valid IDX
     * @throws IOException if a file cannot be read
     */
    public static ImageDataset test() throws IOException {
        return IdxDataset.read(locate(), "t10k");
    }
}
