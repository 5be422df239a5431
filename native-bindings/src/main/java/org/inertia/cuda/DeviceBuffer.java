package org.inertia.cuda;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bytes} of device memory from {@code cudaMalloc}, owned by this object: {@link #close()} frees
 * it with {@code cudaFree}; closing twice is harmless, and every use after close throws
 * {@link IllegalStateException} instead of handing a freed pointer to the device. Copies check their
 * sizes against the buffer before calling CUDA.
 */
public final class DeviceBuffer implements AutoCloseable {
    private static final AtomicLong LIVE_BYTES = new AtomicLong();

    private final long bytes;
    private long address; // 0 once closed
    private boolean closed;

    private DeviceBuffer(long address, long bytes) {
        this.address = address;
        this.bytes = bytes;
    }

    /**
     * Allocates device memory (uninitialised) on the current device.
     *
     * @param bytes size in bytes; >= 0
     * @return a new buffer the caller closes
     * @throws CudaOutOfMemoryException if the device has not enough free memory
     * @throws IllegalArgumentException if {@code bytes < 0}
     */
    public static DeviceBuffer allocate(long bytes) {
        long p = CudaRuntime.cudaMalloc(bytes);
        LIVE_BYTES.addAndGet(bytes);
        return new DeviceBuffer(p, bytes);
    }

    /**
     * The buffer's size.
     *
     * @return size in bytes, as allocated (also after close)
     */
    public long byteSize() {
        return bytes;
    }

    /**
     * Whether the buffer is still open.
     *
     * @return false once {@link #close()} has been called
     */
    public synchronized boolean isOpen() {
        return !closed;
    }

    /**
     * The device address.
     *
     * @return the address of the first byte
     * @throws IllegalStateException if the buffer is closed
     */
    public synchronized long address() {
        if (closed) {
            throw new IllegalStateException("device buffer of " + bytes + " bytes is closed");
        }
        return address;
    }

    /**
     * Host → device into the first {@code src.byteSize()} bytes of this buffer; synchronous.
     *
     * @param src host memory to copy, at most {@link #byteSize()} bytes
     * @throws IllegalArgumentException if {@code src} is larger than this buffer
     * @throws IllegalStateException if the buffer is closed
     */
    public void copyFromHost(MemorySegment src) {
        checkFits("source", src.byteSize());
        CudaRuntime.cudaMemcpy(MemorySegment.ofAddress(address()), src, src.byteSize(), CudaRuntime.HOST_TO_DEVICE);
    }

    /**
     * Device → host: fills {@code dst} from the first {@code dst.byteSize()} bytes of this buffer; synchronous.
     *
     * @param dst host memory to fill, at most {@link #byteSize()} bytes
     * @throws IllegalArgumentException if {@code dst} is larger than this buffer
     * @throws IllegalStateException if the buffer is closed
     */
    public void copyToHost(MemorySegment dst) {
        checkFits("destination", dst.byteSize());
        CudaRuntime.cudaMemcpy(dst, MemorySegment.ofAddress(address()), dst.byteSize(), CudaRuntime.DEVICE_TO_HOST);
    }

    /**
     * Device → device: the first {@code count} bytes of {@code src} into the start of this buffer.
     *
     * @param src the source buffer
     * @param count number of bytes; in [0, min of both sizes]
     * @throws IllegalArgumentException if {@code count} is negative or does not fit either buffer
     * @throws IllegalStateException if either buffer is closed
     */
    public void copyFrom(DeviceBuffer src, long count) {
        checkFits("copy", count);
        src.checkFits("copy", count);
        CudaRuntime.cudaMemcpy(MemorySegment.ofAddress(address()), MemorySegment.ofAddress(src.address()), count,
                CudaRuntime.DEVICE_TO_DEVICE);
    }

    /**
     * Sets every byte to {@code value} ({@code cudaMemset}).
     *
     * @param value the byte value (the low 8 bits are used)
     * @throws IllegalStateException if the buffer is closed
     */
    public void fill(int value) {
        CudaRuntime.cudaMemset(address(), value, bytes);
    }

    private void checkFits(String what, long count) {
        if (count < 0 || count > bytes) {
            throw new IllegalArgumentException(what + " of " + count + " bytes does not fit a device buffer of " + bytes
                    + " bytes");
        }
    }

    /** Frees the memory ({@code cudaFree}); later uses throw {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long p = address;
        address = 0;
        LIVE_BYTES.addAndGet(-bytes);
        CudaRuntime.cudaFree(p);
    }

    /**
     * Bytes held by open device buffers in this process.
     *
     * @return the sum of {@link #byteSize()} over open buffers
     */
    public static long liveBytes() {
        return LIVE_BYTES.get();
    }
}
