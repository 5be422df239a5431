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
    /** out ← op(x). */
    void unary(UnaryOp op, NdArray x, NdArray out);

    /** out ← op(a, b), a and b of out's shape. */
    void binary(BinaryOp op, NdArray a, NdArray b, NdArray out);

    /** out ← op(a, s); float32 rounds s to float first. */
    void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out);

    /** out ← min(max(x, lo), hi), lo ≤ hi; NaN stays NaN. */
    void clamp(NdArray x, double lo, double hi, NdArray out);

    /** out ← condition ≠ 0 ? a : b; condition may have any dtype. */
    void where(NdArray condition, NdArray a, NdArray b, NdArray out);

    /** out ← value everywhere; out may have any dtype (the value is converted as by a cast). */
    void fill(NdArray out, double value);
}
