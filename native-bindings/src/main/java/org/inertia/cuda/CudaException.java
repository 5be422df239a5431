package org.inertia.cuda;

/**
 * A CUDA runtime, driver, cuBLAS or NVRTC call that returned an error status: the C function, the
 * numeric status, and the library's own name and description of it, e.g.
 * {@code cudaMalloc(1099511627776 bytes) failed: 2 cudaErrorMemoryAllocation (out of memory)}.
 */
public class CudaException extends RuntimeException {
    private final String call;
    private final int code;
    private final String statusName;

    public CudaException(String call, int code, String statusName, String description) {
        super(call + " failed: " + code + " " + statusName + " (" + description + ")");
        this.call = call;
        this.code = code;
        this.statusName = statusName;
    }

    /** The C call with its salient arguments, e.g. {@code "cudaMalloc(4096 bytes)"}. */
    public String call() {
        return call;
    }

    /** The numeric status the call returned. */
    public int code() {
        return code;
    }

    /** The library's name for the status, e.g. {@code "cudaErrorMemoryAllocation"}. */
    public String statusName() {
        return statusName;
    }
}
