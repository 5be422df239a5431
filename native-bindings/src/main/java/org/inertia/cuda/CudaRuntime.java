package org.inertia.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * Thin bindings to the CUDA runtime ({@code libcudart}). Every method is one C call, keeps the C name,
 * and turns a non-zero {@code cudaError_t} into a {@link CudaException} carrying the call, the status,
 * and {@code cudaGetErrorName}/{@code cudaGetErrorString}; out-of-memory is a
 * {@link CudaOutOfMemoryException}. Device pointers, streams and events are raw addresses here; the
 * owning types ({@link DeviceBuffer}, {@link CudaStream}, {@link CudaEvent}) wrap them.
 */
public final class CudaRuntime {
    static final NativeLibrary LIB = new NativeLibrary("cudart",
            "install the CUDA runtime (e.g. the NVIDIA CUDA toolkit) or point -Dinertia.cuda.path at it",
            "libcudart.so.13", "libcudart.so.12", "libcudart.so");

    /** cudaMemcpyKind cudaMemcpyHostToHost. */
    public static final int HOST_TO_HOST = 0;
    /** cudaMemcpyKind cudaMemcpyHostToDevice. */
    public static final int HOST_TO_DEVICE = 1;
    /** cudaMemcpyKind cudaMemcpyDeviceToHost. */
    public static final int DEVICE_TO_HOST = 2;
    /** cudaMemcpyKind cudaMemcpyDeviceToDevice. */
    public static final int DEVICE_TO_DEVICE = 3;
    /** cudaError_t cudaErrorMemoryAllocation, thrown as a {@link CudaOutOfMemoryException}. */
    public static final int ERROR_MEMORY_ALLOCATION = 2;
    /** cudaError_t cudaErrorNotReady, which {@link #cudaStreamQuery} reports as false rather than throwing. */
    public static final int ERROR_NOT_READY = 600;
    /** cudaDeviceAttr cudaDevAttrMultiProcessorCount: number of streaming multiprocessors. */
    public static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    /** cudaDeviceAttr cudaDevAttrComputeCapabilityMajor. */
    public static final int ATTR_COMPUTE_CAPABILITY_MAJOR = 75;
    /** cudaDeviceAttr cudaDevAttrComputeCapabilityMinor. */
    public static final int ATTR_COMPUTE_CAPABILITY_MINOR = 76;

    private static final FunctionDescriptor I_P = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor I_I = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor I_V = FunctionDescriptor.of(JAVA_INT);

