package org.inertia.nn.data;

import java.io.IOException;

/** A dataset whose files could not be found; the message says how to install it or where to point Inertia. */
public final class DatasetNotFoundException extends IOException {
    /**
     * Creates the exception.
     *
     * @param message where it was looked for and how to install it
     */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
