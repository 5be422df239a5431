package org.inertia.cuda;

/**
 * CUDA cannot be used in this process: a library is missing, the driver is absent or too old, or there
 * is no device. The message says which, and what was looked for where; nothing has been changed.
 */
public final class CudaUnavailableException extends RuntimeException {
    public CudaUnavailableException(String message) {
        super(message);
    }

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
