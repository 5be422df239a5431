package org.inertia.cuda;

/**
 * A CUDA runtime, driver, cuBLAS or NVRTC call that returned an error status: the C function, the
 * numeric status, and the library's own name and description of it, e.g.
 * {@code cudaMalloc(1099511627776 bytes) failed: 2 cudaErrorMemoryAllocation (out of memory)}.
 */
public class CudaException extends RuntimeException {
    /** The C call with its salient arguments. */
    private final String call;
    /** The numeric status the call returned. */
    private final int code;
    /** The library's name for the status. */
    private final String statusName;

    /**
     * Creates the exception; the message is {@code call + " failed: " + code + " " + statusName + " (" + description + ")"}.
     *
     * @param call the C call with its salient arguments
     * @param code the numeric status it returned
     * @param statusName the library's name for the status
     * @param description the library's description of the status (or NVRTC's compiler log)
     */
    public CudaException(String call, int code, String statusName, String description) {
        super(call + " failed: " + code + " " + statusName + " (" + description + ")");
        this.call = call;
        this.code = code;
        this.statusName = statusName;
    }

    /**
     * The C call with its salient arguments.
     *
     * @return e.g. {@code "cudaMalloc(4096 bytes)"}
     */
    public String call() {
        return call;
    }

    /**
     * The numeric status the call returned.
     *
     * @return a cudaError_t, CUresult, cublasStatus_t or nvrtcResult, depending on the library
     */
    public int code() {
        return code;
    }

    /**
     * The library's name for the status.
     *
     * @return e.g. {@code "cudaErrorMemoryAllocation"}
     */
    public String statusName() {
        return statusName;
    }
}
