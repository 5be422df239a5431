package org.inertia.kernels;

/**
 * Inertia's one validator: the argument checks of every module (kernels, optim, nn; app's command-line
 * options aside, which picocli reports). Each failure names the argument and the offending value or shape:
 * {@link NullPointerException} for a missing argument, {@link IllegalStateException} for a closed one,
 * {@link IllegalArgumentException} for a bad value.
 *
 * <p>Most checks come in two forms. The short one names the argument only ({@code "lr must be finite and
 * > 0, got -1.0"}); the one with {@code where} first prefixes the op, layer or method that refused it
 * ({@code "Linear: in must be >= 1, got 0"}). Messages are built only on failure, so the checks cost a
 * comparison on the hot paths that run them (every op of nn runs its checks before it allocates).
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Throws unless {@code a} is open and has a floating dtype.
     *
     * @param name the argument's name, as the message names it
     * @param a the array checked
     */
    public static void floating(String name, NdArray a) {
        open(name, a);
        if (!a.dtype().isFloating()) {
            throw new IllegalArgumentException(name + " must be F32 or F64, got " + a.dtype());
        }
    }

    /**
     * Throws {@link IllegalStateException} if {@code a}'s storage is closed.
     *
     * @param name the argument's name, as the message names it
     * @param a the array checked
     */
    public static void open(String name, NdArray a) {
        if (a == null) {
            throw new NullPointerException(name + " is null");
        }
        if (!a.isOpen()) {
            throw new IllegalStateException(name + " (" + a.dtype() + " " + a.shape() + ") is closed");
        }
    }

    /**
     * Throws unless both arrays are floating and share one dtype.
     *
     * @param nameA the first argument's name, as the message names it
     * @param a the first array
     * @param nameB the second argument's name, as the message names it
     * @param b the second array
     */
    public static void sameFloating(String nameA, NdArray a, String nameB, NdArray b) {
        floating(nameA, a);
        floating(nameB, b);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(nameA + " is " + a.dtype() + " but " + nameB + " is " + b.dtype());
        }
    }

    /**
     * Throws unless {@code a} has rank {@code rank}.
     *
     * @param name the argument's name, as the message names it
     * @param a the array checked
     * @param rank the required rank
     */
    public static void rank(String name, NdArray a, int rank) {
        if (a.rank() != rank) {
            throw new IllegalArgumentException(name + " must have rank " + rank + ", got shape " + a.shape());
        }
    }

    /**
     * Throws unless both arrays have the same shape.
     *
     * @param nameA the first argument's name, as the message names it
     * @param a the first array
     * @param nameB the second argument's name, as the message names it
     * @param b the second array
     */
    public static void sameShape(String nameA, NdArray a, String nameB, NdArray b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(nameA + " has shape " + a.shape() + " but " + nameB + " has shape "
                    + b.shape());
        }
    }

    /**
     * Throws unless x and y are rank-1 of equal length and the same floating dtype.
     *
     * @param x the vector named x in the message
     * @param y the vector named y in the message
     */
    public static void vectors(NdArray x, NdArray y) {
        sameFloating("x", x, "y", y);
        rank("x", x, 1);
        rank("y", y, 1);
        sameShape("x", x, "y", y);
    }

    /**
     * Checks a reduction's output shape: x's shape with {@code axis} removed or set to 1. Returns the
     * normalized axis.
     *
     * @param x the array reduced
     * @param axis the reduced axis; negative counts from the end
     * @param out the reduction's output
     * @return the normalized axis, in [0, x.rank())
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
     *
     * @param name the argument's name, as the message names it
     * @param out the output view checked
     */
    public static void writable(String name, NdArray out) {
        for (int i = 0; i < out.rank(); i++) {
            if (out.dim(i) > 1 && out.stride(i) == 0) {
                throw new IllegalArgumentException(name + " of shape " + out.shape() + " has stride 0 along axis " + i
                        + " (a broadcast view); it cannot be written");
            }
        }
    }

    /**
     * Throws unless two views address disjoint storage elements (or are the identical view).
     *
     * @param nameA the first argument's name, as the message names it
     * @param a the first array
     * @param nameB the second argument's name, as the message names it
     * @param b the second array
     */
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

    /**
     * Throws unless the two views address disjoint storage ranges (identical views included).
     *
     * @param nameA the first argument's name, as the message names it
     * @param a the first array
     * @param nameB the second argument's name, as the message names it
     * @param b the second array
     */
    public static void disjoint(String nameA, NdArray a, String nameB, NdArray b) {
        if (a.storage() != b.storage() || a.numel() == 0 || b.numel() == 0) {
            return;
        }
        if (span(a)[0] <= span(b)[1] && span(b)[0] <= span(a)[1]) {
            throw new IllegalArgumentException(nameA + " " + a.shape() + " and " + nameB + " " + b.shape()
                    + " share memory; the output must not alias an input here");
        }
    }

    // ------------------------------------------------------------------ references, dtypes, devices

    /**
     * Throws {@link NullPointerException} {@code "where: name is null"} if {@code v} is null; returns {@code v}.
     *
     * @param <T> the argument's type
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param v the argument checked for null
     * @return {@code v}, for use in an expression
     */
    public static <T> T present(String where, String name, T v) {
        if (v == null) {
            throw new NullPointerException(at(where, name) + " is null");
        }
        return v;
    }

    /**
     * Throws unless {@code dtype} is non-null and F32 or F64 ({@code "where: name must be F32 or F64, got I32"}).
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param dtype the dtype checked
     * @return {@code dtype}, for use in an expression
     */
    public static Dtype floating(String where, String name, Dtype dtype) {
        present(where, name, dtype);
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(at(where, name) + " must be F32 or F64, got " + dtype);
        }
        return dtype;
    }

    /**
     * The dtype a constructor makes its parameters in: non-null and floating
     * ({@code "Linear: parameters must be F32 or F64, got dtype I32"}).
     *
     * @param where the op, layer or method the message names first
     * @param dtype the dtype requested for the parameters
     * @return {@code dtype}
     */
    public static Dtype parameterDtype(String where, Dtype dtype) {
        present(where, "dtype", dtype);
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(at(where, "parameters") + " must be F32 or F64, got dtype " + dtype);
        }
        return dtype;
    }

    /**
     * Throws unless {@code dtype} is {@code ref}'s ({@code "where: name is F64 but refName is F32"}).
     *
     * @param where the op, layer or method the message names first
     * @param refName the reference argument's name
     * @param ref the dtype required
     * @param name the argument's name, as the message names it
     * @param dtype the dtype checked
     */
    public static void sameDtype(String where, String refName, Dtype ref, String name, Dtype dtype) {
        if (dtype != ref) {
            throw new IllegalArgumentException(at(where, name) + " is " + dtype + " but " + refName + " is " + ref);
        }
    }

    /**
     * Throws unless both operands live on one backend, the device
     * ({@code "where: name is on backend gpu but refName is on cpu"}).
     *
     * @param where the op, layer or method the message names first
     * @param refName the reference operand's name
     * @param ref the backend required
     * @param name the argument's name, as the message names it
     * @param backend the backend checked
     */
    public static void sameBackend(String where, String refName, Backend ref, String name, Backend backend) {
        if (backend != ref) {
            throw new IllegalArgumentException(at(where, name) + " is on backend " + backend.name() + " but "
                    + refName + " is on " + ref.name());
        }
    }

    /**
     * Throws unless {@code a} is non-null, open and F32 or F64, with {@code where} in the message
     * ({@code "uniform: w (F32 [2]) is closed"}); returns {@code a}.
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param a the array checked
     * @return {@code a}, for use in an expression
     */
    public static NdArray floating(String where, String name, NdArray a) {
        present(where, name, a);
        if (!a.isOpen()) {
            throw new IllegalStateException(at(where, name) + " (" + a.dtype() + " " + a.shape() + ") is closed");
        }
        floating(where, name, a.dtype());
        return a;
    }

    /**
     * Throws unless {@code a} is non-null, open, of {@code dtype} and of shape [{@code length}]
     * ({@code "batch_norm: runningVar must be F32 [3], got F32 [2]"}); returns {@code a}.
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param a the array checked
     * @param dtype the dtype required
     * @param length the length required
     * @return {@code a}, for use in an expression
     */
    public static NdArray vector(String where, String name, NdArray a, Dtype dtype, int length) {
        present(where, name, a);
        if (!a.isOpen()) {
            throw new IllegalStateException(at(where, name) + " (" + a.dtype() + " " + a.shape() + ") is closed");
        }
        if (a.dtype() != dtype || a.rank() != 1 || a.dim(0) != length) {
            throw new IllegalArgumentException(at(where, name) + " must be " + dtype + " [" + length + "], got "
                    + a.dtype() + " " + a.shape());
        }
        return a;
    }

    // ------------------------------------------------------------------ numbers (hyperparameters, sizes)

    /**
     * Throws unless {@code v} is finite ({@code "name must be finite, got NaN"}).
     *
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double finite(String name, double v) {
        return finite(null, name, v);
    }

    /**
     * {@link #finite(String, double)} with {@code "where: "} first.
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double finite(String where, String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(at(where, name) + " must be finite, got " + v);
        }
        return v;
    }

    /**
     * Throws unless {@code v} is finite and ≥ 0 ({@code "name must be finite and >= 0, got -1.0"}).
     *
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double nonNegative(String name, double v) {
        return nonNegative(null, name, v);
    }

    /**
     * {@link #nonNegative(String, double)} with {@code "where: "} first.
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double nonNegative(String where, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(at(where, name) + " must be finite and >= 0, got " + v);
        }
        return v;
    }

    /**
     * Throws unless {@code v} is finite and > 0 ({@code "name must be finite and > 0, got 0.0"}).
     *
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double positive(String name, double v) {
        return positive(null, name, v);
    }

    /**
     * {@link #positive(String, double)} with {@code "where: "} first.
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double positive(String where, String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(at(where, name) + " must be finite and > 0, got " + v);
        }
        return v;
    }

    /**
     * Throws unless 0 ≤ {@code v} &lt; 1, a momentum or averaging coefficient
     * ({@code "name must be in [0, 1), got 1.0"}).
     *
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double unit(String name, double v) {
        return unit(null, name, v);
    }

    /**
     * {@link #unit(String, double)} with {@code "where: "} first.
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double unit(String where, String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(at(where, name) + " must be in [0, 1), got " + v);
        }
        return v;
    }

    /**
     * Throws unless 0 ≤ {@code v} ≤ 1 ({@code "name must be in [0, 1], got NaN"}).
     *
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double closedUnit(String name, double v) {
        return closedUnit(null, name, v);
    }

    /**
     * {@link #closedUnit(String, double)} with {@code "where: "} first.
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @return {@code v}, for use in an expression
     */
    public static double closedUnit(String where, String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(at(where, name) + " must be in [0, 1], got " + v);
        }
        return v;
    }

    /**
     * Throws unless {@code v} ≥ {@code min} ({@code "name must be >= 1, got 0"}).
     *
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @param min the smallest value allowed
     * @return {@code v}, for use in an expression
     */
    public static long atLeast(String name, long v, long min) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
        }
        return v;
    }

    /**
     * Throws unless {@code v} ≥ {@code min}, with {@code "where: "} first
     * ({@code "Linear: in must be >= 1, got 0"}).
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @param min the smallest value allowed
     * @return {@code v}, for use in an expression
     */
    public static int atLeast(String where, String name, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException(at(where, name) + " must be >= " + min + ", got " + v);
        }
        return v;
    }

    /**
     * Throws unless {@code v} ≤ {@code of}/2, rounded down
     * ({@code "MaxPool2d: padding 3 must be at most half the kernel 2"}).
     *
     * @param where the op, layer or method the message names first
     * @param name the argument's name, as the message names it
     * @param v the value checked
     * @param ofName the name of the bounding value, as the message names it
     * @param of the value whose half (rounded down) bounds {@code v}
     * @return {@code v}, for use in an expression
     */
    public static int atMostHalf(String where, String name, int v, String ofName, int of) {
        if (v > of / 2) {
            throw new IllegalArgumentException(at(where, name) + " " + v + " must be at most half the " + ofName + " "
                    + of);
        }
        return v;
    }

    /** {@code "where: name"}, or {@code name} alone where {@code where} is null. */
    private static String at(String where, String name) {
        return where == null ? name : where + ": " + name;
    }

    private static long[] span(NdArray a) {
        long last = a.offset();
        for (int i = 0; i < a.rank(); i++) {
            last += (a.dim(i) - 1L) * a.stride(i);
        }
        return new long[] {a.offset(), last};
    }
}
