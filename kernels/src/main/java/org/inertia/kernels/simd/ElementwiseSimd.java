package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.ElementwiseSupport;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.StridedRows;
import org.inertia.kernels.UnaryOp;
import org.inertia.kernels.cpu.ElementwiseScalar;

/**
 * Elementwise ops on float32 with the Vector API rows of {@link UnaryKernels} and {@link BinaryKernels}.
 * Loaded by name by {@code cpu.ElementwiseProvider}, only when SIMD is on.
 *
 * <p>Operands are walked with {@link StridedRows}, so any views work; a row whose operands are all
 * unit-stride (or stride 0 — one broadcast value) is vectorized, other rows take a scalar loop. Each row
 * reads element i before writing it and rows are visited in one order for every operand, so out may be
 * the very same view as an input. A {@code where} whose condition is not float32 runs
 * {@link ElementwiseScalar}.
 */
public final class ElementwiseSimd implements ElementwiseSupport {

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public ElementwiseSimd() {
        FloatSpecies.requireLanes();
    }

    @Override
    public void unary(UnaryOp op, NdArray x, NdArray out) {
        MemorySegment xs = x.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(x, out);
        long xStride = rows.innerStride(0);
        long oStride = rows.innerStride(1);
        rows.forEach((off, n) -> UnaryKernels.apply(op, xs, off[0], xStride, os, off[1], oStride, n));
    }

    @Override
    public void binary(BinaryOp op, NdArray a, NdArray b, NdArray out) {
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(a, b, out);
        long aStride = rows.innerStride(0);
        long bStride = rows.innerStride(1);
        long oStride = rows.innerStride(2);
        rows.forEach((off, n) -> BinaryKernels.apply(op, as, off[0], aStride, bs, off[1], bStride, os, off[2], oStride,
                n));
    }

    @Override
    public void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out) {
        float f = (float) s;
        MemorySegment as = a.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(a, out);
        long aStride = rows.innerStride(0);
        long oStride = rows.innerStride(1);
        rows.forEach((off, n) -> BinaryKernels.applyScalarRight(op, as, off[0], aStride, f, os, off[1], oStride, n));
    }

    @Override
    public void clamp(NdArray x, double lo, double hi, NdArray out) {
        // Rounding is monotone, so (float) lo ≤ (float) hi and clamping to the rounded bounds equals
        // rounding the double clamp.
        float flo = (float) lo;
        float fhi = (float) hi;
        MemorySegment xs = x.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(x, out);
        long xStride = rows.innerStride(0);
        long oStride = rows.innerStride(1);
        rows.forEach((off, n) -> BinaryKernels.clamp(xs, off[0], xStride, flo, fhi, os, off[1], oStride, n));
    }

    @Override
    public void where(NdArray condition, NdArray a, NdArray b, NdArray out) {
        if (condition.dtype() != Dtype.F32) {
            ElementwiseScalar.INSTANCE.where(condition, a, b, out);
            return;
        }
        MemorySegment cs = condition.segment();
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(condition, a, b, out);
        long cStride = rows.innerStride(0);
        long aStride = rows.innerStride(1);
        long bStride = rows.innerStride(2);
        long oStride = rows.innerStride(3);
        rows.forEach((off, n) -> BinaryKernels.where(cs, off[0], cStride, as, off[1], aStride, bs, off[2], bStride,
                os, off[3], oStride, n));
    }

    @Override
    public void fill(NdArray out, double value) {
        float f = (float) value;
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(out);
        long oStride = rows.innerStride(0);
        rows.forEach((off, n) -> BinaryKernels.fill(os, off[0], oStride, f, n));
    }
}
