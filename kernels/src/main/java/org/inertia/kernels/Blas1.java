package org.inertia.kernels;

import java.util.Objects;

/**
 * The BLAS level-1 family's validating facade: checks the operands once and runs the implementation a
 * backend chose for their dtype ({@link Backend#blas1()}). x and y are rank-1 views of any stride and of
 * equal length; a bad operand throws {@link IllegalArgumentException} naming it and its shape (or
 * {@link IllegalStateException} if closed).
 */
public final class Blas1 {
    private final Blas1Support float32;
    private final Blas1Support float64;

    /**
     * A facade over one implementation per floating dtype (a backend builds it once).
     *
     * @param float32 the implementation for float32 operands
     * @param float64 the implementation for float64 operands, also the scalar reference
     */
    public Blas1(Blas1Support float32, Blas1Support float64) {
        this.float32 = Objects.requireNonNull(float32, "float32");
        this.float64 = Objects.requireNonNull(float64, "float64");
    }

    private Blas1Support impl(NdArray a) {
        return a.dtype() == Dtype.F32 ? float32 : float64;
    }

    /**
     * y ← αx + y.
     *
     * @param alpha the scale factor α
     * @param x the vector x, rank 1, floating
     * @param y the vector y, rank 1, of x's length and dtype
     */
    public void axpy(double alpha, NdArray x, NdArray y) {
        Checks.vectors(x, y);
        Checks.noPartialOverlap("x", x, "y", y);
        Checks.writable("y", y);
        impl(x).axpy(alpha, x, y);
    }

    /**
     * x ← αx.
     *
     * @param alpha the scale factor α
     * @param x the vector scaled in place, rank 1, floating
     */
    public void scal(double alpha, NdArray x) {
        Checks.floating("x", x);
        Checks.rank("x", x, 1);
        Checks.writable("x", x);
        impl(x).scal(alpha, x);
    }

    /**
     * Σ x_i y_i.
     *
     * @param x the vector x, rank 1, floating
     * @param y the vector y, rank 1, of x's length and dtype
     * @return the dot product, as a double
     */
    public double dot(NdArray x, NdArray y) {
        Checks.vectors(x, y);
        return impl(x).dot(x, y);
    }

    /**
     * √(Σ x_i²), computed without overflow or underflow for finite inputs.
     *
     * @param x the vector x, rank 1, floating
     * @return the Euclidean norm of x
     */
    public double nrm2(NdArray x) {
        vector(x);
        return impl(x).nrm2(x);
    }

    /**
     * Σ |x_i|.
     *
     * @param x the vector x, rank 1, floating
     * @return the sum of absolute values of x
     */
    public double asum(NdArray x) {
        vector(x);
        return impl(x).asum(x);
    }

    /**
     * Index of the first element of largest |x_i| (0-based), −1 for an empty vector; NaN counts as largest.
     *
     * @param x the vector x, rank 1, floating
     * @return the 0-based index, or −1 if x is empty
     */
    public long iamax(NdArray x) {
        vector(x);
        return impl(x).iamax(x);
    }

    /**
     * dst ← src, for any two views of equal shape and dtype (any dtype, any rank).
     *
     * @param src the view copied from
     * @param dst the view written, of src's shape and dtype; must not partly overlap src
     */
    public void copy(NdArray src, NdArray dst) {
        Checks.open("src", src);
        Checks.open("dst", dst);
        Checks.sameShape("src", src, "dst", dst);
        if (src.dtype() != dst.dtype()) {
            throw new IllegalArgumentException("src is " + src.dtype() + " but dst is " + dst.dtype());
        }
        Checks.noPartialOverlap("src", src, "dst", dst);
        Checks.writable("dst", dst);
        impl(src).copy(src, dst);
    }

    private static void vector(NdArray x) {
        Checks.floating("x", x);
        Checks.rank("x", x, 1);
    }
}
