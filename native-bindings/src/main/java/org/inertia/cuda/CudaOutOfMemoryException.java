package org.inertia.cuda;

/**
 * Device memory ran out ({@code cudaErrorMemoryAllocation}). The allocation did not happen and nothing
 * else changed: free some buffers and try again — the device and every live buffer stay usable.
 */
public final class CudaOutOfMemoryException extends CudaException {
    /**
     * Creates the exception.
     *
     * @param call the C call with its salient arguments
     * @param code the numeric status it returned
     * @param statusName the library's name for the status
     * @param description the library's description of the status
     */
    public CudaOutOfMemoryException(String call, int code, String statusName, String description) {
        super(call, code, statusName, description);
    }
}
