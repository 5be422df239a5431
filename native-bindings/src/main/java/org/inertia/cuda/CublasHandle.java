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

    /**
     * Creates a cuBLAS handle on the current device ({@code cublasCreate_v2}).
     *
     * @return a new handle the caller closes
     * @throws CudaException if cuBLAS fails (no device, no memory: {@link CudaOutOfMemoryException})
     * @throws CudaUnavailableException if libcublas cannot be opened
     */
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

    /**
     * Makes later calls on this handle run on {@code stream} ({@code cublasSetStream_v2}).
     *
     * @param stream the stream; {@code null} for the default (legacy) stream
     * @throws IllegalStateException if this handle is closed
     */
    public synchronized void setStream(CudaStream stream) {
        try {
            Cublas.check((int) Cublas.SET_STREAM.handle().invokeExact(h(), dev(stream == null ? 0 : stream.handle())),
                    "cublasSetStream_v2");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * {@code cublasSetMathMode}: TF32 tensor cores on or off for float32 products.
     *
     * @param on true for {@link Cublas#TF32_TENSOR_OP_MATH}, false for {@link Cublas#DEFAULT_MATH}
     * @throws IllegalStateException if this handle is closed
     */
    public synchronized void setTf32(boolean on) {
        try {
            Cublas.check((int) Cublas.SET_MATH_MODE.handle().invokeExact(h(), on ? Cublas.TF32_TENSOR_OP_MATH
                    : Cublas.DEFAULT_MATH), "cublasSetMathMode(" + (on ? "TF32" : "default") + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * C ← α op(A) op(B) + β C, {@code cublasSgemm_v2}. Asynchronous on the handle's stream.
     *
     * @param transa {@link Cublas#OP_N} or {@link Cublas#OP_T}: op(A) is A or Aᵀ
     * @param transb {@link Cublas#OP_N} or {@link Cublas#OP_T}: op(B) is B or Bᵀ
     * @param m rows of op(A) and of C; >= 0
     * @param n columns of op(B) and of C; >= 0
     * @param k columns of op(A), rows of op(B); >= 0
     * @param a the scalar α
     * @param dA device address of A (column-major)
     * @param lda leading dimension of A, in elements
     * @param dB device address of B (column-major)
     * @param ldb leading dimension of B, in elements
     * @param b the scalar β (C need not be initialised when 0)
     * @param dC device address of C, m × n column-major, overwritten
     * @param ldc leading dimension of C, in elements; >= max(1, m)
     * @throws CudaException if cuBLAS rejects the call (bad dimensions: CUBLAS_STATUS_INVALID_VALUE)
     * @throws IllegalStateException if this handle is closed
     */
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

    /**
     * {@code cublasSgemmStridedBatched}: {@code batch} products C_i ← α op(A_i) op(B_i) + β C_i, where operand i
     * starts i strides (in elements) after the first. Asynchronous on the handle's stream.
     *
     * @param transa {@link Cublas#OP_N} or {@link Cublas#OP_T}: op(A) is A or Aᵀ
     * @param transb {@link Cublas#OP_N} or {@link Cublas#OP_T}: op(B) is B or Bᵀ
     * @param m rows of op(A) and of C; >= 0
     * @param n columns of op(B) and of C; >= 0
     * @param k columns of op(A), rows of op(B); >= 0
     * @param a the scalar α
     * @param dA device address of A (column-major)
     * @param lda leading dimension of A, in elements
     * @param sA stride between consecutive A_i, in elements
     * @param dB device address of B_0 (column-major)
     * @param ldb leading dimension of each B_i, in elements
     * @param sB stride between consecutive B_i, in elements
     * @param b the scalar β
     * @param dC device address of C_0, each m × n column-major, overwritten
     * @param ldc leading dimension of each C_i, in elements
     * @param sC stride between consecutive C_i, in elements
     * @param batch number of products; >= 0
     * @throws CudaException if cuBLAS rejects the call
     * @throws IllegalStateException if this handle is closed
     */
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

    /**
     * C ← α op(A) op(B) + β C by {@code cublasGemmEx} on float32 operands with the given compute type
     * (COMPUTE_32F or its FAST_TF32) and the default algorithm. Asynchronous on the handle's stream.
     *
     * @param transa {@link Cublas#OP_N} or {@link Cublas#OP_T}: op(A) is A or Aᵀ
     * @param transb {@link Cublas#OP_N} or {@link Cublas#OP_T}: op(B) is B or Bᵀ
     * @param m rows of op(A) and of C; >= 0
     * @param n columns of op(B) and of C; >= 0
     * @param k columns of op(A), rows of op(B); >= 0
     * @param a the scalar α
     * @param dA device address of A (column-major)
     * @param lda leading dimension of A, in elements
     * @param dB device address of B (column-major)
     * @param ldb leading dimension of B, in elements
     * @param b the scalar β
     * @param dC device address of C, m × n column-major, overwritten
     * @param ldc leading dimension of C, in elements
     * @param computeType {@link Cublas#COMPUTE_32F} or {@link Cublas#COMPUTE_32F_FAST_TF32}
     * @throws CudaException if cuBLAS rejects the call
     * @throws IllegalStateException if this handle is closed
     */
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

    /**
     * y ← α x + y, {@code cublasSaxpy_v2}. Asynchronous on the handle's stream.
     *
     * @param n number of elements; >= 0
     * @param a the scalar α
     * @param dx device address of x
     * @param incx stride between elements of x
     * @param dy device address of y, updated in place
     * @param incy stride between elements of y
     * @throws CudaException if cuBLAS fails
     * @throws IllegalStateException if this handle is closed
     */
    public synchronized void saxpy(int n, float a, long dx, int incx, long dy, int incy) {
        alpha.set(JAVA_FLOAT, 0, a);
        try {
            Cublas.check((int) Cublas.SAXPY.handle().invokeExact(h(), n, alpha, dev(dx), incx, dev(dy), incy),
                    "cublasSaxpy_v2(" + n + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * xᵀy, {@code cublasSdot_v2} (host result: synchronises).
     *
     * @param n number of elements; >= 0
     * @param dx device address of x
     * @param incx stride between elements of x
     * @param dy device address of y
     * @param incy stride between elements of y
     * @return the dot product (0 when {@code n <= 0})
     * @throws CudaException if cuBLAS fails
     * @throws IllegalStateException if this handle is closed
     */
    public synchronized float sdot(int n, long dx, int incx, long dy, int incy) {
        try {
            Cublas.check((int) Cublas.SDOT.handle().invokeExact(h(), n, dev(dx), incx, dev(dy), incy, result),
                    "cublasSdot_v2(" + n + ")");
            return result.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * ‖x‖₂, {@code cublasSnrm2_v2} (host result: synchronises).
     *
     * @param n number of elements; >= 0
     * @param dx device address of x
     * @param incx stride between elements of x; > 0
     * @return the Euclidean norm (0 when {@code n <= 0})
     * @throws CudaException if cuBLAS fails
     * @throws IllegalStateException if this handle is closed
     */
    public synchronized float snrm2(int n, long dx, int incx) {
        try {
            Cublas.check((int) Cublas.SNRM2.handle().invokeExact(h(), n, dev(dx), incx, result), "cublasSnrm2_v2(" + n + ")");
            return result.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * x ← α x, {@code cublasSscal_v2}. Asynchronous on the handle's stream.
     *
     * @param n number of elements; >= 0
     * @param a the scalar α
     * @param dx device address of x, scaled in place
     * @param incx stride between elements of x; > 0
     * @throws CudaException if cuBLAS fails
     * @throws IllegalStateException if this handle is closed
     */
    public synchronized void sscal(int n, float a, long dx, int incx) {
        alpha.set(JAVA_FLOAT, 0, a);
        try {
            Cublas.check((int) Cublas.SSCAL.handle().invokeExact(h(), n, alpha, dev(dx), incx), "cublasSscal_v2(" + n + ")");
        } catch (Throwable t) {
            throw CudaRuntime.rethrow(t);
        }
    }

    /**
     * Destroys the handle ({@code cublasDestroy_v2}) and frees the scalars; later calls throw. Idempotent.
     *
     * @throws CudaException if cuBLAS reports an error while destroying
     */
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
