package org.inertia.nn.ops;

import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;

/**
 * Argument checks that every op runs before it allocates anything, so a bad call neither leaks an output
 * buffer nor reaches a kernel whose message would name the kernel's operands instead of the op's. Each
 * message names the op and the argument: {@code "add: b is null"}, {@code "matmul: b is F64 but a is F32"},
 * {@code "conv2d: weight is on backend gpu but x is on cpu"}, {@code "tanh: x (tensor [2, 3]) is closed"}.
 */
final class Args {
    private Args() {
    }

    /** {@code t} is non-null and open. */
    static Tensor tensor(String op, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (t.isClosed() || !t.data().isOpen()) {
            throw new IllegalStateException(op + ": " + name + " (tensor " + t.shape() + ") is closed; if its "
                    + "TensorScope closed it, move it out with TensorScope.keep(tensor) before the scope ends");
        }
        return t;
    }

    /** {@code t} is non-null, open and F32 or F64. */
    static Tensor floating(String op, String name, Tensor t) {
        tensor(op, name, t);
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": " + name + " must be F32 or F64, got " + t.dtype());
        }
        return t;
    }

    /** Both floating, of one dtype, on one backend. */
    static void floating(String op, String nameA, Tensor a, String nameB, Tensor b) {
        floating(op, nameA, a);
        floating(op, nameB, b);
        same(op, nameA, a, nameB, b);
    }

    /** Same dtype and backend (the device) as {@code ref}. */
    static void same(String op, String refName, Tensor ref, String name, Tensor t) {
        if (t.dtype() != ref.dtype()) {
            throw new IllegalArgumentException(op + ": " + name + " is " + t.dtype() + " but " + refName + " is "
                    + ref.dtype());
        }
        if (t.backend() != ref.backend()) {
            throw new IllegalArgumentException(op + ": " + name + " is on backend " + t.backend().name() + " but "
                    + refName + " is on " + ref.backend().name());
        }
    }

    /** {@code a} is non-null, open, of {@code ref}'s dtype and of shape [{@code length}]. */
    static void channelArray(String op, String name, NdArray a, Tensor ref, int length) {
        if (a == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (!a.isOpen()) {
            throw new IllegalStateException(op + ": " + name + " (" + a.dtype() + " " + a.shape() + ") is closed");
        }
        if (a.dtype() != ref.dtype() || a.rank() != 1 || a.dim(0) != length) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + ref.dtype() + " [" + length + "], got "
                    + a.dtype() + " " + a.shape());
        }
    }

    /** A non-null reference argument. */
    static <T> T present(String op, String name, T v) {
        if (v == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        return v;
    }
}
