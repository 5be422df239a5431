package org.inertia.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our own CUDA C kernels: sources ship as resources under {@code org/inertia/cuda/kernels/}, are
 * compiled by NVRTC for the current device's architecture the first time a process needs them, loaded
 * with the driver API, and cached for the life of the process (one module per source file).
 */
public final class CudaKernels {
    private static final ConcurrentHashMap<String, MemorySegment> MODULES = new ConcurrentHashMap<>();

    private CudaKernels() {
    }

    /**
     * The CUDA C source of a kernel resource.
     *
     * @param file the file name under {@code org/inertia/cuda/kernels/}, e.g. {@code "blas1.cu"}
     * @return the source text (UTF-8 decoded)
     * @throws IllegalArgumentException if there is no such resource
     * @throws java.io.UncheckedIOException if the resource cannot be read
     */
    public static String source(String file) {
        String path = "kernels/" + file;
        try (InputStream in = CudaKernels.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no CUDA kernel source " + path + " next to " + CudaKernels.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CUDA kernel source " + path, e);
        }
    }

    /** The NVRTC architecture option for device 0, e.g. {@code --gpu-architecture=compute_90}. */
    static String architectureOption() {
        int major = CudaRuntime.cudaDeviceGetAttribute(CudaRuntime.ATTR_COMPUTE_CAPABILITY_MAJOR, 0);
        int minor = CudaRuntime.cudaDeviceGetAttribute(CudaRuntime.ATTR_COMPUTE_CAPABILITY_MINOR, 0);
        return "--gpu-architecture=compute_" + major + minor;
    }

    /**
     * The kernel {@code name} from source {@code file}, compiling and loading the file on first use (for device 0,
     * in its primary context). The module stays loaded for the life of the process.
     *
     * @param file the source file name under {@code org/inertia/cuda/kernels/}
     * @param name the kernel's {@code extern "C"} name in that file
     * @return the CUfunction, for {@link CudaDriver#cuLaunchKernel}
     * @throws CudaException if compiling (with the compiler log), loading or the look-up fails
     */
    public static MemorySegment function(String file, String name) {
        MemorySegment module = MODULES.computeIfAbsent(file, f -> {
            CudaDriver.cuInit();
            CudaDriver.usePrimaryContext(0);
            String ptx = Nvrtc.compile(source(f), f, architectureOption(), "-default-device", "--std=c++17");
            return CudaDriver.cuModuleLoadData(ptx);
        });
        return CudaDriver.cuModuleGetFunction(module, name);
    }
}
