package org.inertia.kernels.cpu;

import java.lang.foreign.MemorySegment;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.StridedRows;
import org.inertia.kernels.reference.ReductionReference;
import org.inertia.kernels.simd.ReductionSimd;

/**
 * Reductions and softmax of the CPU backend: validates, then picks a float32 SIMD layout or falls back
 * to {@link ReductionReference} (float64, SIMD disabled, or layouts neither SIMD path fits).
 *
 * <p>Float32 layouts: if the reduced axis has stride 1, each output element reduces one contiguous
 * row ({@code ReductionSimd.…Row}); otherwise, if the kept dimension next in line is contiguous in x
 * (e.g. a sum over axis 0 of a row-major [N, D] array), whole rows are folded into per-column
 * accumulators ({@code ReductionSimd.…Columns}); other layouts use the reference loops.
 *
 * <p>Edge cases, as in PyTorch: the sum of an empty axis is 0, its mean and variance NaN; max and
 * argmax of an empty axis throw; NaN propagates through max (argmax gives the first NaN); a variance
 * with n − correction ≤ 0 is NaN (PyTorch gives NaN or ∞; NaN is chosen so no result looks finite-ish).
 */
public final class CpuReductions {
    private CpuReductions() {
    }

    /** The walk over output positions: x's lane starts and out's elements, with the axis' length and stride. */
    private record Plan(int n, long axisStride, StridedRows rows, MemorySegment xs) {
        long xInner() {
            return rows.innerStride(0);
        }

        long outInner() {
            return rows.innerStride(1);
        }
    }

    /** Sum along axis. */
    public static void sum(NdArray x, int axis, NdArray out) {
        int a = validate(x, axis, out);
        if (x.dim(a) == 0) {
            fillOut(out, 0);
        } else if (!simdLayout(x, a, out, (p, off) -> ReductionSimd.sumRow(p.xs, off, p.n),
                (p, off, width, res) -> ReductionSimd.sumColumns(p.xs, off, p.axisStride, p.n, width, res))) {
            ReductionReference.sum(x, a, out);
        }
    }

    /** Mean along axis; NaN for an empty axis. */
    public static void mean(NdArray x, int axis, NdArray out) {
        int a = validate(x, axis, out);
        if (x.dim(a) == 0) {
            fillOut(out, Double.NaN);
        } else if (!simdLayout(x, a, out, (p, off) -> ReductionSimd.sumRow(p.xs, off, p.n) / p.n,
                (p, off, width, res) -> {
                    ReductionSimd.sumColumns(p.xs, off, p.axisStride, p.n, width, res);
                    for (int j = 0; j < width; j++) {
                        res[j] /= p.n;
                    }
                })) {
            ReductionReference.mean(x, a, out);
        }
    }

    /** Maximum along a non-empty axis; NaN if any element is NaN. */
    public static void max(NdArray x, int axis, NdArray out) {
        int a = validate(x, axis, out);
        nonEmpty("max", x, a);
        if (!simdLayout(x, a, out, (p, off) -> ReductionSimd.maxRow(p.xs, off, p.n),
                (p, off, width, res) -> {
                    float[] m = new float[width];
                    ReductionSimd.maxColumns(p.xs, off, p.axisStride, p.n, width, m);
                    for (int j = 0; j < width; j++) {
                        res[j] = m[j];
                    }
                })) {
            ReductionReference.max(x, a, out);
        }
    }

    /** Index of the first maximum (or first NaN) along a non-empty axis, into an I32 out. */
    public static void argmax(NdArray x, int axis, NdArray out) {
        Checks.floating("x", x);
        Checks.open("out", out);
        Checks.writable("out", out);
        if (out.dtype() != Dtype.I32) {
            throw new IllegalArgumentException("argmax writes indices: out must be I32, got " + out.dtype() + " "
                    + out.shape());
        }
        int a = Checks.reductionOut(x, axis, out);
        nonEmpty("argmax", x, a);
        // The column layout has no vector argmax; it falls back to the reference loops.
        if (!simdLayout(x, a, out, (p, off) -> ReductionSimd.argmaxRow(p.xs, off, p.n), null)) {
            ReductionReference.argmax(x, a, out);
        }
    }

