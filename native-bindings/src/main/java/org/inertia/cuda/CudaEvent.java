package org.inertia.cuda;

/** A CUDA event for timing ({@code cudaEventCreate}); closing destroys it, closing twice is harmless. */
public final class CudaEvent implements AutoCloseable {
    private long handle;
    private boolean closed;

    private CudaEvent(long handle) {
        this.handle = handle;
    }

    public static CudaEvent create() {
        return new CudaEvent(CudaRuntime.cudaEventCreate());
    }

    public synchronized long handle() {
        if (closed) {
            throw new IllegalStateException("CUDA event is closed");
        }
        return handle;
    }

    /** Records the event on {@code stream} (null: the default stream). */
    public void record(CudaStream stream) {
        CudaRuntime.cudaEventRecord(handle(), stream == null ? 0 : stream.handle());
    }

    public void synchronize() {
        CudaRuntime.cudaEventSynchronize(handle());
    }

    /** Milliseconds from {@code start} to this event (both recorded and complete). */
    public float elapsedSince(CudaEvent start) {
        return CudaRuntime.cudaEventElapsedTime(start.handle(), handle());
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CudaRuntime.cudaEventDestroy(handle);
            handle = 0;
        }
    }
}
