package org.inertia.app.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --epochs N} (passes over the training set, at least 1) as a picocli mixin with a per-verb default. */
public final class EpochsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    public EpochsOption() {
        this(1);
    }

    public EpochsOption(int defaultEpochs) {
        this.epochs = defaultEpochs;
    }

    /** The validated value (a picocli parameter error, exit code 2, when below 1). */
    public int get() {
        return OptionValues.atLeast(mixee, "--epochs", epochs, 1);
    }
}
