package org.inertia.kernels;

/**
 * One implementation of the reductions family (sum, mean, max, argmax, variance, sum of all, softmax,
 * log-softmax): {@code cpu.ReductionsScalar} (double accumulation, any floating dtype) or
 * {@code simd.ReductionsSimd} (float32 on the Vector API, scalar loops for layouts it has no kernel for),
 * picked once by {@code cpu.ReductionsProvider}. Callers go through the validating facade
 * {@link Reductions}; implementations assume valid operands.
 *
 * <p>{@code axis} is already normalized (0 ≤ axis &lt; rank), out has x's shape with that axis removed or of
 * size 1, and the axis is not empty (the facade writes the empty-axis results itself) except for
 * softmax, which receives any non-empty x.
 */
public interface ReductionsSupport {
    /**
     * Sum along axis.
     *
     * @param x the input
     * @param axis the reduced axis, in [0, rank)
     * @param out the output: x's shape with the axis removed or set to 1
     */
    void sum(NdArray x, int axis, NdArray out);

    /**
     * Mean along axis.
     *
     * @param x the input
     * @param axis the reduced axis, in [0, rank)
     * @param out the output: x's shape with the axis removed or set to 1
     */
    void mean(NdArray x, int axis, NdArray out);

    /**
     * Maximum along axis; NaN if any element is NaN.
     *
     * @param x the input
     * @param axis the reduced axis, in [0, rank)
     * @param out the output: x's shape with the axis removed or set to 1
     */
    void max(NdArray x, int axis, NdArray out);

    /**
     * Index of the first maximum (or first NaN) along axis, into an I32 out.
     *
     * @param x the input
     * @param axis the reduced axis, in [0, rank)
     * @param out the I32 output: x's shape with the axis removed or set to 1
     */
    void argmax(NdArray x, int axis, NdArray out);

    /**
     * Σ(x − mean)² / (n − correction) along axis, n − correction ≥ 1.
     *
     * @param x the input
     * @param axis the reduced axis, in [0, rank)
     * @param correction subtracted from the count in the divisor; 1 for the unbiased estimate
     * @param out the output: x's shape with the axis removed or set to 1
     */
    void variance(NdArray x, int axis, int correction, NdArray out);

    /**
     * Sum of all elements (0 for an empty array).
     *
     * @param x the input
     * @return the sum, as a double
     */
    double sumAll(NdArray x);

    /**
     * e^(x−max) / Σ e^(x−max) along axis; out has x's shape and may be x itself.
     *
     * @param x the input
     * @param axis the axis normalized over, in [0, rank)
     * @param out the output, of x's shape; may be x itself
     */
    void softmax(NdArray x, int axis, NdArray out);

    /**
     * x − max − ln Σ e^(x−max) along axis; out has x's shape and may be x itself.
     *
     * @param x the input
     * @param axis the axis normalized over, in [0, rank)
     * @param out the output, of x's shape; may be x itself
     */
    void logSoftmax(NdArray x, int axis, NdArray out);
}
