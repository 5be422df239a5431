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

    /** Allocates {@code bytes} (uninitialised) on the current device; out of memory is a {@link CudaOutOfMemoryException}. */
    public static DeviceBuffer allocate(long bytes) {
        long p = CudaRuntime.cudaMalloc(bytes);
        LIVE_BYTES.addAndGet(bytes);
        return new DeviceBuffer(p, bytes);
    }

    public long byteSize() {
        return bytes;
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    /** The device address; throws once closed. */
    public synchronized long address() {
        if (closed) {
            throw new IllegalStateException("device buffer of " + bytes + " bytes is closed");
        }
        return address;
    }

    /** Host → device: the first {@code src.byteSize()} bytes of this buffer. */
    public void copyFromHost(MemorySegment src) {
        checkFits("source", src.byteSize());
        CudaRuntime.cudaMemcpy(MemorySegment.ofAddress(address()), src, src.byteSize(), CudaRuntime.HOST_TO_DEVICE);
    }

    /** Device → host: fills {@code dst} from the first {@code dst.byteSize()} bytes of this buffer. */
    public void copyToHost(MemorySegment dst) {
        checkFits("destination", dst.byteSize());
        CudaRuntime.cudaMemcpy(dst, MemorySegment.ofAddress(address()), dst.byteSize(), CudaRuntime.DEVICE_TO_HOST);
    }

    /** Device → device: the first {@code bytes} bytes of {@code src} into this buffer. */
    public void copyFrom(DeviceBuffer src, long count) {
        checkFits("copy", count);
        src.checkFits("copy", count);
        CudaRuntime.cudaMemcpy(MemorySegment.ofAddress(address()), MemorySegment.ofAddress(src.address()), count,
                CudaRuntime.DEVICE_TO_DEVICE);
    }

    /** Sets every byte to {@code value}. */
    public void fill(int value) {
        CudaRuntime.cudaMemset(address(), value, bytes);
    }

    private void checkFits(String what, long count) {
        if (count < 0 || count > bytes) {
            throw new IllegalArgumentException(what + " of " + count + " bytes does not fit a device buffer of " + bytes
                    + " bytes");
        }
    }

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

    /** Bytes held by open device buffers in this process. */
    public static long liveBytes() {
        return LIVE_BYTES.get();
    }
}
