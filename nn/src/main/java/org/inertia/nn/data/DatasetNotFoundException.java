package org.inertia.nn.data;

import java.io.IOException;

/** A dataset whose files could not be found; the message says how to install it or where to point Inertia. */
public final class DatasetNotFoundException extends IOException {
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
