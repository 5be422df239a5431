package org.inertia.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.inertia.app.experiments.ImageData;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the image data comes from and how much of it to use: {@code --data}, {@code --dataset}, sizes. */
public final class DataOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--data", paramLabel = "DIR", description = "directory with the four IDX files (raw or .gz); "
            + "default: the installed data set (Fashion-MNIST: apt-get install dataset-fashion-mnist)")
    Path dir;

    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist or mnist (default: fashion-mnist)",
            converter = DatasetConverter.class)
    ImageData.Dataset dataset = ImageData.Dataset.FASHION_MNIST;

    @Option(names = "--train-size", paramLabel = "N", description = "use the first N training images, 0 = all (default: ${DEFAULT-VALUE})")
    int trainSize;

    @Option(names = "--test-size", paramLabel = "N", description = "use the first N test images, 0 = all (default: ${DEFAULT-VALUE})")
    int testSize;

    public DataOptions() {
        this(0, 0);
    }

    public DataOptions(int trainSize, int testSize) {
        this.trainSize = trainSize;
        this.testSize = testSize;
    }

    /** Loads the data (a {@link org.inertia.nn.data.DatasetNotFoundException} says how to install it). */
    public ImageData load() throws IOException {
        OptionValues.atLeast(mixee, "--train-size", trainSize, 0);
        OptionValues.atLeast(mixee, "--test-size", testSize, 0);
        return ImageData.load(dataset, dir, trainSize, testSize);
    }

    /** A readable name of the data set. */
    public String name() {
        return dataset == ImageData.Dataset.MNIST ? "MNIST" : "Fashion-MNIST";
    }

    /** fashion-mnist | mnist. */
    static final class DatasetConverter implements picocli.CommandLine.ITypeConverter<ImageData.Dataset> {
        @Override
        public ImageData.Dataset convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "fashion-mnist", "fashion_mnist", "fashionmnist" -> ImageData.Dataset.FASHION_MNIST;
                case "mnist" -> ImageData.Dataset.MNIST;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a data set; use fashion-mnist or mnist");
            };
        }
    }
}
