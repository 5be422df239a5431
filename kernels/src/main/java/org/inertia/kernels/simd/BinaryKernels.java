package org.inertia.kernels.simd;

import static jdk.incubator.vector.VectorOperators.NE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.inertia.kernels.BinaryOp;

/**
 * Float32 binary elementwise kernels over one row: {@code out[i] ← op(a[i], b[i])}, where either input
 * may instead be one scalar repeated along the row (a stride-0 broadcast). Also clamp, where and fill.
 *
 * <p>As in {@link UnaryKernels}, every op owns its loop so that the vector operator is a constant C2 can
 * intrinsify. ADD…DIV, MAX and MIN are exact IEEE float operations (MAX/MIN with {@link Math#max}
 * semantics: NaN if either is NaN, −0 &lt; +0). POW has no vector loop: the Vector API's POW lanes round
 * differently in the interpreter and after C2 compilation (see {@link FloatMath}), so every element takes
 * the scalar loop, {@code (float) Math.pow(a, b)}, and its bits do not depend on JIT state. Non-unit
 * strides and tails use that scalar loop rounding {@link BinaryOp#apply} to float, which equals the
 * float operation for ADD…DIV, MAX and MIN (double rounding is innocuous there).
 */
public final class BinaryKernels {
    private static final VectorSpecies<Float> F = FloatSpecies.F;
    private static final int L = FloatSpecies.LANES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private BinaryKernels() {
    }

    /**
     * out[oOff + i·os] ← op(a[aOff + i·as], b[bOff + i·bs]) for i in [0, n); offsets and strides in
     * elements. A stride of 0 means the operand is one value repeated along the row.
     *
     * @param op the operation
     * @param a the left operand's memory, float32
     * @param aOff element offset of a's first element
     * @param as a's element stride; 0 repeats one value
     * @param b the right operand's memory, float32
     * @param bOff element offset of b's first element
     * @param bs b's element stride; 0 repeats one value
     * @param out the output's memory, float32
     * @param oOff element offset of out's first element
     * @param os out's element stride
     * @param n the number of elements; >= 0
     */
    public static void apply(BinaryOp op, MemorySegment a, long aOff, long as, MemorySegment b, long bOff, long bs,
            MemorySegment out, long oOff, long os, int n) {
        if (n <= 0) {
            return;
        }
        if (os == 1 && as == 1 && bs == 1) {
            int done = vv(op, a, aOff, b, bOff, out, oOff, n);
            scalar(op, a, aOff, 1, b, bOff, 1, out, oOff, 1, done, n);
        } else if (os == 1 && as == 1 && bs == 0) {
            applyScalarRight(op, a, aOff, 1, b.getAtIndex(FL, bOff), out, oOff, 1, n);
        } else if (os == 1 && as == 0 && bs == 1) {
            applyScalarLeft(op, a.getAtIndex(FL, aOff), b, bOff, out, oOff, n);
        } else {
            scalar(op, a, aOff, as, b, bOff, bs, out, oOff, os, 0, n);
        }
    }

    /**
     * out[oOff + i·os] ← op(a[aOff + i·as], s) for i in [0, n).
     *
     * @param op the operation
     * @param a the left operand's memory, float32
     * @param aOff element offset of a's first element
     * @param as a's element stride; 0 repeats one value
     * @param s the scalar right operand
     * @param out the output's memory, float32
     * @param oOff element offset of out's first element
     * @param os out's element stride
     * @param n the number of elements; >= 0
     */
    public static void applyScalarRight(BinaryOp op, MemorySegment a, long aOff, long as, float s, MemorySegment out,
            long oOff, long os, int n) {
        int done = 0;
        if (as == 1 && os == 1) {
            done = switch (op) {
                case ADD -> vsAdd(a, aOff, s, out, oOff, n);
                case SUB -> vsSub(a, aOff, s, out, oOff, n);
                case MUL -> vsMul(a, aOff, s, out, oOff, n);
                case DIV -> vsDiv(a, aOff, s, out, oOff, n);
                case POW -> 0; // scalar only, see the class description
                case MAX -> vsMax(a, aOff, s, out, oOff, n);
                case MIN -> vsMin(a, aOff, s, out, oOff, n);
            };
        }
        for (int i = done; i < n; i++) {
            out.setAtIndex(FL, oOff + i * os, (float) op.apply(a.getAtIndex(FL, aOff + i * as), s));
        }
    }

