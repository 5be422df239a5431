package org.inertia.cuda;

/** A CUDA stream ({@code cudaStreamCreate}); closing destroys it, closing twice is harmless. */
public final class CudaStream implements AutoCloseable {
    private long handle;
    private boolean closed;

    private CudaStream(long handle) {
        this.handle = handle;
    }

    public static CudaStream create() {
        return new CudaStream(CudaRuntime.cudaStreamCreate());
    }

    /** The raw {@code cudaStream_t}; throws once closed. */
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

    /** Whether all work queued on the stream has finished ({@code cudaStreamQuery}). */
    public boolean isIdle() {
        return CudaRuntime.cudaStreamQuery(handle());
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CudaRuntime.cudaStreamDestroy(handle);
            handle = 0;
        }
    }
}
