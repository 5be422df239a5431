package org.inertia.kernels;

/**
 * One implementation of the GEMM family (GEMM, packed-B GEMM, GEMV, batched GEMM):
 * {@code cpu.GemmScalar} (double-precision loops, any floating dtype) or {@code simd.GemmSimd} (the
 * packed multi-threaded float32 kernels), picked once by {@code cpu.GemmProvider}. Callers go through the
 * validating facade {@link Gemm}; implementations assume valid operands.
 *
 * <p>Operands are rank-2 views (rank 3 for the batched product, batch stride 0 where A or B broadcasts)
 * of one floating dtype with arbitrary strides; shapes agree (op(A) m×k, op(B) k×n, C m×n); C overlaps
 * neither A nor B. With β = 0, C is not read.
 */
public interface GemmSupport {
    /** C ← α op(A) op(B) + βC. */
    void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c);

    /** Packs op(B) (k×n) once for {@link #gemm(boolean, double, NdArray, PackedGemmOperand, double, NdArray)}. */
    PackedGemmOperand packB(boolean transB, NdArray b);

    /** Whether {@code b} was packed by this implementation's {@link #packB} (else the facade rejects it). */
    boolean packedHere(PackedGemmOperand b);

    /** C ← α op(A) B + βC with B open, packed here, of A's dtype and of matching shape. */
    void gemm(boolean transA, double alpha, NdArray a, PackedGemmOperand b, double beta, NdArray c);

    /** y ← α op(A) x + βy. */
    void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y);

    /** C[t] ← α op(A[t]) op(B[t]) + βC[t]. */
    void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c);
}
