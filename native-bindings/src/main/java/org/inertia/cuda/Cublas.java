package org.inertia.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.MemoryLayout;

/**
 * Thin bindings to cuBLAS ({@code libcublas}), the C names kept; every {@code cublasStatus_t} other than
 * {@code CUBLAS_STATUS_SUCCESS} becomes a {@link CudaException} with {@code cublasGetStatusName} and
 * {@code cublasGetStatusString}. Matrices are column-major, as cuBLAS has them. Use through
 * {@link CublasHandle}, which owns the handle and the host-side α/β scalars.
 */
public final class Cublas {
    static final NativeLibrary LIB = new NativeLibrary("cublas",
            "install cuBLAS (part of the CUDA toolkit) or point -Dinertia.cuda.lib.cublas at it",
            "libcublas.so.13", "libcublas.so.12", "libcublas.so");

    /** cublasOperation_t CUBLAS_OP_N: use the operand as stored. */
    public static final int OP_N = 0;
    /** cublasOperation_t CUBLAS_OP_T: use the operand transposed. */
    public static final int OP_T = 1;
    /** cublasMath_t CUBLAS_DEFAULT_MATH: strict float32. */
    public static final int DEFAULT_MATH = 0;
    /** cublasMath_t CUBLAS_TF32_TENSOR_OP_MATH: TF32 tensor cores for float32 products. */
    public static final int TF32_TENSOR_OP_MATH = 3;
    /** cudaDataType_t CUDA_R_32F. */
    public static final int CUDA_R_32F = 0;
    /** cublasComputeType_t CUBLAS_COMPUTE_32F: float32 accumulation, float32 products. */
    public static final int COMPUTE_32F = 68;
    /** cublasComputeType_t CUBLAS_COMPUTE_32F_FAST_TF32: float32 accumulation, TF32 tensor-core products. */
    public static final int COMPUTE_32F_FAST_TF32 = 77;
    /** cublasGemmAlgo_t CUBLAS_GEMM_DEFAULT. */
    public static final int GEMM_DEFAULT = -1;
    /** cublasStatus_t CUBLAS_STATUS_ALLOC_FAILED. */
    static final int STATUS_ALLOC_FAILED = 3;

    private static final MemoryLayout P = ADDRESS;
    private static final MemoryLayout I = JAVA_INT;
    private static final MemoryLayout L = JAVA_LONG;

    static final NativeLibrary.Function CREATE = LIB.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final NativeLibrary.Function DESTROY = LIB.function("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final NativeLibrary.Function SET_STREAM = LIB.function("cublasSetStream_v2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final NativeLibrary.Function SET_MATH_MODE = LIB.function("cublasSetMathMode",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /** handle, transa, transb, m, n, k, α*, A, lda, B, ldb, β*, C, ldc. */
    static final NativeLibrary.Function SGEMM = LIB.function("cublasSgemm_v2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                    JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    /** handle, transa, transb, m, n, k, α*, A, lda, strideA, B, ldb, strideB, β*, C, ldc, strideC, batch. */
    static final NativeLibrary.Function SGEMM_STRIDED_BATCHED = LIB.function("cublasSgemmStridedBatched",
            FunctionDescriptor.of(JAVA_INT, new MemoryLayout[] {P, I, I, I, I, I, P, P, I, L, P, I, L, P, P, I, L, I}));
    /** handle, transa, transb, m, n, k, α*, A, Atype, lda, B, Btype, ldb, β*, C, Ctype, ldc, computeType, algo. */
    static final NativeLibrary.Function GEMM_EX = LIB.function("cublasGemmEx",
            FunctionDescriptor.of(JAVA_INT, new MemoryLayout[] {P, I, I, I, I, I, P, P, I, I, P, I, I, P, P, I, I, I, I}));
    static final NativeLibrary.Function SAXPY = LIB.function("cublasSaxpy_v2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    static final NativeLibrary.Function SDOT = LIB.function("cublasSdot_v2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final NativeLibrary.Function SNRM2 = LIB.function("cublasSnrm2_v2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final NativeLibrary.Function SSCAL = LIB.function("cublasSscal_v2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final NativeLibrary.Function GET_STATUS_NAME = LIB.function("cublasGetStatusName",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final NativeLibrary.Function GET_STATUS_STRING = LIB.function("cublasGetStatusString",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Cublas() {
    }

    /**
     * Whether libcublas can be opened.
     *
     * @return true if the library was found and loaded
     */
    public static boolean libraryAvailable() {
        return LIB.available();
    }

    /** Throws a {@link CudaException} if {@code status} is not CUBLAS_STATUS_SUCCESS. */
    static void check(int status, String call) {
        if (status == 0) {
            return;
        }
        String name = text(GET_STATUS_NAME, status);
        String description = text(GET_STATUS_STRING, status);
        if (status == STATUS_ALLOC_FAILED) {
            throw new CudaOutOfMemoryException(call, status, name, description);
        }
        throw new CudaException(call, status, name, description);
    }

    private static String text(NativeLibrary.Function f, int status) {
        try {
            MemorySegment p = (MemorySegment) f.handle().invokeExact(status);
            return p.equals(MemorySegment.NULL) ? "unknown" : p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "status " + status;
        }
    }
}
