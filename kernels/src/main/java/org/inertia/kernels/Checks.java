package org.inertia.kernels;

/** Argument checks shared by backends; each message names the argument and the offending value or shape. */
public final class Checks {
    private Checks() {
    }

    /** Throws unless {@code a} is open and has a floating dtype. */
    public static void floating(String name, NdArray a) {
        open(name, a);
        if (!a.dtype().isFloating()) {
            throw new IllegalArgumentException(name + " must be F32 or F64, got " + a.dtype());
        }
    }

    /** Throws {@link IllegalStateException} if {@code a}'s storage is closed. */
    public static void open(String name, NdArray a) {
        if (a == null) {
            throw new NullPointerException(name + " is null");
        }
        if (!a.isOpen()) {
            throw new IllegalStateException(name + " (" + a.dtype() + " " + a.shape() + ") is closed");
        }
    }

    /** Throws unless both arrays are floating and share one dtype. */
    public static void sameFloating(String nameA, NdArray a, String nameB, NdArray b) {
        floating(nameA, a);
        floating(nameB, b);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(nameA + " is " + a.dtype() + " but " + nameB + " is " + b.dtype());
        }
    }

    /** Throws unless {@code a} has rank {@code rank}. */
    public static void rank(String name, NdArray a, int rank) {
        if (a.rank() != rank) {
            throw new IllegalArgumentException(name + " must have rank " + rank + ", got shape " + a.shape());
        }
    }

    /** Throws unless both arrays have the same shape. */
    public static void sameShape(String nameA, NdArray a, String nameB, NdArray b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(nameA + " has shape " + a.shape() + " but " + nameB + " has shape "
                    + b.shape());
        }
    }

    /** Throws unless x and y are rank-1 of equal length and the same floating dtype. */
    public static void vectors(NdArray x, NdArray y) {
        sameFloating("x", x, "y", y);
        rank("x", x, 1);
        rank("y", y, 1);
        sameShape("x", x, "y", y);
    }

    /**
     * Checks a reduction's output shape: x's shape with {@code axis} removed or set to 1. Returns the
     * normalized axis.
     */
    public static int reductionOut(NdArray x, int axis, NdArray out) {
        int a = x.shape().normalizeAxis(axis);
        Shape dropped = x.shape().without(a);
        Shape kept = x.shape().with(a, 1);
        if (!out.shape().equals(dropped) && !out.shape().equals(kept)) {
            throw new IllegalArgumentException("out has shape " + out.shape() + " but reducing " + x.shape()
                    + " along axis " + axis + " needs " + dropped + " or " + kept);
        }
        return a;
    }

    /**
     * Throws unless {@code out} can be written element by element: a stride 0 along a dimension of size
     * > 1 (a broadcast view) would make several elements one storage cell.
     */
    public static void writable(String name, NdArray out) {
        for (int i = 0; i < out.rank(); i++) {
            if (out.dim(i) > 1 && out.stride(i) == 0) {
                throw new IllegalArgumentException(name + " of shape " + out.shape() + " has stride 0 along axis " + i
                        + " (a broadcast view); it cannot be written");
            }
        }
    }

    /** Throws unless two views address disjoint storage elements (or are the identical view). */
    public static void noPartialOverlap(String nameA, NdArray a, String nameB, NdArray b) {
        if (a.storage() != b.storage() || a.numel() == 0 || b.numel() == 0) {
            return;
        }
        if (a.offset() == b.offset() && a.shape().equals(b.shape())
                && java.util.Arrays.equals(a.strides(), b.strides())) {
            return;
        }
        if (span(a)[0] <= span(b)[1] && span(b)[0] <= span(a)[1]) {
            throw new IllegalArgumentException(nameA + " " + a.shape() + " and " + nameB + " " + b.shape()
                    + " overlap in memory");
        }
    }

    /** Throws unless the two views address disjoint storage ranges (identical views included). */
    public static void disjoint(String nameA, NdArray a, String nameB, NdArray b) {
        if (a.storage() != b.storage() || a.numel() == 0 || b.numel() == 0) {
            return;
        }
        if (span(a)[0] <= span(b)[1] && span(b)[0] <= span(a)[1]) {
            throw new IllegalArgumentException(nameA + " " + a.shape() + " and " + nameB + " " + b.shape()
                    + " share memory; the output must not alias an input here");
        }
    }

    private static long[] span(NdArray a) {
        long last = a.offset();
        for (int i = 0; i < a.rank(); i++) {
            last += (a.dim(i) - 1L) * a.stride(i);
        }
        return new long[] {a.offset(), last};
    }
}
