package org.inertia.app.cli;

/**
 * A failure the user can act on (a missing data set, an unavailable backend): {@link Main} prints its
 * message as one line, {@code inertia <verb>: message}, and exits with code 1 instead of a stack trace.
 */
public final class CliError extends RuntimeException {
    public CliError(String message) {
        super(message);
    }
}
