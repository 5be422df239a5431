package org.inertia.kernels.cpu;

import org.inertia.kernels.GradClipSupport;
import org.inertia.kernels.NdArray;

/**
 * The gradient-clipping building blocks as plain per-element loops in double precision over contiguous
 * arrays of any dtype: the oracle for the SIMD kernels and the float64 path of the CPU backend.
 */
public final class GradClipScalar implements GradClipSupport {
    /** The one instance (stateless). */
    public static final GradClipScalar INSTANCE = new GradClipScalar();

    private GradClipScalar() {
    }

    private static double get(NdArray a, long i) {
        return a.getAtOffset(a.offset() + i);
    }

    private static void set(NdArray a, long i, double v) {
        a.setAtOffset(a.offset() + i, v);
    }

    /** Σ g_i² in double. */
    @Override
    public double sumOfSquares(NdArray g) {
        double s = 0;
        for (long i = 0; i < g.numel(); i++) {
            double x = get(g, i);
            s += x * x;
        }
        return s;
    }

    /** g ← factor·g. */
    @Override
    public void scale(NdArray g, double factor) {
        for (long i = 0; i < g.numel(); i++) {
            set(g, i, factor * get(g, i));
        }
    }

    /** g ← clamp(g, −c, c); NaN stays NaN. */
    @Override
    public void clampValue(NdArray g, double c) {
        for (long i = 0; i < g.numel(); i++) {
            double x = get(g, i);
            set(g, i, Double.isNaN(x) ? x : Math.min(Math.max(x, -c), c));
        }
    }
}
