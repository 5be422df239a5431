package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.ReductionsSupport;
import org.inertia.kernels.StridedRows;
import org.inertia.kernels.cpu.ReductionsScalar;

/**
 * Reductions and softmax on float32 with the Vector API loops of {@link ReductionKernels}, falling back
 * to {@link ReductionsScalar} for layouts neither SIMD path fits. Loaded by name by
 * {@code cpu.ReductionsProvider}, only when SIMD is on.
 *
 * <p>Layouts: if the reduced axis has stride 1, each output element reduces one contiguous row
 * ({@code ReductionKernels.…Row}); otherwise, if the kept dimension next in line is contiguous in x (e.g.
 * a sum over axis 0 of a row-major [N, D] array), whole rows are folded into per-column accumulators
 * ({@code ReductionKernels.…Columns}); other layouts use the scalar loops. Softmax needs contiguous rows
 * along the axis in x and out.
 */
public final class ReductionsSimd implements ReductionsSupport {
    private static final ReductionsScalar SCALAR = ReductionsScalar.INSTANCE;

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public ReductionsSimd() {
        FloatSpecies.requireLanes();
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

    @Override
    public void sum(NdArray x, int a, NdArray out) {
        if (!layout(x, a, out, (p, off) -> ReductionKernels.sumRow(p.xs, off, p.n),
                (p, off, width, res) -> ReductionKernels.sumColumns(p.xs, off, p.axisStride, p.n, width, res))) {
            SCALAR.sum(x, a, out);
        }
    }

    @Override
    public void mean(NdArray x, int a, NdArray out) {
        if (!layout(x, a, out, (p, off) -> ReductionKernels.sumRow(p.xs, off, p.n) / p.n,
                (p, off, width, res) -> {
                    ReductionKernels.sumColumns(p.xs, off, p.axisStride, p.n, width, res);
                    for (int j = 0; j < width; j++) {
                        res[j] /= p.n;
                    }
                })) {
            SCALAR.mean(x, a, out);
        }
    }

    @Override
    public void max(NdArray x, int a, NdArray out) {
        if (!layout(x, a, out, (p, off) -> ReductionKernels.maxRow(p.xs, off, p.n),
                (p, off, width, res) -> {
                    float[] m = new float[width];
                    ReductionKernels.maxColumns(p.xs, off, p.axisStride, p.n, width, m);
                    for (int j = 0; j < width; j++) {
                        res[j] = m[j];
                    }
                })) {
            SCALAR.max(x, a, out);
        }
    }

    @Override
    public void argmax(NdArray x, int a, NdArray out) {
        // The column layout has no vector argmax; it falls back to the scalar loops.
        if (!layout(x, a, out, (p, off) -> ReductionKernels.argmaxRow(p.xs, off, p.n), null)) {
            SCALAR.argmax(x, a, out);
        }
    }

    @Override
    public void variance(NdArray x, int a, int correction, NdArray out) {
        long dof = (long) x.dim(a) - correction;
        if (!layout(x, a, out,
                (p, off) -> ReductionKernels.sumSquaredDeviationsRow(p.xs, off, p.n) / dof,
                (p, off, width, res) -> {
                    ReductionKernels.sumSquaredDeviationsColumns(p.xs, off, p.axisStride, p.n, width, res);
                    for (int j = 0; j < width; j++) {
                        res[j] /= dof;
                    }
                })) {
            SCALAR.variance(x, a, correction, out);
        }
    }

    @Override
    public double sumAll(NdArray x) {
        MemorySegment xs = x.segment();
        StridedRows rows = StridedRows.plan(x);
        long st = rows.innerStride(0);
        double[] total = {0};
        rows.forEach((off, n) -> {
            if (st == 1) {
                total[0] += ReductionKernels.sumRow(xs, off[0], n);
            } else {
                for (int i = 0; i < n; i++) {
                    total[0] += x.getAtOffset(off[0] + i * st);
                }
            }
        });
        return total[0];
    }

    @Override
    public void softmax(NdArray x, int a, NdArray out) {
        softmax(x, a, out, false);
    }

    @Override
    public void logSoftmax(NdArray x, int a, NdArray out) {
        softmax(x, a, out, true);
    }

    private static void softmax(NdArray x, int a, NdArray out, boolean log) {
        int n = x.dim(a);
        boolean rowsContiguous = n == 1 || (x.stride(a) == 1 && out.stride(a) == 1);
        if (!rowsContiguous) {
            if (log) {
                SCALAR.logSoftmax(x, a, out);
            } else {
                SCALAR.softmax(x, a, out);
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
                ReductionKernels.softmaxRow(xs, off[0] + k * xi, os, off[1] + k * oi, n, log);
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
     * Runs a SIMD layout if one fits and returns true; returns false (nothing written) when the caller must
     * use the scalar loops. {@code columns} may be null when the op has no column kernel.
     */
    private static boolean layout(NdArray x, int a, NdArray out, RowKernel row, ColumnKernel columns) {
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
}
