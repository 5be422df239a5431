package org.inertia.kernels.reference;

import org.inertia.kernels.NdArray;

/**
 * The gradient-clipping building blocks as plain per-element loops in double precision over contiguous
 * arrays of any dtype: the oracle for the SIMD kernels and the float64 path of the CPU backend.
 */
public final class GradClipReference {
    private GradClipReference() {
    }

    private static double get(NdArray a, long i) {
        return a.getAtOffset(a.offset() + i);
    }

    private static void set(NdArray a, long i, double v) {
        a.setAtOffset(a.offset() + i, v);
    }

    /** Σ g_i² in double. */
    public static double sumOfSquares(NdArray g) {
        double s = 0;
        for (long i = 0; i < g.numel(); i++) {
            double x = get(g, i);
            s += x * x;
        }
        return s;
    }

    /** g ← factor·g. */
    public static void scale(NdArray g, double factor) {
        for (long i = 0; i < g.numel(); i++) {
            set(g, i, factor * get(g, i));
        }
    }

    /** g ← clamp(g, −c, c); NaN stays NaN. */
    public static void clampValue(NdArray g, double c) {
        for (long i = 0; i < g.numel(); i++) {
            double x = get(g, i);
            set(g, i, Double.isNaN(x) ? x : Math.min(Math.max(x, -c), c));
        }
    }
}
