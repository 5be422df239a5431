package org.inertia.kernels;

/**
 * One implementation of the BLAS level-1 family: {@code cpu.Blas1Scalar} (double-precision loops, any
 * floating dtype) or {@code simd.Blas1Simd} (float32 on the Vector API), picked once by
 * {@code cpu.Blas1Provider}; a device backend brings its own. Callers go through the validating facade
 * {@link Blas1}, which has already checked every operand: implementations assume them valid.
 *
 * <p>x and y are rank-1 views (any stride, possibly negative) of equal length and one floating dtype;
 * {@code copy} takes views of any rank and equal shape.
 */
public interface Blas1Support {
    /**
     * y ← αx + y.
     *
     * @param alpha the scale factor α
     * @param x the vector x, rank 1, of this implementation's dtype
     * @param y the vector y, of x's length and dtype
     */
    void axpy(double alpha, NdArray x, NdArray y);

    /**
     * x ← αx.
     *
     * @param alpha the scale factor α
     * @param x the vector x, rank 1, of this implementation's dtype
     */
    void scal(double alpha, NdArray x);

    /**
     * Σ x_i y_i.
     *
     * @param x the vector x, rank 1, of this implementation's dtype
     * @param y the vector y, of x's length and dtype
     * @return the dot product, as a double
     */
    double dot(NdArray x, NdArray y);

    /**
     * √(Σ x_i²) without overflow or underflow for finite inputs.
     *
     * @param x the vector x, rank 1, of this implementation's dtype
     * @return the Euclidean norm of x
     */
    double nrm2(NdArray x);

    /**
     * Σ |x_i|.
     *
     * @param x the vector x, rank 1, of this implementation's dtype
     * @return the sum of absolute values of x
     */
    double asum(NdArray x);

    /**
     * Index of the first element of largest |x_i|, −1 for an empty vector; NaN counts as largest.
     *
     * @param x the vector x, rank 1, of this implementation's dtype
     * @return the 0-based index, or −1 if x is empty
     */
    long iamax(NdArray x);

    /**
     * dst ← src (any rank, equal shape and dtype).
     *
     * @param src the view copied from
     * @param dst the view written, of src's shape and dtype
     */
    void copy(NdArray src, NdArray dst);
}
