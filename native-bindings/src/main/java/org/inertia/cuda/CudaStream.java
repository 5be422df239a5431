package org.inertia.cuda;

/** A CUDA stream ({@code cudaStreamCreate}); closing destroys it, closing twice is harmless. */
public final class CudaStream implements AutoCloseable {
    private long handle;
    private boolean closed;

    private CudaStream(long handle) {
        this.handle = handle;
    }

    /**
     * Creates a stream on the current device.
     *
     * @return a new stream the caller closes
     */
    public static CudaStream create() {
        return new CudaStream(CudaRuntime.cudaStreamCreate());
    }

    /**
     * The raw {@code cudaStream_t}.
     *
     * @return the stream handle
     * @throws IllegalStateException if the stream is closed
     */
    public synchronized long handle() {
        if (closed) {
            throw new IllegalStateException("CUDA stream is closed");
        }
        return handle;
    }

    /** Waits until all work queued on the stream has finished. */
    public void synchronize() {
        CudaRuntime.cudaStreamSynchronize(handle());
    }

    /**
     * Whether all work queued on the stream has finished ({@code cudaStreamQuery}); does not wait.
     *
     * @return true if the stream is idle
     */
    public boolean isIdle() {
        return CudaRuntime.cudaStreamQuery(handle());
    }

    /** Destroys the stream; later uses throw {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CudaRuntime.cudaStreamDestroy(handle);
            handle = 0;
        }
    }
}
