package org.inertia.kernels.cpu;

import java.lang.foreign.MemorySegment;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.kernels.StridedRows;
import org.inertia.kernels.UnaryOp;
import org.inertia.kernels.reference.ElementwiseReference;
import org.inertia.kernels.simd.BinaryKernels;
import org.inertia.kernels.simd.UnaryKernels;

/**
 * Elementwise ops of the CPU backend: validates, then runs float32 rows on the SIMD kernels and
 * float64 (or SIMD-disabled float32) on {@link ElementwiseReference}.
 *
 * <p>Operands are walked with {@link StridedRows}, so any views work; a row whose operands are all
 * unit-stride (or stride 0 — one broadcast value) is vectorized, other rows take a scalar loop. Each
 * row reads element i before writing it and rows are visited in one order for every operand, so out
 * may be the very same view as an input; any other overlap is rejected.
 */
public final class CpuElementwise {
    private CpuElementwise() {
    }

    /** out ← op(x). */
    public static void unary(UnaryOp op, NdArray x, NdArray out) {
        java.util.Objects.requireNonNull(op, "op");
        Checks.sameFloating("x", x, "out", out);
        Checks.sameShape("x", x, "out", out);
        Checks.writable("out", out);
        Checks.noPartialOverlap("x", x, "out", out);
        if (!simd(out)) {
            ElementwiseReference.unary(op, x, out);
            return;
        }
        MemorySegment xs = x.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(x, out);
        long xStride = rows.innerStride(0);
        long oStride = rows.innerStride(1);
        rows.forEach((off, n) -> UnaryKernels.apply(op, xs, off[0], xStride, os, off[1], oStride, n));
    }

    /** out ← op(a, b) with NumPy broadcasting; out must have the broadcast shape. */
    public static void binary(BinaryOp op, NdArray a, NdArray b, NdArray out) {
        java.util.Objects.requireNonNull(op, "op");
        Checks.sameFloating("a", a, "b", b);
        Checks.sameFloating("a", a, "out", out);
        Shape target = Shape.broadcast(a.shape(), b.shape());
        if (!out.shape().equals(target)) {
            throw new IllegalArgumentException("out has shape " + out.shape() + " but a " + a.shape() + " and b "
                    + b.shape() + " broadcast to " + target);
        }
        Checks.writable("out", out);
        Checks.noPartialOverlap("a", a, "out", out);
        Checks.noPartialOverlap("b", b, "out", out);
        NdArray av = a.broadcastTo(target);
        NdArray bv = b.broadcastTo(target);
        if (!simd(out)) {
            ElementwiseReference.binary(op, av, bv, out);
            return;
        }
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(av, bv, out);
        long aStride = rows.innerStride(0);
        long bStride = rows.innerStride(1);
        long oStride = rows.innerStride(2);
        rows.forEach((off, n) -> BinaryKernels.apply(op, as, off[0], aStride, bs, off[1], bStride, os, off[2], oStride,
                n));
    }

    /** out ← op(a, s); for float32, s is first rounded to float. */
    public static void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out) {
        java.util.Objects.requireNonNull(op, "op");
        Checks.sameFloating("a", a, "out", out);
        Checks.sameShape("a", a, "out", out);
        Checks.writable("out", out);
        Checks.noPartialOverlap("a", a, "out", out);
        if (!simd(out)) {
            ElementwiseReference.binaryScalar(op, a, s, out);
            return;
        }
        float f = (float) s;
        MemorySegment as = a.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(a, out);
        long aStride = rows.innerStride(0);
        long oStride = rows.innerStride(1);
        rows.forEach((off, n) -> BinaryKernels.applyScalarRight(op, as, off[0], aStride, f, os, off[1], oStride, n));
    }

    /** out ← min(max(x, lo), hi); NaN stays NaN. Requires lo ≤ hi (neither NaN). */
    public static void clamp(NdArray x, double lo, double hi, NdArray out) {
        Checks.sameFloating("x", x, "out", out);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp needs lo <= hi, got lo = " + lo + " and hi = " + hi);
        }
        Checks.sameShape("x", x, "out", out);
        Checks.writable("out", out);
        Checks.noPartialOverlap("x", x, "out", out);
        if (!simd(out)) {
            ElementwiseReference.clamp(x, lo, hi, out);
            return;
        }
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

    /** out ← condition ≠ 0 ? a : b; condition may have any dtype; all three broadcast to out's shape. */
    public static void where(NdArray condition, NdArray a, NdArray b, NdArray out) {
        Checks.open("condition", condition);
        Checks.sameFloating("a", a, "b", b);
        Checks.sameFloating("a", a, "out", out);
        Shape s = out.shape();
        NdArray cv = broadcast("condition", condition, s);
        NdArray av = broadcast("a", a, s);
        NdArray bv = broadcast("b", b, s);
        Checks.writable("out", out);
        Checks.noPartialOverlap("condition", condition, "out", out);
        Checks.noPartialOverlap("a", a, "out", out);
        Checks.noPartialOverlap("b", b, "out", out);
        if (!simd(out) || condition.dtype() != Dtype.F32) {
            ElementwiseReference.where(cv, av, bv, out);
            return;
        }
        MemorySegment cs = condition.segment();
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(cv, av, bv, out);
        long cStride = rows.innerStride(0);
        long aStride = rows.innerStride(1);
        long bStride = rows.innerStride(2);
        long oStride = rows.innerStride(3);
        rows.forEach((off, n) -> BinaryKernels.where(cs, off[0], cStride, as, off[1], aStride, bs, off[2], bStride,
                os, off[3], oStride, n));
    }

    /** out ← value everywhere; out may have any dtype (the value is converted as by a cast). */
    public static void fill(NdArray out, double value) {
        Checks.open("out", out);
        if (!simd(out)) {
            ElementwiseReference.fill(out, value);
            return;
        }
        float f = (float) value;
        MemorySegment os = out.segment();
        StridedRows rows = StridedRows.plan(out);
        long oStride = rows.innerStride(0);
        rows.forEach((off, n) -> BinaryKernels.fill(os, off[0], oStride, f, n));
    }

    private static boolean simd(NdArray out) {
        return out.dtype() == Dtype.F32 && SimdSupport.enabled();
    }

    private static NdArray broadcast(String name, NdArray a, Shape target) {
        try {
            return a.broadcastTo(target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " of shape " + a.shape() + " does not broadcast to out's shape "
                    + target, e);
        }
    }

}
