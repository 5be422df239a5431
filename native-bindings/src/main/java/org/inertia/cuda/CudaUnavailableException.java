package org.inertia.cuda;

/**
 * CUDA cannot be used in this process: a library is missing, the driver is absent or too old, or there
 * is no device. The message says which, and what was looked for where; nothing has been changed.
 */
public final class CudaUnavailableException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what is missing, where it was looked for, and how to fix it
     */
    public CudaUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is missing, where it was looked for, and how to fix it
     * @param cause the failure that showed it, e.g. the linker's
     */
    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
