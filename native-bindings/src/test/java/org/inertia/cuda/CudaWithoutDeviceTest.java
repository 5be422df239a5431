package org.inertia.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the bindings do where there is no GPU (this project's CI and development machines): the probe
 * reports instead of throwing, a missing or broken library is named with where it was looked for, real
 * CUDA statuses become exceptions with the library's own names, and allocating device memory fails
 * with an exception, never a crash. Tests that need a device are in {@link CudaDeviceTest} (tag gpu).
 */
class CudaWithoutDeviceTest {

    @Test
    void probeNeverThrowsAndExplainsItself() {
        Cuda.Status s = Cuda.probe();
        if (s.available()) {
            assertTrue(s.deviceCount() > 0 && s.describe().contains("device"), s.describe());
        } else {
            assertTrue(s.reason() != null && !s.reason().isBlank());
            assertTrue(s.describe().startsWith("CUDA not available: "), s.describe());
        }
        assertEquals(s, Cuda.probe(), "probed once, remembered");
    }

    @Test
    void aMissingLibraryNamesEveryPlaceTried(@TempDir Path dir) {
        String old = System.setProperty("inertia.cuda.path", dir.toString());
        try {
            NativeLibrary lib = new NativeLibrary("fakecuda", "install fakecuda", "libfakecuda.so.9");
            assertFalse(lib.available());
            String why = lib.unavailableReason();
            assertTrue(why.contains("libfakecuda.so.9 not found") && why.contains(dir.resolve("libfakecuda.so.9").toString())
                    && why.contains("/usr/local/cuda/lib64") && why.contains("install fakecuda"), why);
            CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                    () -> lib.function("f", java.lang.foreign.FunctionDescriptor.ofVoid()).handle());
            assertEquals(why, e.getMessage());
        } finally {
            restore("inertia.cuda.path", old);
        }
    }

    @Test
    void aFileThatIsNotALibrarySaysSo(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("libbroken.so.1"), "not an ELF file");
        String old = System.setProperty("inertia.cuda.lib.broken", dir.resolve("libbroken.so.1").toString());
        try {
            NativeLibrary lib = new NativeLibrary("broken", "reinstall", "libbroken.so.1");
            assertTrue(lib.unavailableReason().contains("could not be opened"), lib.unavailableReason());
        } finally {
            restore("inertia.cuda.lib.broken", old);
        }
    }

    @Test
    void statusesBecomeExceptionsWithTheRuntimesOwnNames() {
        assumeTrue(CudaRuntime.libraryAvailable(), "libcudart not installed");
        assertEquals("cudaErrorMemoryAllocation", CudaRuntime.cudaGetErrorName(2));
        assertEquals("cudaErrorNoDevice", CudaRuntime.cudaGetErrorName(100));
        CudaException oom = assertThrows(CudaOutOfMemoryException.class, () -> CudaRuntime.check(2, "cudaMalloc(64 bytes)"));
        assertTrue(oom.getMessage().startsWith("cudaMalloc(64 bytes) failed: 2 cudaErrorMemoryAllocation ("),
                oom.getMessage());
        CudaException none = assertThrows(CudaException.class, () -> CudaRuntime.check(100, "cudaGetDeviceCount()"));
        assertEquals(100, none.code());
        assertEquals("cudaErrorNoDevice", none.statusName());
        assertEquals("cudaGetDeviceCount()", none.call());
    }

    @Test
    void deviceMemoryWithoutADeviceFailsCleanly() {
        assumeTrue(CudaRuntime.libraryAvailable(), "libcudart not installed");
        assumeFalse(Cuda.available(), "a device is present");
        long live = DeviceBuffer.liveBytes();
        RuntimeException e = assertThrows(RuntimeException.class, () -> DeviceBuffer.allocate(1024));
        assertTrue(e instanceof CudaException || e instanceof CudaUnavailableException, e.toString());
        assertTrue(e.getMessage().contains("cudaMalloc(1024 bytes) failed"), e.getMessage());
        assertEquals(live, DeviceBuffer.liveBytes());
        assertThrows(IllegalArgumentException.class, () -> CudaRuntime.cudaMalloc(-1));
    }

    /** Our CUDA C sources compile (nvcc to PTX) wherever the toolkit is installed, GPU or not. */
    @Test
    void kernelSourcesCompileWithNvcc(@TempDir Path dir) throws Exception {
        Path nvcc = Path.of("/usr/local/cuda/bin/nvcc");
        assumeTrue(Files.isExecutable(nvcc), "nvcc not installed");
        for (String file : new String[] {"blas1.cu"}) {
            Path src = dir.resolve(file);
            Files.writeString(src, CudaKernels.source(file));
            Process p = new ProcessBuilder(nvcc.toString(), "--ptx", "-arch=compute_90", "-std=c++17", src.toString(),
                    "-o", dir.resolve(file + ".ptx").toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc took too long");
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.exitValue(), file + ": " + out);
            assertTrue(Files.readString(dir.resolve(file + ".ptx")).contains(".entry saxpy"), "PTX has the kernel");
        }
    }

    private static void restore(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }
}