    private static final NativeLibrary.Function GET_DEVICE_COUNT = LIB.function("cudaGetDeviceCount", I_P);
    private static final NativeLibrary.Function SET_DEVICE = LIB.function("cudaSetDevice", I_I);
    private static final NativeLibrary.Function DEVICE_GET_ATTRIBUTE = LIB.function("cudaDeviceGetAttribute",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final NativeLibrary.Function MALLOC = LIB.function("cudaMalloc",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final NativeLibrary.Function FREE = LIB.function("cudaFree", I_P);
    private static final NativeLibrary.Function MEMCPY = LIB.function("cudaMemcpy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final NativeLibrary.Function MEMCPY_ASYNC = LIB.function("cudaMemcpyAsync",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS));
    private static final NativeLibrary.Function MEMSET = LIB.function("cudaMemset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final NativeLibrary.Function MEMSET_ASYNC = LIB.function("cudaMemsetAsync",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final NativeLibrary.Function MEM_GET_INFO = LIB.function("cudaMemGetInfo",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function STREAM_CREATE = LIB.function("cudaStreamCreate", I_P);
    private static final NativeLibrary.Function STREAM_DESTROY = LIB.function("cudaStreamDestroy", I_P);
    private static final NativeLibrary.Function STREAM_SYNCHRONIZE = LIB.function("cudaStreamSynchronize", I_P);
    private static final NativeLibrary.Function STREAM_QUERY = LIB.function("cudaStreamQuery", I_P);
    private static final NativeLibrary.Function EVENT_CREATE = LIB.function("cudaEventCreate", I_P);
    private static final NativeLibrary.Function EVENT_RECORD = LIB.function("cudaEventRecord",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function EVENT_SYNCHRONIZE = LIB.function("cudaEventSynchronize", I_P);
    private static final NativeLibrary.Function EVENT_ELAPSED_TIME = LIB.function("cudaEventElapsedTime",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function EVENT_DESTROY = LIB.function("cudaEventDestroy", I_P);
    private static final NativeLibrary.Function DEVICE_SYNCHRONIZE = LIB.function("cudaDeviceSynchronize", I_V);
    private static final NativeLibrary.Function RUNTIME_GET_VERSION = LIB.function("cudaRuntimeGetVersion", I_P);
    private static final NativeLibrary.Function DRIVER_GET_VERSION = LIB.function("cudaDriverGetVersion", I_P);
    private static final NativeLibrary.Function GET_ERROR_NAME = LIB.function("cudaGetErrorName",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final NativeLibrary.Function GET_ERROR_STRING = LIB.function("cudaGetErrorString",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final NativeLibrary.Function GET_LAST_ERROR = LIB.function("cudaGetLastError", I_V);

    private CudaRuntime() {
    }

    /**
     * Whether libcudart can be opened.
     *
     * @return true if the library was found and loaded
     */
    public static boolean libraryAvailable() {
        return LIB.available();
    }

    /**
     * Why libcudart cannot be opened.
     *
     * @return a sentence for a person (what was tried, how to fix it), or {@code null} if it can be opened
     */
    public static String libraryUnavailableReason() {
        return LIB.unavailableReason();
    }

    /**
     * {@code cudaError_t cudaGetDeviceCount(int *count)}.
     *
     * @return the number of CUDA devices
     */
    public static int cudaGetDeviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) GET_DEVICE_COUNT.handle().invokeExact(out), "cudaGetDeviceCount()");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaSetDevice(int device)}: the device later calls from this host thread use.
     *
     * @param device device ordinal, in [0, {@link #cudaGetDeviceCount()})
     */
    public static void cudaSetDevice(int device) {
        try {
            check((int) SET_DEVICE.handle().invokeExact(device), "cudaSetDevice(" + device + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaDeviceGetAttribute(int *value, cudaDeviceAttr attr, int device)}.
     *
     * @param attr a cudaDeviceAttr, e.g. {@link #ATTR_MULTIPROCESSOR_COUNT}
     * @param device device ordinal
     * @return the attribute's value
     */
    public static int cudaDeviceGetAttribute(int attr, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) DEVICE_GET_ATTRIBUTE.handle().invokeExact(out, attr, device),
                    "cudaDeviceGetAttribute(" + attr + ", device " + device + ")");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaMalloc(void **devPtr, size_t size)}.
     *
     * @param bytes size in bytes; >= 0
     * @return the device address of the new allocation, which the caller frees with {@link #cudaFree}
     * @throws IllegalArgumentException if {@code bytes < 0}
     * @throws CudaOutOfMemoryException if the device has not enough memory
     */
    public static long cudaMalloc(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cudaMalloc size must be >= 0, got " + bytes);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) MALLOC.handle().invokeExact(out, bytes), "cudaMalloc(" + bytes + " bytes)");
            return out.get(ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaFree(void *devPtr)}.
     *
     * @param devicePointer address from {@link #cudaMalloc}; 0 is a no-op
     */
    public static void cudaFree(long devicePointer) {
        try {
            check((int) FREE.handle().invokeExact(MemorySegment.ofAddress(devicePointer)),
                    "cudaFree(0x" + Long.toHexString(devicePointer) + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, cudaMemcpyKind kind)}; synchronous.
     *
     * @param dst destination (a host segment, or {@code MemorySegment.ofAddress} of a device address)
     * @param src source, likewise
     * @param bytes number of bytes to copy
     * @param kind direction, e.g. {@link #HOST_TO_DEVICE}
     */
    public static void cudaMemcpy(MemorySegment dst, MemorySegment src, long bytes, int kind) {
        try {
            check((int) MEMCPY.handle().invokeExact(dst, src, bytes, kind),
                    "cudaMemcpy(" + bytes + " bytes, kind " + kind + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, kind, cudaStream_t)}. The host
     * memory must stay valid until the stream has run the copy.
     *
     * @param dst destination (a host segment, or {@code MemorySegment.ofAddress} of a device address)
     * @param src source, likewise
     * @param bytes number of bytes to copy
     * @param kind direction, e.g. {@link #DEVICE_TO_HOST}
     * @param stream stream handle; 0 for the default stream
     */
    public static void cudaMemcpyAsync(MemorySegment dst, MemorySegment src, long bytes, int kind, long stream) {
        try {
            check((int) MEMCPY_ASYNC.handle().invokeExact(dst, src, bytes, kind, MemorySegment.ofAddress(stream)),
                    "cudaMemcpyAsync(" + bytes + " bytes, kind " + kind + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaMemset(void *devPtr, int value, size_t count)}.
     *
     * @param devicePointer device address of the first byte
     * @param value byte value (the low 8 bits are used)
     * @param bytes number of bytes to set
     */
    public static void cudaMemset(long devicePointer, int value, long bytes) {
        try {
            check((int) MEMSET.handle().invokeExact(MemorySegment.ofAddress(devicePointer), value, bytes),
                    "cudaMemset(" + bytes + " bytes)");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream)}.
     *
     * @param devicePointer device address of the first byte
     * @param value byte value (the low 8 bits are used)
     * @param bytes number of bytes to set
     * @param stream stream handle; 0 for the default stream
     */
    public static void cudaMemsetAsync(long devicePointer, int value, long bytes, long stream) {
        try {
            check((int) MEMSET_ASYNC.handle().invokeExact(MemorySegment.ofAddress(devicePointer), value, bytes,
                    MemorySegment.ofAddress(stream)), "cudaMemsetAsync(" + bytes + " bytes)");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaMemGetInfo(size_t *free, size_t *total)} on the current device.
     *
     * @return a new two-element array {free, total}, in bytes
     */
    public static long[] cudaMemGetInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG);
            MemorySegment total = a.allocate(JAVA_LONG);
            check((int) MEM_GET_INFO.handle().invokeExact(free, total), "cudaMemGetInfo()");
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaStreamCreate(cudaStream_t *pStream)}.
     *
     * @return the new stream's handle, which the caller destroys with {@link #cudaStreamDestroy}
     */
    public static long cudaStreamCreate() {
        return create(STREAM_CREATE, "cudaStreamCreate()");
    }

    /**
     * {@code cudaError_t cudaStreamDestroy(cudaStream_t stream)}.
     *
     * @param stream handle from {@link #cudaStreamCreate}
     */
    public static void cudaStreamDestroy(long stream) {
        onHandle(STREAM_DESTROY, stream, "cudaStreamDestroy");
    }

    /**
     * {@code cudaError_t cudaStreamSynchronize(cudaStream_t stream)}: waits until the stream's work is done.
     *
     * @param stream stream handle; 0 for the default stream
     */
    public static void cudaStreamSynchronize(long stream) {
        onHandle(STREAM_SYNCHRONIZE, stream, "cudaStreamSynchronize");
    }

    /**
     * {@code cudaError_t cudaStreamQuery(cudaStream_t stream)}: true when all work is done, false for
     * {@code cudaErrorNotReady}; any other status throws.
     *
     * @param stream stream handle; 0 for the default stream
     * @return whether all work queued on the stream has completed
     */
    public static boolean cudaStreamQuery(long stream) {
        try {
            int status = (int) STREAM_QUERY.handle().invokeExact(MemorySegment.ofAddress(stream));
            if (status == ERROR_NOT_READY) {
                return false;
            }
            check(status, "cudaStreamQuery");
            return true;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaEventCreate(cudaEvent_t *event)}, with timing enabled.
     *
     * @return the new event's handle, which the caller destroys with {@link #cudaEventDestroy}
     */
    public static long cudaEventCreate() {
        return create(EVENT_CREATE, "cudaEventCreate()");
    }

    /**
     * {@code cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)}.
     *
     * @param event event handle
     * @param stream stream whose queued work the event follows; 0 for the default stream
     */
    public static void cudaEventRecord(long event, long stream) {
        try {
            check((int) EVENT_RECORD.handle().invokeExact(MemorySegment.ofAddress(event), MemorySegment.ofAddress(stream)),
                    "cudaEventRecord");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaEventSynchronize(cudaEvent_t event)}: waits until the event has been reached.
     *
     * @param event event handle
     */
    public static void cudaEventSynchronize(long event) {
        onHandle(EVENT_SYNCHRONIZE, event, "cudaEventSynchronize");
    }

    /**
     * {@code cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end)}.
     *
     * @param start event recorded first
     * @param end event recorded later; both must have completed
     * @return milliseconds between the two events (resolution about 0.5 µs)
     */
    public static float cudaEventElapsedTime(long start, long end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_FLOAT);
            check((int) EVENT_ELAPSED_TIME.handle().invokeExact(out, MemorySegment.ofAddress(start),
                    MemorySegment.ofAddress(end)), "cudaEventElapsedTime");
            return out.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaEventDestroy(cudaEvent_t event)}.
     *
     * @param event handle from {@link #cudaEventCreate}
     */
    public static void cudaEventDestroy(long event) {
        onHandle(EVENT_DESTROY, event, "cudaEventDestroy");
    }

    /** {@code cudaError_t cudaDeviceSynchronize(void)}. */
    public static void cudaDeviceSynchronize() {
        try {
            check((int) DEVICE_SYNCHRONIZE.handle().invokeExact(), "cudaDeviceSynchronize()");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)}.
     *
     * @return the runtime version as {@code 1000 * major + 10 * minor}, e.g. 13000
     */
    public static int cudaRuntimeGetVersion() {
        return intOut(RUNTIME_GET_VERSION, "cudaRuntimeGetVersion()");
    }

    /**
     * {@code cudaError_t cudaDriverGetVersion(int *driverVersion)}.
     *
     * @return the CUDA version the driver supports, same encoding as {@link #cudaRuntimeGetVersion()}; 0 when no
     *     driver is installed
     */
    public static int cudaDriverGetVersion() {
        return intOut(DRIVER_GET_VERSION, "cudaDriverGetVersion()");
    }

    /**
     * {@code cudaError_t cudaGetLastError(void)}: returns and clears the last error. Never throws on a CUDA error.
     *
     * @return the last cudaError_t of this host thread; 0 (cudaSuccess) if none
     */
    public static int cudaGetLastError() {
        try {
            return (int) GET_LAST_ERROR.handle().invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code const char* cudaGetErrorName(cudaError_t error)}.
     *
     * @param error a cudaError_t value
     * @return its enum name, e.g. {@code "cudaErrorMemoryAllocation"}; {@code "unknown"} if CUDA returns none
     */
    public static String cudaGetErrorName(int error) {
        return string(GET_ERROR_NAME, error);
    }

    /**
     * {@code const char* cudaGetErrorString(cudaError_t error)}.
     *
     * @param error a cudaError_t value
     * @return its description, e.g. {@code "out of memory"}; {@code "unknown"} if CUDA returns none
     */
    public static String cudaGetErrorString(int error) {
        return string(GET_ERROR_STRING, error);
    }

    /** Throws a {@link CudaException} (or {@link CudaOutOfMemoryException}) if {@code status} is not cudaSuccess. */
    static void check(int status, String call) {
        if (status == 0) {
            return;
        }
        String name = cudaGetErrorName(status);
        String text = cudaGetErrorString(status);
        if (status == ERROR_MEMORY_ALLOCATION) {
            throw new CudaOutOfMemoryException(call, status, name, text);
        }
        throw new CudaException(call, status, name, text);
    }

    private static String string(NativeLibrary.Function f, int code) {
        try {
            MemorySegment p = (MemorySegment) f.handle().invokeExact(code);
            return p.equals(MemorySegment.NULL) ? "unknown" : p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long create(NativeLibrary.Function f, String call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) f.handle().invokeExact(out), call);
            return out.get(ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void onHandle(NativeLibrary.Function f, long handle, String name) {
        try {
            check((int) f.handle().invokeExact(MemorySegment.ofAddress(handle)), name + "(0x" + Long.toHexString(handle) + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int intOut(NativeLibrary.Function f, String call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) f.handle().invokeExact(out), call);
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Unchecked exceptions pass through; a checked Throwable from invokeExact (none expected) is wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
