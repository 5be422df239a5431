package org.inertia.nn.layers;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;

/** Constructor and initializer argument checks; each message names the layer and the argument. */
final class LayerArgs {
    private LayerArgs() {
    }

    static int positive(String layer, String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(layer + ": " + name + " must be >= 1, got " + v);
        }
        return v;
    }

    static Dtype floating(String layer, Dtype dtype) {
        if (dtype == null) {
            throw new NullPointerException(layer + ": dtype is null");
        }
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(layer + ": parameters must be F32 or F64, got dtype " + dtype);
        }
        return dtype;
    }

    static <T> T present(String layer, String name, T v) {
        if (v == null) {
            throw new NullPointerException(layer + ": " + name + " is null");
        }
        return v;
    }

    /** A finite value ≥ 0. */
    static double nonNegative(String where, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite and >= 0, got " + v);
        }
        return v;
    }

    static double finite(String where, String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite, got " + v);
        }
        return v;
    }

    /** An open floating array to initialize. */
    static NdArray target(String init, NdArray w) {
        if (w == null) {
            throw new NullPointerException(init + ": w is null");
        }
        if (!w.isOpen()) {
            throw new IllegalStateException(init + ": w (" + w.dtype() + " " + w.shape() + ") is closed");
        }
        if (!w.dtype().isFloating()) {
            throw new IllegalArgumentException(init + ": w must be F32 or F64, got " + w.dtype());
        }
        return w;
    }

    /** Pooling windows: PyTorch's rule that padding is at most half the kernel. */
    static void poolPadding(String layer, int kernel, int padding) {
        if (padding > kernel / 2) {
            throw new IllegalArgumentException(layer + ": padding " + padding + " must be at most half the kernel "
                    + kernel);
        }
    }
}
