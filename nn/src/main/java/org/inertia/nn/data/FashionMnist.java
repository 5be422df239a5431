package org.inertia.nn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando): 60 000 training and 10 000 test grey 28×28 images of 10 clothing classes.
 *
 * <p>Looked up in this order: the system property {@value #PROPERTY}, the environment variable
 * {@value #ENV} (each naming a directory with the four IDX files, raw or gzip), then {@link #DEBIAN_DIR},
 * where Debian's {@code dataset-fashion-mnist} package installs them.
 */
public final class FashionMnist {
    /** System property naming the Fashion-MNIST directory; looked at first. */
    public static final String PROPERTY = "inertia.data.fashion-mnist";
    /**
     * Environment variable naming the Fashion-MNIST directory; looked at after {@link #PROPERTY}.
     */
    public static final String ENV = "INERTIA_FASHION_MNIST";
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names, indexed by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final IdxDataset DATASET = new IdxDataset("Fashion-MNIST", PROPERTY, ENV, List.of(DEBIAN_DIR),
            "Fashion-MNIST not found: install it with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu, "
                    + "files land in " + DEBIAN_DIR + ") or point -D" + PROPERTY + "=DIR (or " + ENV
                    + "=DIR) at a directory holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                    + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.");

    private FashionMnist() {
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
