package org.inertia.kernels.cpu;

import org.inertia.kernels.NdArray;
import org.inertia.kernels.ReductionsSupport;
import org.inertia.kernels.StridedRows;

/**
 * Reductions and softmax along one axis in double precision, over views of any dtype and layout: the
 * oracle for the SIMD kernels and the float64 path of the CPU backend. {@code axis} is already
 * normalized and {@code out} validated (x's shape with the axis removed or kept as size 1).
 *
 * <p>Definitions: an empty axis sums to 0 and has mean NaN; max and argmax propagate NaN (argmax gives
 * the first NaN, else the first maximum); variance is the two-pass Σ(x − mean)² / (n − correction), NaN
 * when n − correction ≤ 0; softmax is e^(x−max) / Σ e^(x−max), so a row holding NaN or +∞, or only
 * −∞, becomes all NaN.
 */
public final class ReductionsScalar implements ReductionsSupport {
    /** The one instance (stateless). */
    public static final ReductionsScalar INSTANCE = new ReductionsScalar();

    private ReductionsScalar() {
    }

    /** One output value from the n elements x[off + i·stride]. */
    @FunctionalInterface
    private interface Lane {
        double reduce(NdArray x, long off, long stride, int n);
    }

    /** Σ along axis. */
    @Override
    public void sum(NdArray x, int axis, NdArray out) {
        reduce(x, axis, out, ReductionsScalar::sumLane);
    }

    /** Mean along axis; NaN for an empty axis. */
    @Override
    public void mean(NdArray x, int axis, NdArray out) {
        reduce(x, axis, out, (a, off, st, n) -> sumLane(a, off, st, n) / n);
    }

    /** Maximum along a non-empty axis; NaN if any element is NaN. */
    @Override
    public void max(NdArray x, int axis, NdArray out) {
        reduce(x, axis, out, (a, off, st, n) -> {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double v = a.getAtOffset(off + i * st);
                if (Double.isNaN(v)) {
                    return v;
                }
                m = Math.max(m, v);
            }
            return m;
        });
    }

    /** First index of the maximum along a non-empty axis (the first NaN if any) into an I32 out. */
    @Override
    public void argmax(NdArray x, int axis, NdArray out) {
        reduce(x, axis, out, (a, off, st, n) -> {
            int best = 0;
            double bestV = a.getAtOffset(off);
            if (Double.isNaN(bestV)) {
                return 0;
            }
            for (int i = 1; i < n; i++) {
                double v = a.getAtOffset(off + i * st);
                if (Double.isNaN(v)) {
                    return i;
                }
                if (v > bestV) {
                    bestV = v;
                    best = i;
                }
            }
            return best;
        });
    }

    /** Two-pass Σ(x − mean)² / (n − correction); NaN when n − correction ≤ 0. */
    @Override
    public void variance(NdArray x, int axis, int correction, NdArray out) {
        reduce(x, axis, out, (a, off, st, n) -> {
            long dof = (long) n - correction;
            if (dof <= 0) {
                return Double.NaN;
            }
            double mean = sumLane(a, off, st, n) / n;
            double m2 = 0;
            for (int i = 0; i < n; i++) {
                double d = a.getAtOffset(off + i * st) - mean;
                m2 += d * d;
            }
            return m2 / dof;
        });
    }

    /** Σ of every element. */
    @Override
    public double sumAll(NdArray x) {
        double[] s = {0};
        x.forEachOffset(off -> s[0] += x.getAtOffset(off));
        return s[0];
    }

    /** e^(x−max) / Σ e^(x−max) along axis; out has x's shape and may be x itself. */
    @Override
    public void softmax(NdArray x, int axis, NdArray out) {
        softmax(x, axis, out, false);
    }

    /** x − max − ln Σ e^(x−max) along axis; out has x's shape and may be x itself. */
    @Override
    public void logSoftmax(NdArray x, int axis, NdArray out) {
        softmax(x, axis, out, true);
    }

    private static void softmax(NdArray x, int axis, NdArray out, boolean log) {
        int n = x.dim(axis);
        if (n == 0 || x.numel() == 0) {
            return;
        }
        long xs = x.stride(axis);
        long os = out.stride(axis);
        pairs(x.select(axis, 0), out.select(axis, 0), (xo, oo) -> {
            double m = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int i = 0; i < n; i++) {
                double v = x.getAtOffset(xo + i * xs);
                nan |= Double.isNaN(v);
                m = Math.max(m, v);
            }
            if (nan) {
                m = Double.NaN;
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.exp(x.getAtOffset(xo + i * xs) - m);
            }
            double lse = Math.log(s);
            for (int i = 0; i < n; i++) {
                double d = x.getAtOffset(xo + i * xs) - m;
                out.setAtOffset(oo + i * os, log ? d - lse : Math.exp(d) / s);
            }
        });
    }

    private static double sumLane(NdArray a, long off, long st, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a.getAtOffset(off + i * st);
        }
        return s;
    }

    /** out[position] ← lane(x along axis at that position), for every position of out. */
    private static void reduce(NdArray x, int axis, NdArray out, Lane lane) {
        int n = x.dim(axis);
        long st = x.stride(axis);
        NdArray outV = out.rank() == x.rank() ? out.select(axis, 0) : out;
        if (n == 0) {
            outV.forEachOffset(o -> out.setAtOffset(o, lane.reduce(x, x.offset(), 0, 0)));
            return;
        }
        pairs(x.select(axis, 0), outV, (xo, oo) -> out.setAtOffset(oo, lane.reduce(x, xo, st, n)));
    }

    private interface PairAction {
        void apply(long first, long second);
    }

    /** Storage offsets of corresponding elements of two same-shaped views, in row-major order. */
    private static void pairs(NdArray a, NdArray b, PairAction action) {
        StridedRows rows = StridedRows.plan(a, b);
        long as = rows.innerStride(0);
        long bs = rows.innerStride(1);
        rows.forEach((off, len) -> {
            for (int k = 0; k < len; k++) {
                action.apply(off[0] + k * as, off[1] + k * bs);
            }
        });
    }
}
