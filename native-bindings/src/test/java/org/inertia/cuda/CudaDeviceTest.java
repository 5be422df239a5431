package org.inertia.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bindings on a real device (tag {@code gpu}: excluded from the default test run, skipped where the
 * probe finds no device). Run with {@code ../shared/tools/gpu-bundle} and
 * {@code bash .gpu/on-device.sh test --include-tag gpu}.
 */
@Tag("gpu")
class CudaDeviceTest {
    @BeforeEach
    void needsDevice() {
        assumeTrue(Cuda.available(), () -> Cuda.probe().describe());
    }

    @Test
    void buffersRoundTripAndRefuseUseAfterClose() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(JAVA_FLOAT, 1000);
            for (int i = 0; i < 1000; i++) {
                host.setAtIndex(JAVA_FLOAT, i, i * 0.5f);
            }
            MemorySegment back = a.allocate(JAVA_FLOAT, 1000);
            DeviceBuffer d = DeviceBuffer.allocate(4000);
            try (DeviceBuffer e = DeviceBuffer.allocate(4000)) {
                d.copyFromHost(host);
                e.copyFrom(d, 4000);
                e.copyToHost(back);
            }
            assertEquals(-1, host.mismatch(back));
            d.close();
            d.close(); // harmless
            assertThrows(IllegalStateException.class, d::address);
            assertThrows(IllegalStateException.class, () -> d.copyToHost(back));
            assertThrows(IllegalArgumentException.class, () -> {
                try (DeviceBuffer small = DeviceBuffer.allocate(16)) {
                    small.copyFromHost(host);
                }
            });
        }
    }

    @Test
    void outOfMemoryIsAnExceptionAndTheDeviceStaysUsable() {
        long[] info = CudaRuntime.cudaMemGetInfo();
        assertThrows(CudaOutOfMemoryException.class, () -> DeviceBuffer.allocate(info[1] * 4));
        try (DeviceBuffer ok = DeviceBuffer.allocate(1 << 20)) {
            ok.fill(0);
            CudaRuntime.cudaDeviceSynchronize();
        }
    }

    @Test
    void streamsAndEventsTime() {
        try (CudaStream s = CudaStream.create(); CudaEvent start = CudaEvent.create(); CudaEvent end = CudaEvent.create();
             DeviceBuffer b = DeviceBuffer.allocate(64 << 20)) {
            start.record(s);
            CudaRuntime.cudaMemsetAsync(b.address(), 1, b.byteSize(), s.handle());
            end.record(s);
            end.synchronize();
            assertTrue(s.isIdle());
            assertTrue(end.elapsedSince(start) >= 0);
        }
    }

    @Test
    void cublasSgemmMatchesAPlainLoop() {
        int m = 37;
        int n = 29;
        int k = 53;
        Random r = new Random(1);
        try (Arena a = Arena.ofConfined(); CublasHandle h = CublasHandle.create();
             DeviceBuffer da = DeviceBuffer.allocate(4L * m * k); DeviceBuffer db = DeviceBuffer.allocate(4L * k * n);
             DeviceBuffer dc = DeviceBuffer.allocate(4L * m * n)) {
            float[] x = new float[m * k];
            float[] y = new float[k * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() - 0.5f;
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextFloat() - 0.5f;
            }
            da.copyFromHost(a.allocateFrom(JAVA_FLOAT, x)); // column-major m×k
            db.copyFromHost(a.allocateFrom(JAVA_FLOAT, y)); // column-major k×n
            for (boolean tf32 : new boolean[] {false, true}) {
                h.setTf32(tf32);
                h.sgemm(Cublas.OP_N, Cublas.OP_N, m, n, k, 1f, da.address(), m, db.address(), k, 0f, dc.address(), m);
                MemorySegment c = a.allocate(JAVA_FLOAT, (long) m * n);
                dc.copyToHost(c);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        double abs = 0;
                        for (int p = 0; p < k; p++) {
                            s += (double) x[p * m + i] * y[j * k + p];
                            abs += Math.abs((double) x[p * m + i] * y[j * k + p]);
                        }
                        double tol = (tf32 ? 0x1p-10 : k * 0x1p-24) * abs + 1e-30;
                        assertEquals(s, c.getAtIndex(JAVA_FLOAT, (long) j * m + i), tol, "C(" + i + "," + j + ") tf32=" + tf32);
                    }
                }
            }
        }
    }

    @Test
    void nvrtcKernelLaunchesOnceCompiled() {
        int n = 100_003;
        try (Arena a = Arena.ofConfined(); DeviceBuffer x = DeviceBuffer.allocate(4L * n);
             DeviceBuffer y = DeviceBuffer.allocate(4L * n)) {
            MemorySegment hx = a.allocate(JAVA_FLOAT, n);
            MemorySegment hy = a.allocate(JAVA_FLOAT, n);
            for (int i = 0; i < n; i++) {
                hx.setAtIndex(JAVA_FLOAT, i, i);
                hy.setAtIndex(JAVA_FLOAT, i, 1);
            }
            x.copyFromHost(hx);
            y.copyFromHost(hy);
            MemorySegment f = CudaKernels.function("blas1.cu", "saxpy");
            assertEquals(f, CudaKernels.function("blas1.cu", "saxpy"), "compiled and loaded once");
            MemorySegment nArg = a.allocateFrom(JAVA_LONG, n);
            MemorySegment alphaArg = a.allocateFrom(JAVA_FLOAT, 2f);
            MemorySegment xArg = a.allocateFrom(ADDRESS, MemorySegment.ofAddress(x.address()));
            MemorySegment yArg = a.allocateFrom(ADDRESS, MemorySegment.ofAddress(y.address()));
            MemorySegment params = a.allocate(ADDRESS, 4);
            params.setAtIndex(ADDRESS, 0, nArg);
            params.setAtIndex(ADDRESS, 1, alphaArg);
            params.setAtIndex(ADDRESS, 2, xArg);
            params.setAtIndex(ADDRESS, 3, yArg);
            CudaDriver.cuLaunchKernel(f, 120, 1, 1, 256, 1, 1, 0, 0, params, "saxpy");
            CudaRuntime.cudaDeviceSynchronize();
            y.copyToHost(hy);
            for (int i = 0; i < n; i += 997) {
                assertEquals(2f * i + 1, hy.getAtIndex(JAVA_FLOAT, i));
            }
        }
    }

    @Test
    void aCompileErrorCarriesTheLog() {
        CudaException e = assertThrows(CudaException.class,
                () -> Nvrtc.compile("extern \"C\" __global__ void k() { undefined_thing(); }", "bad.cu"));
        assertTrue(e.getMessage().contains("nvrtcCompileProgram(bad.cu)") && e.getMessage().contains("undefined_thing"),
                e.getMessage());
    }
}
