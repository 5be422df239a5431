package org.inertia.app.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --steps N} (iterations, at least 1) as a picocli mixin whose default each verb chooses. */
public final class StepsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--steps", paramLabel = "N", description = "iterations (default: ${DEFAULT-VALUE})")
    int steps;

    public StepsOption() {
        this(1000);
    }

    public StepsOption(int defaultSteps) {
        this.steps = defaultSteps;
    }

    /** The validated value (a picocli parameter error, exit code 2, when below 1). */
    public int get() {
        return OptionValues.atLeast(mixee, "--steps", steps, 1);
    }
}
