package org.inertia.kernels.cpu;

import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.ElementwiseSupport;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.kernels.StridedRows;
import org.inertia.kernels.UnaryOp;

/**
 * Elementwise ops in double precision over views of any dtype and layout: the oracle for the SIMD
 * kernels and the float64 path of the CPU backend. Every element is computed in double by
 * {@link UnaryOp#apply} / {@link BinaryOp#apply} and rounded once when stored. Arguments are assumed
 * validated; broadcast inputs are expanded here with {@link NdArray#broadcastTo}. Elements are visited
 * in row-major order, each read before it is written, so out may be the very same view as an input.
 */
public final class ElementwiseScalar implements ElementwiseSupport {
    /** The one instance (stateless). */
    public static final ElementwiseScalar INSTANCE = new ElementwiseScalar();

    private ElementwiseScalar() {
    }

    /** out ← op(x). */
    @Override
    public void unary(UnaryOp op, NdArray x, NdArray out) {
        forEachPair(x, out, (ox, oo) -> out.setAtOffset(oo, op.apply(x.getAtOffset(ox))));
    }

    /** out ← op(a, b), a and b broadcast to out's shape. */
    @Override
    public void binary(BinaryOp op, NdArray a, NdArray b, NdArray out) {
        NdArray av = a.broadcastTo(out.shape());
        NdArray bv = b.broadcastTo(out.shape());
        forEachTriple(av, bv, out, (oa, ob, oo) -> out.setAtOffset(oo, op.apply(av.getAtOffset(oa), bv.getAtOffset(ob))));
    }

    /** out ← op(a, s). */
    @Override
    public void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out) {
        forEachPair(a, out, (oa, oo) -> out.setAtOffset(oo, op.apply(a.getAtOffset(oa), s)));
    }

    /** out ← min(max(x, lo), hi); NaN stays NaN. */
    @Override
    public void clamp(NdArray x, double lo, double hi, NdArray out) {
        forEachPair(x, out, (ox, oo) -> out.setAtOffset(oo, Math.min(Math.max(x.getAtOffset(ox), lo), hi)));
    }

    /** out ← c ≠ 0 ? a : b, all broadcast to out's shape (a NaN condition is true). */
    @Override
    public void where(NdArray c, NdArray a, NdArray b, NdArray out) {
        Shape s = out.shape();
        NdArray cv = c.broadcastTo(s);
        NdArray av = a.broadcastTo(s);
        NdArray bv = b.broadcastTo(s);
        StridedRows rows = StridedRows.plan(cv, av, bv, out);
        long cs = rows.innerStride(0);
        long as = rows.innerStride(1);
        long bs = rows.innerStride(2);
        long os = rows.innerStride(3);
        rows.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                double v = cv.getAtOffset(off[0] + i * cs) != 0 ? av.getAtOffset(off[1] + i * as) : bv.getAtOffset(off[2] + i * bs);
                out.setAtOffset(off[3] + i * os, v);
            }
        });
    }

    /** out ← value everywhere (converted to out's dtype). */
    @Override
    public void fill(NdArray out, double value) {
        out.forEachOffset(off -> out.setAtOffset(off, value));
    }

    private interface PairAction {
        void apply(long first, long second);
    }

    private interface TripleAction {
        void apply(long first, long second, long third);
    }

    /** Calls the action with the storage offsets of each pair of corresponding elements, row-major. */
    private static void forEachPair(NdArray x, NdArray out, PairAction action) {
        StridedRows rows = StridedRows.plan(x, out);
        long xs = rows.innerStride(0);
        long os = rows.innerStride(1);
        rows.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                action.apply(off[0] + i * xs, off[1] + i * os);
            }
        });
    }

    private static void forEachTriple(NdArray a, NdArray b, NdArray out, TripleAction action) {
        StridedRows rows = StridedRows.plan(a, b, out);
        long as = rows.innerStride(0);
        long bs = rows.innerStride(1);
        long os = rows.innerStride(2);
        rows.forEach((off, n) -> {
            for (int i = 0; i < n; i++) {
                action.apply(off[0] + i * as, off[1] + i * bs, off[2] + i * os);
            }
        });
    }
}
