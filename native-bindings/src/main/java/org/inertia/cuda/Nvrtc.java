package org.inertia.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * Thin bindings to NVRTC ({@code libnvrtc}), CUDA C++ compiled to PTX at run time. Every
 * {@code nvrtcResult} other than NVRTC_SUCCESS becomes a {@link CudaException} with
 * {@code nvrtcGetErrorString}; a compilation error carries the compiler's log in its message.
 */
public final class Nvrtc {
    static final NativeLibrary LIB = new NativeLibrary("nvrtc",
            "install NVRTC (part of the CUDA toolkit) or point -Dinertia.cuda.lib.nvrtc at it",
            "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so");
    static final int ERROR_COMPILATION = 6;

    private static final NativeLibrary.Function CREATE_PROGRAM = LIB.function("nvrtcCreateProgram",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function COMPILE_PROGRAM = LIB.function("nvrtcCompileProgram",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final NativeLibrary.Function GET_PROGRAM_LOG_SIZE = LIB.function("nvrtcGetProgramLogSize",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function GET_PROGRAM_LOG = LIB.function("nvrtcGetProgramLog",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function GET_PTX_SIZE = LIB.function("nvrtcGetPTXSize",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function GET_PTX = LIB.function("nvrtcGetPTX",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeLibrary.Function DESTROY_PROGRAM = LIB.function("nvrtcDestroyProgram",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final NativeLibrary.Function GET_ERROR_STRING = LIB.function("nvrtcGetErrorString",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final NativeLibrary.Function VERSION = LIB.function("nvrtcVersion",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private Nvrtc() {
    }

    /**
     * Whether libnvrtc can be opened.
     *
     * @return true if the library was found and loaded
     */
    public static boolean libraryAvailable() {
        return LIB.available();
    }

    /**
     * {@code nvrtcVersion}.
     *
     * @return a new two-element array {major, minor}
     */
    public static int[] nvrtcVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT);
            MemorySegment minor = a.allocate(JAVA_INT);
            check((int) VERSION.handle().invokeExact(major, minor), "nvrtcVersion()");
            return new int[] {major.get(JAVA_INT, 0), minor.get(JAVA_INT, 0)};
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * Compiles {@code source} (named {@code name} in diagnostics) with {@code options}, e.g.
     * {@code --gpu-architecture=compute_90}, and returns the PTX text.
     *
     * @param source CUDA C++ source text
     * @param name the program's name in diagnostics, e.g. the file name
     * @param options NVRTC command-line options, one per element
     * @return the PTX text, for {@link CudaDriver#cuModuleLoadData}
     * @throws CudaException if compilation fails (the message carries the compiler log) or NVRTC fails otherwise
     */
    public static String compile(String source, String name, String... options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment progOut = a.allocate(ADDRESS);
            check((int) CREATE_PROGRAM.handle().invokeExact(progOut, a.allocateFrom(source), a.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram(" + name + ")");
            MemorySegment prog = progOut.get(ADDRESS, 0);
            try {
                MemorySegment opts = a.allocate(ADDRESS, Math.max(1, options.length));
                for (int i = 0; i < options.length; i++) {
                    opts.setAtIndex(ADDRESS, i, a.allocateFrom(options[i]));
                }
                int status = (int) COMPILE_PROGRAM.handle().invokeExact(prog, options.length, opts);
                if (status != 0) {
                    String log = log(a, prog);
                    throw new CudaException("nvrtcCompileProgram(" + name + ")", status, errorString(status),
                            status == ERROR_COMPILATION ? "compiler log:\n" + log : errorString(status));
                }
                MemorySegment size = a.allocate(JAVA_LONG);
                check((int) GET_PTX_SIZE.handle().invokeExact(prog, size), "nvrtcGetPTXSize(" + name + ")");
                MemorySegment ptx = a.allocate(size.get(JAVA_LONG, 0) + 1);
                check((int) GET_PTX.handle().invokeExact(prog, ptx), "nvrtcGetPTX(" + name + ")");
                return ptx.getString(0);
            } finally {
                int ignored = (int) DESTROY_PROGRAM.handle().invokeExact(progOut);
            }
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    private static String log(Arena a, MemorySegment prog) throws Throwable {
        MemorySegment size = a.allocate(JAVA_LONG);
        if ((int) GET_PROGRAM_LOG_SIZE.handle().invokeExact(prog, size) != 0) {
            return "(no log)";
        }
        MemorySegment text = a.allocate(size.get(JAVA_LONG, 0) + 1);
        if ((int) GET_PROGRAM_LOG.handle().invokeExact(prog, text) != 0) {
            return "(no log)";
        }
        return text.getString(0);
    }

    static void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(call, status, errorString(status), errorString(status));
        }
    }

    private static String errorString(int status) {
        try {
            MemorySegment p = (MemorySegment) GET_ERROR_STRING.handle().invokeExact(status);
            return p.equals(MemorySegment.NULL) ? "NVRTC status " + status : p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "NVRTC status " + status;
        }
    }
}
