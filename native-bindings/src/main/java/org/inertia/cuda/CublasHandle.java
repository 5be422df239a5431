package org.inertia.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An owned cuBLAS handle ({@code cublasCreate_v2}/{@code cublasDestroy_v2}) with its host-side α and β
 * scalars allocated once. Calls on one handle are serialised (cuBLAS handles are not thread-safe).
 * Operands are device addresses, matrices column-major with leading dimensions, exactly as in cuBLAS.
 */
public final class CublasHandle implements AutoCloseable {
    private final Arena scalars = Arena.ofShared();
    private final MemorySegment alpha = scalars.allocate(JAVA_FLOAT);
    private final MemorySegment beta = scalars.allocate(JAVA_FLOAT);
    private final MemorySegment result = scalars.allocate(JAVA_FLOAT);
    private MemorySegment handle;
    private boolean closed;

    private CublasHandle(MemorySegment handle) {
        this.handle = handle;
    }

    public static CublasHandle create() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            Cublas.check((int) Cublas.CREATE.handle().invokeExact(out), "cublasCreate_v2()");
            return new CublasHandle(out.get(ADDRESS, 0));
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    private MemorySegment h() {
        if (closed) {
            throw new IllegalStateException("cuBLAS handle is closed");
        }
        return handle;
    }

    private static MemorySegment dev(long address) {
        return MemorySegment.ofAddress(address);
    }

    /** {@code cublasSetStream_v2}. */
    public synchronized void setStream(CudaStream stream) {
        try {
            Cublas.check((int) Cublas.SET_STREAM.handle().invokeExact(h(), dev(stream == null ? 0 : stream.handle())),
                    "cublasSetStream_v2");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** {@code cublasSetMathMode}: TF32 tensor cores on or off for float32 products. */
    public synchronized void setTf32(boolean on) {
        try {
            Cublas.check((int) Cublas.SET_MATH_MODE.handle().invokeExact(h(), on ? Cublas.TF32_TENSOR_OP_MATH
                    : Cublas.DEFAULT_MATH), "cublasSetMathMode(" + (on ? "TF32" : "default") + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** C ← α op(A) op(B) + β C, {@code cublasSgemm_v2}. */
    public synchronized void sgemm(int transa, int transb, int m, int n, int k, float a, long dA, int lda, long dB, int ldb,
            float b, long dC, int ldc) {
        alpha.set(JAVA_FLOAT, 0, a);
        beta.set(JAVA_FLOAT, 0, b);
        try {
            Cublas.check((int) Cublas.SGEMM.handle().invokeExact(h(), transa, transb, m, n, k, alpha, dev(dA), lda, dev(dB),
                    ldb, beta, dev(dC), ldc), "cublasSgemm_v2(" + m + "x" + n + "x" + k + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** {@code cublasSgemmStridedBatched}: {@code batch} products at element strides sA, sB, sC. */
    public synchronized void sgemmStridedBatched(int transa, int transb, int m, int n, int k, float a, long dA, int lda,
            long sA, long dB, int ldb, long sB, float b, long dC, int ldc, long sC, int batch) {
        alpha.set(JAVA_FLOAT, 0, a);
        beta.set(JAVA_FLOAT, 0, b);
        try {
            Cublas.check((int) Cublas.SGEMM_STRIDED_BATCHED.handle().invokeExact(h(), transa, transb, m, n, k, alpha, dev(dA),
                    lda, sA, dev(dB), ldb, sB, beta, dev(dC), ldc, sC, batch),
                    "cublasSgemmStridedBatched(" + batch + " x " + m + "x" + n + "x" + k + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** {@code cublasGemmEx} on float32 operands with the given compute type (COMPUTE_32F or its FAST_TF32). */
    public synchronized void gemmEx(int transa, int transb, int m, int n, int k, float a, long dA, int lda, long dB,
            int ldb, float b, long dC, int ldc, int computeType) {
        alpha.set(JAVA_FLOAT, 0, a);
        beta.set(JAVA_FLOAT, 0, b);
        try {
            Cublas.check((int) Cublas.GEMM_EX.handle().invokeExact(h(), transa, transb, m, n, k, alpha, dev(dA),
                    Cublas.CUDA_R_32F, lda, dev(dB), Cublas.CUDA_R_32F, ldb, beta, dev(dC), Cublas.CUDA_R_32F, ldc,
                    computeType, Cublas.GEMM_DEFAULT), "cublasGemmEx(" + m + "x" + n + "x" + k + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** y ← α x + y, {@code cublasSaxpy_v2}. */
    public synchronized void saxpy(int n, float a, long dx, int incx, long dy, int incy) {
        alpha.set(JAVA_FLOAT, 0, a);
        try {
            Cublas.check((int) Cublas.SAXPY.handle().invokeExact(h(), n, alpha, dev(dx), incx, dev(dy), incy),
                    "cublasSaxpy_v2(" + n + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** xᵀy, {@code cublasSdot_v2} (host result: synchronises). */
    public synchronized float sdot(int n, long dx, int incx, long dy, int incy) {
        try {
            Cublas.check((int) Cublas.SDOT.handle().invokeExact(h(), n, dev(dx), incx, dev(dy), incy, result),
                    "cublasSdot_v2(" + n + ")");
            return result.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** ‖x‖₂, {@code cublasSnrm2_v2} (host result: synchronises). */
    public synchronized float snrm2(int n, long dx, int incx) {
        try {
            Cublas.check((int) Cublas.SNRM2.handle().invokeExact(h(), n, dev(dx), incx, result), "cublasSnrm2_v2(" + n + ")");
            return result.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /** x ← α x, {@code cublasSscal_v2}. */
    public synchronized void sscal(int n, float a, long dx, int incx) {
        alpha.set(JAVA_FLOAT, 0, a);
        try {
            Cublas.check((int) Cublas.SSCAL.handle().invokeExact(h(), n, alpha, dev(dx), incx), "cublasSscal_v2(" + n + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Cublas.check((int) Cublas.DESTROY.handle().invokeExact(handle), "cublasDestroy_v2");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        } finally {
            handle = MemorySegment.NULL;
            scalars.close();
        }
    }
}
