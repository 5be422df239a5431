package org.inertia.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * Thin bindings to the CUDA driver API ({@code libcuda}, installed with the NVIDIA driver): what it
 * takes to load our own NVRTC-compiled kernels and launch them. Every {@code CUresult} other than
 * CUDA_SUCCESS becomes a {@link CudaException} with {@code cuGetErrorName}/{@code cuGetErrorString}.
 */
public final class CudaDriver {
    static final NativeLibrary LIB = new NativeLibrary("cuda",
            "install the NVIDIA driver (libcuda.so.1 comes with it); a machine without a GPU has none",
            "libcuda.so.1", "libcuda.so");
    static final int ERROR_OUT_OF_MEMORY = 2;

    private static final MemoryLayout I = JAVA_INT;
    private static final MemoryLayout P = ADDRESS;

    private static final NativeLibrary.Function INIT = LIB.function("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final NativeLibrary.Function DEVICE_GET = LIB.function("cuDeviceGet",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeLibrary.Function DEVICE_GET_NAME = LIB.function("cuDeviceGetName",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final NativeLibrary.Function PRIMARY_CTX_RETAIN = LIB.function("cuDevicePrimaryCtxRetain",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeLibrary.Function CTX_SET_CURRENT = LIB.function("cuCtxSetCurrent",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final NativeLibrary.Function MODULE_LOAD_DATA = LIB.function("cuModuleLoadData",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function MODULE_GET_FUNCTION = LIB.function("cuModuleGetFunction",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function MODULE_UNLOAD = LIB.function("cuModuleUnload",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** f, gridDim x/y/z, blockDim x/y/z, sharedMemBytes, hStream, kernelParams, extra. */
    private static final NativeLibrary.Function LAUNCH_KERNEL = LIB.function("cuLaunchKernel",
            FunctionDescriptor.of(JAVA_INT, new MemoryLayout[] {P, I, I, I, I, I, I, I, P, P, P}));
    private static final NativeLibrary.Function GET_ERROR_NAME = LIB.function("cuGetErrorName",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final NativeLibrary.Function GET_ERROR_STRING = LIB.function("cuGetErrorString",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private CudaDriver() {
    }

    /**
     * Whether libcuda can be opened.
     *
     * @return true if the library was found and loaded
     */
    public static boolean libraryAvailable() {
        return LIB.available();
    }

    /**
     * Why libcuda cannot be opened.
     *
     * @return a sentence for a person (what was tried, how to fix it), or {@code null} if it can be opened
     */
    public static String libraryUnavailableReason() {
        return LIB.unavailableReason();
    }

    /** {@code CUresult cuInit(unsigned int flags)} with flags 0. */
    public static void cuInit() {
        try {
            check((int) INIT.handle().invokeExact(0), "cuInit(0)");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * {@code cuDeviceGet} then {@code cuDeviceGetName}. Needs {@link #cuInit()} first.
     *
     * @param ordinal device ordinal, in [0, device count)
     * @return the device's marketing name, e.g. {@code "NVIDIA H100 80GB HBM3"}
     */
    public static String deviceName(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dev = a.allocate(JAVA_INT);
            check((int) DEVICE_GET.handle().invokeExact(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            MemorySegment name = a.allocate(256);
            check((int) DEVICE_GET_NAME.handle().invokeExact(name, 256, dev.get(JAVA_INT, 0)), "cuDeviceGetName");
            return name.getString(0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * Makes device {@code ordinal}'s primary context (the one the runtime API uses) current on this
     * thread: {@code cuDevicePrimaryCtxRetain} + {@code cuCtxSetCurrent}. The retained context is never
     * released (it lives as long as the process).
     *
     * @param ordinal device ordinal, in [0, device count)
     */
    public static void usePrimaryContext(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dev = a.allocate(JAVA_INT);
            check((int) DEVICE_GET.handle().invokeExact(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            MemorySegment ctx = a.allocate(ADDRESS);
            check((int) PRIMARY_CTX_RETAIN.handle().invokeExact(ctx, dev.get(JAVA_INT, 0)), "cuDevicePrimaryCtxRetain");
            check((int) CTX_SET_CURRENT.handle().invokeExact(ctx.get(ADDRESS, 0)), "cuCtxSetCurrent");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * {@code cuModuleLoadData}: loads PTX into the current context (JIT-compiling it for the device).
     *
     * @param ptx PTX text, e.g. from {@link Nvrtc#compile}
     * @return the CUmodule, which the caller unloads with {@link #cuModuleUnload}
     */
    public static MemorySegment cuModuleLoadData(String ptx) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) MODULE_LOAD_DATA.handle().invokeExact(out, a.allocateFrom(ptx)), "cuModuleLoadData");
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * {@code cuModuleGetFunction}.
     *
     * @param module a loaded CUmodule
     * @param name the kernel's (unmangled, {@code extern "C"}) name
     * @return the CUfunction, valid while the module is loaded
     * @throws CudaException if the module has no such kernel (CUDA_ERROR_NOT_FOUND)
     */
    public static MemorySegment cuModuleGetFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) MODULE_GET_FUNCTION.handle().invokeExact(out, module, a.allocateFrom(name)),
                    "cuModuleGetFunction(" + name + ")");
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * {@code cuModuleUnload}; functions taken from the module become invalid.
     *
     * @param module a loaded CUmodule
     */
    public static void cuModuleUnload(MemorySegment module) {
        try {
            check((int) MODULE_UNLOAD.handle().invokeExact(module), "cuModuleUnload");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * {@code cuLaunchKernel}: {@code params} is the array of pointers to each argument's value, as
     * {@code kernelParams} wants it; {@code stream} 0 is the default stream. Asynchronous.
     *
     * @param function the CUfunction to launch
     * @param gx grid size in blocks, x; >= 1
     * @param gy grid size in blocks, y; >= 1
     * @param gz grid size in blocks, z; >= 1
     * @param bx block size in threads, x; >= 1
     * @param by block size in threads, y; >= 1
     * @param bz block size in threads, z; >= 1 (bx·by·bz at most 1024)
     * @param sharedBytes dynamic shared memory per block, in bytes
     * @param stream stream handle; 0 for the default stream
     * @param params array of pointers to the argument values, one per kernel parameter
     * @param name the kernel's name, for the error message only
     */
    public static void cuLaunchKernel(MemorySegment function, int gx, int gy, int gz, int bx, int by, int bz,
            int sharedBytes, long stream, MemorySegment params, String name) {
        try {
            check((int) LAUNCH_KERNEL.handle().invokeExact(function, gx, gy, gz, bx, by, bz, sharedBytes,
                    MemorySegment.ofAddress(stream), params, MemorySegment.NULL),
                    "cuLaunchKernel(" + name + ", grid " + gx + "x" + gy + "x" + gz + ", block " + bx + "x" + by + "x" + bz + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    static void check(int status, String call) {
        if (status == 0) {
            return;
        }
        String name = text(GET_ERROR_NAME, status);
        String description = text(GET_ERROR_STRING, status);
        if (status == ERROR_OUT_OF_MEMORY) {
            throw new CudaOutOfMemoryException(call, status, name, description);
        }
        throw new CudaException(call, status, name, description);
    }

    private static String text(NativeLibrary.Function f, int status) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            if ((int) f.handle().invokeExact(status, out) != 0) {
                return "CUresult " + status;
            }
            MemorySegment p = out.get(ADDRESS, 0);
            return p.equals(MemorySegment.NULL) ? "CUresult " + status : p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "CUresult " + status;
        }
    }
}
