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
    /** y ← αx + y. */
    void axpy(double alpha, NdArray x, NdArray y);

    /** x ← αx. */
    void scal(double alpha, NdArray x);

    /** Σ x_i y_i. */
    double dot(NdArray x, NdArray y);

    /** √(Σ x_i²) without overflow or underflow for finite inputs. */
    double nrm2(NdArray x);

    /** Σ |x_i|. */
    double asum(NdArray x);

    /** Index of the first element of largest |x_i|, −1 for an empty vector; NaN counts as largest. */
    long iamax(NdArray x);

    /** dst ← src (any rank, equal shape and dtype). */
    void copy(NdArray src, NdArray dst);
}
