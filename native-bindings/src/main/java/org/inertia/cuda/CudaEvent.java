package org.inertia.cuda;

/** A CUDA event for timing ({@code cudaEventCreate}); closing destroys it, closing twice is harmless. */
public final class CudaEvent implements AutoCloseable {
    private long handle;
    private boolean closed;

    private CudaEvent(long handle) {
        this.handle = handle;
    }

    /**
     * Creates an event with timing enabled on the current device.
     *
     * @return a new event the caller closes
     */
    public static CudaEvent create() {
        return new CudaEvent(CudaRuntime.cudaEventCreate());
    }

    /**
     * The raw {@code cudaEvent_t}.
     *
     * @return the event handle
     * @throws IllegalStateException if the event is closed
     */
    public synchronized long handle() {
        if (closed) {
            throw new IllegalStateException("CUDA event is closed");
        }
        return handle;
    }

    /**
     * Records the event on {@code stream}: it completes when the work queued there so far has.
     *
     * @param stream the stream; {@code null} for the default stream
     */
    public void record(CudaStream stream) {
        CudaRuntime.cudaEventRecord(handle(), stream == null ? 0 : stream.handle());
    }

    /** Waits until the event has completed. */
    public void synchronize() {
        CudaRuntime.cudaEventSynchronize(handle());
    }

    /**
     * Milliseconds from {@code start} to this event (both recorded and complete).
     *
     * @param start the event recorded first
     * @return elapsed time in milliseconds
     */
    public float elapsedSince(CudaEvent start) {
        return CudaRuntime.cudaEventElapsedTime(start.handle(), handle());
    }

    /** Destroys the event; later uses throw {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CudaRuntime.cudaEventDestroy(handle);
            handle = 0;
        }
    }
}