    /** Σ(x − mean)² / (n − correction) along axis; NaN when n − correction ≤ 0. */
    public static void variance(NdArray x, int axis, int correction, NdArray out) {
        int a = validate(x, axis, out);
        int n = x.dim(a);
        long dof = (long) n - correction;
        if (dof <= 0) {
            fillOut(out, Double.NaN);
        } else if (!simdLayout(x, a, out,
                (p, off) -> ReductionSimd.sumSquaredDeviationsRow(p.xs, off, p.n) / dof,
                (p, off, width, res) -> {
                    ReductionSimd.sumSquaredDeviationsColumns(p.xs, off, p.axisStride, p.n, width, res);
                    for (int j = 0; j < width; j++) {
                        res[j] /= dof;
                    }
                })) {
            ReductionReference.variance(x, a, correction, out);
        }
    }

    /** Sum of all elements (0 for an empty array). */
    public static double sumAll(NdArray x) {
        Checks.floating("x", x);
        if (x.dtype() != Dtype.F32 || !SimdSupport.enabled()) {
            return ReductionReference.sumAll(x);
        }
        MemorySegment xs = x.segment();
        StridedRows rows = StridedRows.plan(x);
        long st = rows.innerStride(0);
        double[] total = {0};
        rows.forEach((off, n) -> {
            if (st == 1) {
                total[0] += ReductionSimd.sumRow(xs, off[0], n);
            } else {
                for (int i = 0; i < n; i++) {
                    total[0] += x.getAtOffset(off[0] + i * st);
                }
            }
        });
        return total[0];
    }

    /** Numerically stable softmax along axis; out has x's shape and may be x itself. */
    public static void softmax(NdArray x, int axis, NdArray out) {
        softmax(x, axis, out, false);
    }

    /** Numerically stable log-softmax along axis; out has x's shape and may be x itself. */
    public static void logSoftmax(NdArray x, int axis, NdArray out) {
        softmax(x, axis, out, true);
    }

    private static void softmax(NdArray x, int axis, NdArray out, boolean log) {
        Checks.sameFloating("x", x, "out", out);
        Checks.writable("out", out);
        Checks.sameShape("x", x, "out", out);
        int a = x.shape().normalizeAxis(axis);
        Checks.noPartialOverlap("x", x, "out", out);
        int n = x.dim(a);
        if (x.numel() == 0) {
            return;
        }
        boolean rowsContiguous = n == 1 || (x.stride(a) == 1 && out.stride(a) == 1);
        if (x.dtype() != Dtype.F32 || !SimdSupport.enabled() || !rowsContiguous) {
            if (log) {
                ReductionReference.logSoftmax(x, a, out);
            } else {
                ReductionReference.softmax(x, a, out);
            }
            return;
        }
        MemorySegment xs = x.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(x.select(a, 0), out.select(a, 0));
        long xi = rows.innerStride(0);
        long oi = rows.innerStride(1);
        rows.forEach((off, len) -> {
            for (int k = 0; k < len; k++) {
                ReductionSimd.softmaxRow(xs, off[0] + k * xi, os, off[1] + k * oi, n, log);
            }
        });
    }

    // ---------------------------------------------------------------- layout dispatch

    /** Reduces the n contiguous elements starting at storage offset {@code off}. */
    @FunctionalInterface
    private interface RowKernel {
        double reduce(Plan p, long off);
    }

    /** Reduces {@code width} adjacent columns whose first element is at {@code off}, into res[0, width). */
    @FunctionalInterface
    private interface ColumnKernel {
        void reduce(Plan p, long off, int width, double[] res);
    }

    /**
     * Runs a float32 SIMD layout if one fits and returns true; returns false (nothing written) when the
     * caller must use the reference. {@code columns} may be null when the op has no column kernel.
     */
    private static boolean simdLayout(NdArray x, int a, NdArray out, RowKernel row,
            ColumnKernel columns) {
        if (x.dtype() != Dtype.F32 || !SimdSupport.enabled()) {
            return false;
        }
        int n = x.dim(a);
        NdArray outV = out.rank() == x.rank() ? out.select(a, 0) : out;
        StridedRows rows = StridedRows.plan(x.select(a, 0), outV);
        Plan p = new Plan(n, x.stride(a), rows, x.segment());
        long oi = p.outInner();
        if (n == 1 || p.axisStride == 1) {
            rows.forEach((off, len) -> {
                for (int k = 0; k < len; k++) {
                    out.setAtOffset(off[1] + k * oi, row.reduce(p, off[0] + k * p.xInner()));
                }
            });
            return true;
        }
        if (columns != null && p.xInner() == 1 && rows.innerLength() > 1) {
            double[] res = new double[rows.innerLength()];
            rows.forEach((off, len) -> {
                columns.reduce(p, off[0], len, res);
                for (int k = 0; k < len; k++) {
                    out.setAtOffset(off[1] + k * oi, res[k]);
                }
            });
            return true;
        }
        return false;
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