    /** out[oOff + i] ← op(s, b[bOff + i]) for i in [0, n): a scalar on the left of a unit-stride row. */
    private static void applyScalarLeft(BinaryOp op, float s, MemorySegment b, long bOff, MemorySegment out, long oOff,
            int n) {
        int done = switch (op) {
            // ADD, MUL, MAX and MIN commute exactly (IEEE), so they reuse the scalar-right loops.
            case ADD -> vsAdd(b, bOff, s, out, oOff, n);
            case MUL -> vsMul(b, bOff, s, out, oOff, n);
            case MAX -> vsMax(b, bOff, s, out, oOff, n);
            case MIN -> vsMin(b, bOff, s, out, oOff, n);
            case SUB -> svSub(s, b, bOff, out, oOff, n);
            case DIV -> svDiv(s, b, bOff, out, oOff, n);
            case POW -> 0;
        };
        for (int i = done; i < n; i++) {
            out.setAtIndex(FL, oOff + i, (float) op.apply(s, b.getAtIndex(FL, bOff + i)));
        }
    }

    private static int vv(BinaryOp op, MemorySegment a, long aOff, MemorySegment b, long bOff, MemorySegment out,
            long oOff, int n) {
        return switch (op) {
            case ADD -> vvAdd(a, aOff, b, bOff, out, oOff, n);
            case SUB -> vvSub(a, aOff, b, bOff, out, oOff, n);
            case MUL -> vvMul(a, aOff, b, bOff, out, oOff, n);
            case DIV -> vvDiv(a, aOff, b, bOff, out, oOff, n);
            case POW -> 0;
            case MAX -> vvMax(a, aOff, b, bOff, out, oOff, n);
            case MIN -> vvMin(a, aOff, b, bOff, out, oOff, n);
        };
    }

    private static void scalar(BinaryOp op, MemorySegment a, long aOff, long as, MemorySegment b, long bOff, long bs,
            MemorySegment out, long oOff, long os, int from, int n) {
        for (int i = from; i < n; i++) {
            float x = a.getAtIndex(FL, aOff + i * as);
            float y = b.getAtIndex(FL, bOff + i * bs);
            out.setAtIndex(FL, oOff + i * os, (float) op.apply(x, y));
        }
    }

    /**
     * out ← min(max(x, lo), hi) along a row; a NaN x stays NaN (MAX/MIN propagate it). Requires lo ≤ hi.
     *
     * @param x the input's memory, float32
     * @param xOff element offset of x's first element
     * @param xs x's element stride; 0 repeats one value
     * @param lo the lower bound; not NaN
     * @param hi the upper bound, >= lo; not NaN
     * @param out the output's memory, float32
     * @param oOff element offset of out's first element
     * @param os out's element stride
     * @param n the number of elements; >= 0
     */
    public static void clamp(MemorySegment x, long xOff, long xs, float lo, float hi, MemorySegment out, long oOff,
            long os, int n) {
        int done = 0;
        if (xs == 1 && os == 1) {
            FloatVector vlo = FloatVector.broadcast(F, lo);
            FloatVector vhi = FloatVector.broadcast(F, hi);
            done = F.loopBound(n);
            for (int i = 0; i < done; i += L) {
                store(load(x, xOff + i).max(vlo).min(vhi), out, oOff + i);
            }
        }
        for (int i = done; i < n; i++) {
            out.setAtIndex(FL, oOff + i * os, Math.min(Math.max(x.getAtIndex(FL, xOff + i * xs), lo), hi));
        }
    }

    /**
     * out ← c ≠ 0 ? a : b along a row of float32 operands (a NaN condition counts as true, since NaN ≠ 0).
     *
     * @param c the condition's memory, float32
     * @param cOff element offset of the condition's first element
     * @param cs the condition's element stride; 0 repeats one value
     * @param a the values taken where c ≠ 0
     * @param aOff element offset of a's first element
     * @param as a's element stride; 0 repeats one value
     * @param b the values taken where c = 0
     * @param bOff element offset of b's first element
     * @param bs b's element stride; 0 repeats one value
     * @param out the output's memory, float32
     * @param oOff element offset of out's first element
     * @param os out's element stride
     * @param n the number of elements; >= 0
     */
    public static void where(MemorySegment c, long cOff, long cs, MemorySegment a, long aOff, long as,
            MemorySegment b, long bOff, long bs, MemorySegment out, long oOff, long os, int n) {
        int done = 0;
        if (cs == 1 && as == 1 && bs == 1 && os == 1) {
            done = F.loopBound(n);
            for (int i = 0; i < done; i += L) {
                FloatVector vc = load(c, cOff + i);
                store(load(b, bOff + i).blend(load(a, aOff + i), vc.compare(NE, 0f)), out, oOff + i);
            }
        }
        for (int i = done; i < n; i++) {
            float v = c.getAtIndex(FL, cOff + i * cs) != 0f ? a.getAtIndex(FL, aOff + i * as)
                    : b.getAtIndex(FL, bOff + i * bs);
            out.setAtIndex(FL, oOff + i * os, v);
        }
    }

