package org.inertia.kernels;

import java.util.Objects;

/**
 * The elementwise family's validating facade (unary and binary ops with NumPy broadcasting, clamp,
 * where, fill): checks dtypes, shapes, writability and overlap once, broadcasts the inputs to out's shape,
 * and runs the implementation a backend chose for out's dtype ({@link Backend#elementwise()}).
 *
 * <p>Operands may be any views. out may be the very same view as an input (in place); any other overlap
 * is rejected. A bad operand throws {@link IllegalArgumentException} naming it and its shape (or
 * {@link IllegalStateException} if closed).
 */
public final class Elementwise {
    private final ElementwiseSupport float32;
    private final ElementwiseSupport float64;

    /**
     * A facade over one implementation per floating dtype (a backend builds it once).
     *
     * @param float32 the implementation for float32 operands
     * @param float64 the implementation for float64 operands, also the scalar reference
     */
    public Elementwise(ElementwiseSupport float32, ElementwiseSupport float64) {
        this.float32 = Objects.requireNonNull(float32, "float32");
        this.float64 = Objects.requireNonNull(float64, "float64");
    }

    private ElementwiseSupport impl(NdArray out) {
        return out.dtype() == Dtype.F32 ? float32 : float64;
    }

    /**
     * out ← op(x); out has x's shape.
     *
     * @param op the operation
     * @param x the input, floating
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void unary(UnaryOp op, NdArray x, NdArray out) {
        Objects.requireNonNull(op, "op");
        Checks.sameFloating("x", x, "out", out);
        Checks.sameShape("x", x, "out", out);
        Checks.writable("out", out);
        Checks.noPartialOverlap("x", x, "out", out);
        impl(out).unary(op, x, out);
    }

    /**
     * out ← op(a, b) with NumPy broadcasting; out must have the broadcast shape.
     *
     * @param op the operation
     * @param a the left operand, floating
     * @param b the right operand, of a's dtype
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void binary(BinaryOp op, NdArray a, NdArray b, NdArray out) {
        Objects.requireNonNull(op, "op");
        Checks.sameFloating("a", a, "b", b);
        Checks.sameFloating("a", a, "out", out);
        Shape target = Shape.broadcast(a.shape(), b.shape());
        if (!out.shape().equals(target)) {
            throw new IllegalArgumentException("out has shape " + out.shape() + " but a " + a.shape() + " and b "
                    + b.shape() + " broadcast to " + target);
        }
        Checks.writable("out", out);
        Checks.noPartialOverlap("a", a, "out", out);
        Checks.noPartialOverlap("b", b, "out", out);
        impl(out).binary(op, a.broadcastTo(target), b.broadcastTo(target), out);
    }

    /**
     * out ← op(a, s) for a scalar s; out has a's shape. For float32, s is first rounded to float.
     *
     * @param op the operation
     * @param a the left operand, floating
     * @param s the scalar right operand
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out) {
        Objects.requireNonNull(op, "op");
        Checks.sameFloating("a", a, "out", out);
        Checks.sameShape("a", a, "out", out);
        Checks.writable("out", out);
        Checks.noPartialOverlap("a", a, "out", out);
        impl(out).binaryScalar(op, a, s, out);
    }

    /**
     * out ← min(max(x, lo), hi); NaN stays NaN. Requires lo ≤ hi (neither NaN).
     *
     * @param x the input, floating
     * @param lo the lower bound; not NaN
     * @param hi the upper bound, >= lo; not NaN
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void clamp(NdArray x, double lo, double hi, NdArray out) {
        Checks.sameFloating("x", x, "out", out);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp needs lo <= hi, got lo = " + lo + " and hi = " + hi);
        }
        Checks.sameShape("x", x, "out", out);
        Checks.writable("out", out);
        Checks.noPartialOverlap("x", x, "out", out);
        impl(out).clamp(x, lo, hi, out);
    }

    /**
     * out ← condition ≠ 0 ? a : b; condition may have any dtype; all three broadcast to out's shape.
     *
     * @param condition the condition, any dtype; broadcast to out's shape
     * @param a the values where condition ≠ 0; broadcast to out's shape
     * @param b the values where condition = 0, of a's dtype; broadcast to out's shape
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void where(NdArray condition, NdArray a, NdArray b, NdArray out) {
        Checks.open("condition", condition);
        Checks.sameFloating("a", a, "b", b);
        Checks.sameFloating("a", a, "out", out);
        Shape s = out.shape();
        NdArray cv = broadcast("condition", condition, s);
        NdArray av = broadcast("a", a, s);
        NdArray bv = broadcast("b", b, s);
        Checks.writable("out", out);
        Checks.noPartialOverlap("condition", condition, "out", out);
        Checks.noPartialOverlap("a", a, "out", out);
        Checks.noPartialOverlap("b", b, "out", out);
        impl(out).where(cv, av, bv, out);
    }

    /**
     * out ← value everywhere; out may have any dtype (the value is converted as by a cast).
     *
     * @param out the view written, any dtype
     * @param value the value written
     */
    public void fill(NdArray out, double value) {
        Checks.open("out", out);
        impl(out).fill(out, value);
    }

    /**
     * out ← a + b (broadcasting).
     *
     * @param a the left operand, floating
     * @param b the right operand, of a's dtype
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void add(NdArray a, NdArray b, NdArray out) {
        binary(BinaryOp.ADD, a, b, out);
    }

    /**
     * out ← a − b (broadcasting).
     *
     * @param a the left operand, floating
     * @param b the right operand, of a's dtype
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void sub(NdArray a, NdArray b, NdArray out) {
        binary(BinaryOp.SUB, a, b, out);
    }

    /**
     * out ← a·b (broadcasting).
     *
     * @param a the left operand, floating
     * @param b the right operand, of a's dtype
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void mul(NdArray a, NdArray b, NdArray out) {
        binary(BinaryOp.MUL, a, b, out);
    }

    /**
     * out ← a / b (broadcasting).
     *
     * @param a the left operand, floating
     * @param b the right operand, of a's dtype
     * @param out the output, of the result's shape and the inputs' dtype; may be the very same view as an input
     */
    public void div(NdArray a, NdArray b, NdArray out) {
        binary(BinaryOp.DIV, a, b, out);
    }

    /**
     * a ← a op b (b broadcast to a's shape).
     *
     * @param op the operation
     * @param a the left operand, also the output
     * @param b the right operand, broadcast to a's shape
     */
    public void binaryInPlace(BinaryOp op, NdArray a, NdArray b) {
        binary(op, a, b, a);
    }

    /**
     * x ← op(x).
     *
     * @param op the operation
     * @param x the operand, also the output
     */
    public void unaryInPlace(UnaryOp op, NdArray x) {
        unary(op, x, x);
    }

    private static NdArray broadcast(String name, NdArray a, Shape target) {
        try {
            return a.broadcastTo(target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " of shape " + a.shape() + " does not broadcast to out's shape "
                    + target, e);
        }
    }
}
