package org.inertia.kernels;

import java.util.Objects;

/**
 * The GEMM family's validating facade (GEMM, packed-B GEMM, GEMV, batched GEMM): checks ranks, dtypes,
 * shapes and overlap once and runs the implementation a backend chose for the output's dtype
 * ({@link Backend#gemm()}). Messages name the operands and their shapes as op(·) sees them, e.g.
 * {@code gemm: op(A) is 3x4 but op(B) is 5x2}.
 *
 * <p>Operands are views with arbitrary strides (row-major, column-major, sliced). C must not overlap A or
 * B. With β = 0, C is not read (NaN there does not propagate), as in BLAS.
 */
public final class Gemm {
    private final GemmSupport float32;
    private final GemmSupport float64;

    /**
     * A facade over one implementation per floating dtype (a backend builds it once).
     *
     * @param float32 the implementation for float32 operands
     * @param float64 the implementation for float64 operands, also the scalar reference
     */
    public Gemm(GemmSupport float32, GemmSupport float64) {
        this.float32 = Objects.requireNonNull(float32, "float32");
        this.float64 = Objects.requireNonNull(float64, "float64");
    }

    private GemmSupport impl(Dtype dtype) {
        return dtype == Dtype.F32 ? float32 : float64;
    }

    /**
     * C ← α op(A) op(B) + βC, op(X) = X or Xᵀ; op(A) is m×k, op(B) k×n, C m×n.
     *
     * @param transA whether op(A) is Aᵀ
     * @param transB whether op(B) is Bᵀ
     * @param alpha the scale α of the product
     * @param a the matrix A, rank 2, floating
     * @param b the matrix B, rank 2, of A's dtype
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output C, m×n, of A's dtype; disjoint from A and B
     */
    public void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c) {
        operands(a, "B", b, "C", c);
        Checks.rank("A", a, 2);
        Checks.rank("B", b, 2);
        Checks.rank("C", c, 2);
        checkShapes("gemm", transA, transB, a.dim(0), a.dim(1), b.dim(0), b.dim(1), c.dim(0), c.dim(1));
        Checks.disjoint("C", c, "A", a);
        Checks.disjoint("C", c, "B", b);
        impl(c.dtype()).gemm(transA, transB, alpha, a, b, beta, c);
    }

    /**
     * Packs op(B) (k×n) once for many {@link #gemm(boolean, double, NdArray, PackedGemmOperand, double, NdArray)}
     * products: the same result as {@link #gemm} without repacking B on every call (bit for bit, except a
     * float32 C of one row or column, which unpacked gemm sends to GEMV). A snapshot of B.
     *
     * @param transB whether op(B) is Bᵀ
     * @param b the matrix B, rank 2, floating
     * @return the packed operand; the caller closes it
     */
    public PackedGemmOperand packB(boolean transB, NdArray b) {
        Checks.floating("B", b);
        Checks.rank("B", b, 2);
        return impl(b.dtype()).packB(transB, b);
    }

    /**
     * C ← α op(A) B + βC with B packed by {@link #packB} of this facade.
     *
     * @param transA whether op(A) is Aᵀ
     * @param alpha the scale α of the product
     * @param a the matrix A, rank 2, floating
     * @param b B, packed by this facade's {@link #packB}; open, of A's dtype
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output C, m×n, of A's dtype; disjoint from A
     */
    public void gemm(boolean transA, double alpha, NdArray a, PackedGemmOperand b, double beta, NdArray c) {
        Objects.requireNonNull(b, "packed B");
        if (b.isClosed()) {
            throw new IllegalStateException("gemm: packed B (" + b.k() + "x" + b.n() + ") is closed");
        }
        Checks.sameFloating("A", a, "C", c);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("gemm: A is " + a.dtype() + " but packed B is " + b.dtype());
        }
        GemmSupport impl = impl(c.dtype());
        if (!impl.packedHere(b)) {
            throw new IllegalArgumentException("gemm: B was packed by another backend or implementation ("
                    + b.getClass().getName() + "), not by " + impl.getClass().getSimpleName());
        }
        Checks.rank("A", a, 2);
        Checks.rank("C", c, 2);
        checkShapes("gemm", transA, false, a.dim(0), a.dim(1), b.k(), b.n(), c.dim(0), c.dim(1));
        Checks.disjoint("C", c, "A", a);
        impl.gemm(transA, alpha, a, b, beta, c);
    }

    /**
     * y ← α op(A) x + βy.
     *
     * @param transA whether op(A) is Aᵀ
     * @param alpha the scale α of the product
     * @param a the matrix A, rank 2, floating
     * @param x the vector x, of op(A)'s column count
     * @param beta the scale β of y; y is not read when β = 0
     * @param y the output y, of op(A)'s row count; disjoint from A and x
     */
    public void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y) {
        operands(a, "x", x, "y", y);
        Checks.rank("A", a, 2);
        Checks.rank("x", x, 1);
        Checks.rank("y", y, 1);
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        if (x.dim(0) != k) {
            throw new IllegalArgumentException("gemv: op(A) is " + m + "x" + k + " but x has length " + x.dim(0)
                    + " (A " + a.shape() + ", x " + x.shape() + ", transA=" + transA + ")");
        }
        if (y.dim(0) != m) {
            throw new IllegalArgumentException("gemv: op(A) is " + m + "x" + k + " but y has length " + y.dim(0)
                    + " (A " + a.shape() + ", y " + y.shape() + ", transA=" + transA + ")");
        }
        Checks.disjoint("y", y, "A", a);
        Checks.disjoint("y", y, "x", x);
        impl(y.dtype()).gemv(transA, alpha, a, x, beta, y);
    }

    /**
     * C[i] ← α op(A[i]) op(B[i]) + βC[i] for rank-3 operands of equal batch size; A or B may broadcast
     * along the batch (batch stride 0).
     *
     * @param transA whether op(A) is Aᵀ
     * @param transB whether op(B) is Bᵀ
     * @param alpha the scale α of the product
     * @param a the batch of A, [batch, rows, cols], floating
     * @param b the batch of B, [batch, rows, cols], of A's dtype
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output batch [batch, m, n]; disjoint from A and B
     */
    public void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
            NdArray c) {
        operands(a, "B", b, "C", c);
        Checks.rank("A", a, 3);
        Checks.rank("B", b, 3);
        Checks.rank("C", c, 3);
        if (a.dim(0) != c.dim(0) || b.dim(0) != c.dim(0)) {
            throw new IllegalArgumentException("gemmBatched: batch sizes differ: A " + a.shape() + ", B "
                    + b.shape() + ", C " + c.shape());
        }
        checkShapes("gemmBatched", transA, transB, a.dim(1), a.dim(2), b.dim(1), b.dim(2), c.dim(1), c.dim(2));
        Checks.disjoint("C", c, "A", a);
        Checks.disjoint("C", c, "B", b);
        impl(c.dtype()).gemmBatched(transA, transB, alpha, a, b, beta, c);
    }

    private static void operands(NdArray a, String nb, NdArray b, String nc, NdArray c) {
        Checks.sameFloating("A", a, nb, b);
        Checks.sameFloating("A", a, nc, c);
    }

    private static void checkShapes(String op, boolean transA, boolean transB, int a0, int a1, int b0, int b1,
            int c0, int c1) {
        int m = transA ? a1 : a0;
        int k = transA ? a0 : a1;
        int kb = transB ? b1 : b0;
        int n = transB ? b0 : b1;
        if (k != kb) {
            throw new IllegalArgumentException(op + ": op(A) is " + m + "x" + k + " but op(B) is " + kb + "x" + n
                    + " (A " + a0 + "x" + a1 + ", B " + b0 + "x" + b1 + ", transA=" + transA + ", transB=" + transB
                    + ")");
        }
        if (c0 != m || c1 != n) {
            throw new IllegalArgumentException(op + ": C is " + c0 + "x" + c1 + " but op(A)·op(B) is " + m + "x" + n
                    + " (op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n + ")");
        }
    }
}
