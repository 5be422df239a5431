package org.inertia.kernels;

import java.util.Objects;

/**
 * The reductions family's validating facade (sum, mean, max, argmax, variance, sum of all, softmax,
 * log-softmax): checks operands once, normalizes the axis (negative axes count from the end), writes the
 * empty-axis results itself, and runs the implementation a backend chose for x's dtype
 * ({@link Backend#reductions()}). out has x's shape with {@code axis} removed, or of size 1 (keep-dim).
 *
 * <p>Edge cases, as in PyTorch: the sum of an empty axis is 0, its mean and variance NaN; max and argmax
 * of an empty axis throw; NaN propagates through max (argmax gives the first NaN); a variance with
 * n − correction ≤ 0 is NaN (PyTorch gives NaN or ∞; NaN is chosen so no result looks finite-ish).
 */
public final class Reductions {
    private final ReductionsSupport float32;
    private final ReductionsSupport float64;

    /**
     * A facade over one implementation per floating dtype (a backend builds it once).
     *
     * @param float32 the implementation for float32 operands
     * @param float64 the implementation for float64 operands, also the scalar reference
     */
    public Reductions(ReductionsSupport float32, ReductionsSupport float64) {
        this.float32 = Objects.requireNonNull(float32, "float32");
        this.float64 = Objects.requireNonNull(float64, "float64");
    }

    private ReductionsSupport impl(NdArray x) {
        return x.dtype() == Dtype.F32 ? float32 : float64;
    }

    /**
     * Sum along axis (0 for an empty axis).
     *
     * @param x the input, floating
     * @param axis the reduced axis; negative counts from the end
     * @param out the output: x's shape with the axis removed or set to 1, of x's dtype
     */
    public void sum(NdArray x, int axis, NdArray out) {
        int a = validate(x, axis, out);
        if (x.dim(a) == 0) {
            fillOut(out, 0);
        } else {
            impl(x).sum(x, a, out);
        }
    }

    /**
     * Arithmetic mean along axis (NaN for an empty axis).
     *
     * @param x the input, floating
     * @param axis the reduced axis; negative counts from the end
     * @param out the output: x's shape with the axis removed or set to 1, of x's dtype
     */
    public void mean(NdArray x, int axis, NdArray out) {
        int a = validate(x, axis, out);
        if (x.dim(a) == 0) {
            fillOut(out, Double.NaN);
        } else {
            impl(x).mean(x, a, out);
        }
    }

    /**
     * Maximum along a non-empty axis; NaN if any element is NaN.
     *
     * @param x the input, floating
     * @param axis the reduced axis; negative counts from the end
     * @param out the output: x's shape with the axis removed or set to 1, of x's dtype
     */
    public void max(NdArray x, int axis, NdArray out) {
        int a = validate(x, axis, out);
        nonEmpty("max", x, a);
        impl(x).max(x, a, out);
    }

    /**
     * Index of the first maximum (or first NaN) along a non-empty axis, into an I32 out.
     *
     * @param x the input, floating
     * @param axis the reduced axis; negative counts from the end
     * @param out the I32 output: x's shape with the axis removed or set to 1
     */
    public void argmax(NdArray x, int axis, NdArray out) {
        Checks.floating("x", x);
        Checks.open("out", out);
        Checks.writable("out", out);
        if (out.dtype() != Dtype.I32) {
            throw new IllegalArgumentException("argmax writes indices: out must be I32, got " + out.dtype() + " "
                    + out.shape());
        }
        int a = Checks.reductionOut(x, axis, out);
        nonEmpty("argmax", x, a);
        impl(x).argmax(x, a, out);
    }

    /**
     * Σ(x − mean)² / (n − correction) along axis; correction 1 is PyTorch's default (unbiased); NaN when
     * n − correction ≤ 0.
     *
     * @param x the input, floating
     * @param axis the reduced axis; negative counts from the end
     * @param correction subtracted from the count in the divisor; 1 for the unbiased estimate
     * @param out the output: x's shape with the axis removed or set to 1, of x's dtype
     */
    public void variance(NdArray x, int axis, int correction, NdArray out) {
        int a = validate(x, axis, out);
        if ((long) x.dim(a) - correction <= 0) {
            fillOut(out, Double.NaN);
        } else {
            impl(x).variance(x, a, correction, out);
        }
    }

    /**
     * Sum of all elements (0 for an empty array).
     *
     * @param x the input, floating
     * @return the sum, as a double
     */
    public double sumAll(NdArray x) {
        Checks.floating("x", x);
        return impl(x).sumAll(x);
    }

    /**
     * Numerically stable softmax along axis: e^(x−max) / Σ e^(x−max); out has x's shape and may be x itself.
     *
     * @param x the input, floating
     * @param axis the axis normalized over; negative counts from the end
     * @param out the output, of x's shape and dtype; may be x itself
     */
    public void softmax(NdArray x, int axis, NdArray out) {
        int a = validateSoftmax(x, axis, out);
        if (x.numel() != 0) {
            impl(x).softmax(x, a, out);
        }
    }

    /**
     * Numerically stable log-softmax along axis: x − max − ln Σ e^(x−max); out may be x itself.
     *
     * @param x the input, floating
     * @param axis the axis normalized over; negative counts from the end
     * @param out the output, of x's shape and dtype; may be x itself
     */
    public void logSoftmax(NdArray x, int axis, NdArray out) {
        int a = validateSoftmax(x, axis, out);
        if (x.numel() != 0) {
            impl(x).logSoftmax(x, a, out);
        }
    }

    private static int validateSoftmax(NdArray x, int axis, NdArray out) {
        Checks.sameFloating("x", x, "out", out);
        Checks.writable("out", out);
        Checks.sameShape("x", x, "out", out);
        int a = x.shape().normalizeAxis(axis);
        Checks.noPartialOverlap("x", x, "out", out);
        return a;
    }

    /** Validates a float reduction whose out has x's dtype; returns the normalized axis. */
    private static int validate(NdArray x, int axis, NdArray out) {
        Checks.sameFloating("x", x, "out", out);
        Checks.writable("out", out);
        int a = Checks.reductionOut(x, axis, out);
        Checks.disjoint("x", x, "out", out);
        return a;
    }

    private static void nonEmpty(String op, NdArray x, int a) {
        if (x.dim(a) == 0) {
            throw new IllegalArgumentException(op + " of an empty axis: axis " + a + " of shape " + x.shape()
                    + " has size 0");
        }
    }

    private static void fillOut(NdArray out, double value) {
        out.forEachOffset(off -> out.setAtOffset(off, value));
    }
}
