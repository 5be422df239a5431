package org.inertia.kernels;

/**
 * One implementation of the elementwise family (unary and binary ops, clamp, where, fill):
 * {@code cpu.ElementwiseScalar} (double-precision loops, any dtype) or {@code simd.ElementwiseSimd}
 * (float32 on the Vector API), picked once by {@code cpu.ElementwiseProvider}. Callers go through the
 * validating facade {@link Elementwise}; implementations assume valid operands.
 *
 * <p>Inputs arrive already broadcast to out's shape (stride-0 views where they broadcast). out may be
 * the very same view as an input but overlaps no input otherwise, so an implementation must read
 * element i of every input before it writes element i of out.
 */
public interface ElementwiseSupport {
    /**
     * out ← op(x).
     *
     * @param op the operation
     * @param x the input
     * @param out the output, of the result's shape
     */
    void unary(UnaryOp op, NdArray x, NdArray out);

    /**
     * out ← op(a, b), a and b of out's shape.
     *
     * @param op the operation
     * @param a the left operand
     * @param b the right operand, of out's shape
     * @param out the output, of the result's shape
     */
    void binary(BinaryOp op, NdArray a, NdArray b, NdArray out);

    /**
     * out ← op(a, s); float32 rounds s to float first.
     *
     * @param op the operation
     * @param a the left operand
     * @param s the scalar right operand
     * @param out the output, of the result's shape
     */
    void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out);

    /**
     * out ← min(max(x, lo), hi), lo ≤ hi; NaN stays NaN.
     *
     * @param x the input
     * @param lo the lower bound
     * @param hi the upper bound, >= lo
     * @param out the output, of the result's shape
     */
    void clamp(NdArray x, double lo, double hi, NdArray out);

    /**
     * out ← condition ≠ 0 ? a : b; condition may have any dtype.
     *
     * @param condition the condition, of out's shape, any dtype
     * @param a the values where condition ≠ 0, of out's shape
     * @param b the values where condition = 0, of out's shape
     * @param out the output, of the result's shape
     */
    void where(NdArray condition, NdArray a, NdArray b, NdArray out);

    /**
     * out ← value everywhere; out may have any dtype (the value is converted as by a cast).
     *
     * @param out the view written, any dtype
     * @param value the value written
     */
    void fill(NdArray out, double value);
}
