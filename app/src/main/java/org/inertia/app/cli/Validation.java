package org.inertia.app.cli;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values that picocli's type conversion cannot express. A failure is a picocli
 * {@link ParameterException} naming the option and the value, so the verb exits with code 2 and a
 * one-line message, never a stack trace.
 */
final class Validation {
    private Validation() {
    }

    static int atLeast(CommandSpec spec, String option, int value, int min) {
        if (value < min) {
            throw error(spec, String.format(Locale.ROOT, "Invalid value '%d' for option '%s': must be at least %d",
                    value, option, min));
        }
        return value;
    }

    static double positive(CommandSpec spec, String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw error(spec, "Invalid value '" + value + "' for option '" + option + "': must be a positive number");
        }
        return value;
    }

    static double inRange(CommandSpec spec, String option, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw error(spec, "Invalid value '" + value + "' for option '" + option + "': must be in [" + lo + ", "
                    + hi + "]");
        }
        return value;
    }

    static RuntimeException error(CommandSpec spec, String message) {
        if (spec == null) { // constructed and called from code, not parsed by picocli
            return new IllegalArgumentException(message);
        }
        return new ParameterException(spec.commandLine(), message);
    }
}
