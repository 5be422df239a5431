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
    /**
     * C ← α op(A) op(B) + βC.
     *
     * @param transA whether op(A) is Aᵀ
     * @param transB whether op(B) is Bᵀ
     * @param alpha the scale α of the product
     * @param a the matrix A
     * @param b the matrix B
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output C, m×n
     */
    void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c);

    /**
     * Packs op(B) (k×n) once for {@link #gemm(boolean, double, NdArray, PackedGemmOperand, double, NdArray)}.
     *
     * @param transB whether op(B) is Bᵀ
     * @param b the matrix B, rank 2
     * @return the packed operand; the caller closes it
     */
    PackedGemmOperand packB(boolean transB, NdArray b);

    /**
     * Whether {@code b} was packed by this implementation's {@link #packB} (else the facade rejects it).
     *
     * @param b the packed operand
     * @return true if this implementation packed {@code b}
     */
    boolean packedHere(PackedGemmOperand b);

    /**
     * C ← α op(A) B + βC with B open, packed here, of A's dtype and of matching shape.
     *
     * @param transA whether op(A) is Aᵀ
     * @param alpha the scale α of the product
     * @param a the matrix A
     * @param b B, packed by this implementation's {@link #packB}
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output C, m×n
     */
    void gemm(boolean transA, double alpha, NdArray a, PackedGemmOperand b, double beta, NdArray c);

    /**
     * y ← α op(A) x + βy.
     *
     * @param transA whether op(A) is Aᵀ
     * @param alpha the scale α of the product
     * @param a the matrix A
     * @param x the vector x, of op(A)'s column count
     * @param beta the scale β of y; y is not read when β = 0
     * @param y the output y, of op(A)'s row count
     */
    void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y);

    /**
     * C[t] ← α op(A[t]) op(B[t]) + βC[t].
     *
     * @param transA whether op(A) is Aᵀ
     * @param transB whether op(B) is Bᵀ
     * @param alpha the scale α of the product
     * @param a the batch of A, rank 3
     * @param b the batch of B, rank 3
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output batch [batch, m, n]
     */
    void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c);
}