    /**
     * out[oOff + i·os] ← value for i in [0, n).
     *
     * @param out the output's memory, float32
     * @param oOff element offset of out's first element
     * @param os out's element stride
     * @param value the value written
     * @param n the number of elements; >= 0
     */
    public static void fill(MemorySegment out, long oOff, long os, float value, int n) {
        int done = 0;
        if (os == 1) {
            FloatVector v = FloatVector.broadcast(F, value);
            done = F.loopBound(n);
            for (int i = 0; i < done; i += L) {
                store(v, out, oOff + i);
            }
        }
        for (int i = done; i < n; i++) {
            out.setAtIndex(FL, oOff + i * os, value);
        }
    }

    private static FloatVector load(MemorySegment s, long off) {
        return FloatVector.fromMemorySegment(F, s, off * Float.BYTES, NATIVE);
    }

    private static void store(FloatVector v, MemorySegment s, long off) {
        v.intoMemorySegment(s, off * Float.BYTES, NATIVE);
    }

    // ---------------------------------------------------------------- one loop per op and operand kind
    // Each returns the number of elements it did (a multiple of the lane count); the caller finishes the tail.

    private static int vvAdd(MemorySegment x, long xOff, MemorySegment y, long yOff, MemorySegment out, long oOff,
            int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            FloatVector b = load(y, yOff + i);
            store(a.add(b), out, oOff + i);
        }
        return bound;
    }

    private static int vsAdd(MemorySegment x, long xOff, float s, MemorySegment out, long oOff, int n) {
        FloatVector b = FloatVector.broadcast(F, s);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            store(a.add(b), out, oOff + i);
        }
        return bound;
    }

    private static int vvSub(MemorySegment x, long xOff, MemorySegment y, long yOff, MemorySegment out, long oOff,
            int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            FloatVector b = load(y, yOff + i);
            store(a.sub(b), out, oOff + i);
        }
        return bound;
    }

    private static int vsSub(MemorySegment x, long xOff, float s, MemorySegment out, long oOff, int n) {
        FloatVector b = FloatVector.broadcast(F, s);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            store(a.sub(b), out, oOff + i);
        }
        return bound;
    }

    private static int svSub(float s, MemorySegment y, long yOff, MemorySegment out, long oOff, int n) {
        FloatVector a = FloatVector.broadcast(F, s);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector b = load(y, yOff + i);
            store(a.sub(b), out, oOff + i);
        }
        return bound;
    }

    private static int vvMul(MemorySegment x, long xOff, MemorySegment y, long yOff, MemorySegment out, long oOff,
            int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            FloatVector b = load(y, yOff + i);
            store(a.mul(b), out, oOff + i);
        }
        return bound;
    }

    private static int vsMul(MemorySegment x, long xOff, float s, MemorySegment out, long oOff, int n) {
        FloatVector b = FloatVector.broadcast(F, s);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            store(a.mul(b), out, oOff + i);
        }
        return bound;
    }

    private static int vvDiv(MemorySegment x, long xOff, MemorySegment y, long yOff, MemorySegment out, long oOff,
            int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            FloatVector b = load(y, yOff + i);
            store(a.div(b), out, oOff + i);
        }
        return bound;
    }

    private static int vsDiv(MemorySegment x, long xOff, float s, MemorySegment out, long oOff, int n) {
        FloatVector b = FloatVector.broadcast(F, s);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            store(a.div(b), out, oOff + i);
        }
        return bound;
    }

    private static int svDiv(float s, MemorySegment y, long yOff, MemorySegment out, long oOff, int n) {
        FloatVector a = FloatVector.broadcast(F, s);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector b = load(y, yOff + i);
            store(a.div(b), out, oOff + i);
        }
        return bound;
    }

    private static int vvMax(MemorySegment x, long xOff, MemorySegment y, long yOff, MemorySegment out, long oOff,
            int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            FloatVector b = load(y, yOff + i);
            store(a.max(b), out, oOff + i);
        }
        return bound;
    }

    private static int vsMax(MemorySegment x, long xOff, float s, MemorySegment out, long oOff, int n) {
        FloatVector b = FloatVector.broadcast(F, s);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            store(a.max(b), out, oOff + i);
        }
        return bound;
    }

    private static int vvMin(MemorySegment x, long xOff, MemorySegment y, long yOff, MemorySegment out, long oOff,
            int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            FloatVector b = load(y, yOff + i);
            store(a.min(b), out, oOff + i);
        }
        return bound;
    }

    private static int vsMin(MemorySegment x, long xOff, float s, MemorySegment out, long oOff, int n) {
        FloatVector b = FloatVector.broadcast(F, s);
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector a = load(x, xOff + i);
            store(a.min(b), out, oOff + i);
        }
        return bound;
    }

}
