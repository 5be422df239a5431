package org.inertia.app.cli;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Command-line option values that picocli's type conversion cannot check (a range, a lower bound). Not an
 * argument validator of the library (that is {@link org.inertia.kernels.Checks}): a failure here is a picocli
 * {@link ParameterException} in picocli's own words ({@code "Invalid value '0' for option '--threads': must
 * be at least 1"}), so the verb exits with code 2 and a one-line usage message, never a stack trace.
 */
final class OptionValues {
    private OptionValues() {
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
