package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.inertia.kernels.UnaryOp;

/**
 * Float32 unary elementwise kernels: {@code out[i] ← op(x[i])} over one row of {@code n} elements.
 *
 * <p>Each op has its own loop because C2 only intrinsifies a lanewise operation whose operator is a
 * compile-time constant inside the loop; a shared loop taking the operator as a parameter runs about
 * fifty times slower. EXP, LOG, TANH and SIGMOID use {@link FloatMath} (within 1 ulp), not the Vector
 * API's transcendental lanes, whose last bit differs between the interpreter and C2: every result here
 * is a function of its input alone, the same before and after JIT compilation. Rows that are not
 * unit-stride, and vector tails, run a scalar loop with {@link FloatMath}'s scalar twins (bit-identical
 * to the lanes) for those four ops and the double result of {@link UnaryOp#apply}, rounded, for the
 * exact ones (NEG, ABS, SQRT, RELU); so a value's result does not depend on where in a row it sits or on
 * the vector width.
 */
public final class UnaryKernels {
    private static final VectorSpecies<Float> F = FloatSpecies.F;
    private static final int L = FloatSpecies.LANES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final FloatVector ZERO = FloatVector.zero(F);

    private UnaryKernels() {
    }

    /**
     * out[oOff + i·os] ← op(x[xOff + i·xs]) for i in [0, n); offsets and strides in elements.
     *
     * @param op the operation
     * @param x the input's memory, float32
     * @param xOff element offset of x's first element
     * @param xs x's element stride
     * @param out the output's memory, float32
     * @param oOff element offset of out's first element
     * @param os out's element stride
     * @param n the number of elements; >= 0
     */
    public static void apply(UnaryOp op, MemorySegment x, long xOff, long xs, MemorySegment out, long oOff, long os,
            int n) {
        if (n <= 0) {
            return;
        }
        if (xs != 1 || os != 1) {
            scalar(op, x, xOff, xs, out, oOff, os, 0, n);
            return;
        }
        int done = switch (op) {
            case NEG -> neg(x, xOff, out, oOff, n);
            case ABS -> abs(x, xOff, out, oOff, n);
            case EXP -> exp(x, xOff, out, oOff, n);
            case LOG -> log(x, xOff, out, oOff, n);
            case SQRT -> sqrt(x, xOff, out, oOff, n);
            case TANH -> tanh(x, xOff, out, oOff, n);
            case SIGMOID -> sigmoid(x, xOff, out, oOff, n);
            case RELU -> relu(x, xOff, out, oOff, n);
        };
        scalar(op, x, xOff, 1, out, oOff, 1, done, n);
    }

    private static void scalar(UnaryOp op, MemorySegment x, long xOff, long xs, MemorySegment out, long oOff, long os,
            int from, int n) {
        for (int i = from; i < n; i++) {
            float v = x.getAtIndex(FL, xOff + i * xs);
            out.setAtIndex(FL, oOff + i * os, scalar(op, v));
        }
    }

    /** One element, exactly as a vector lane computes it. */
    private static float scalar(UnaryOp op, float v) {
        return switch (op) {
            case EXP -> FloatMath.exp(v);
            case LOG -> FloatMath.log(v);
            case TANH -> FloatMath.tanh(v);
            case SIGMOID -> FloatMath.sigmoid(v);
            default -> (float) op.apply(v);
        };
    }

    private static FloatVector load(MemorySegment s, long off) {
        return FloatVector.fromMemorySegment(F, s, off * Float.BYTES, NATIVE);
    }

    private static void store(FloatVector v, MemorySegment s, long off) {
        v.intoMemorySegment(s, off * Float.BYTES, NATIVE);
    }

    /** Vector part of NEG; returns the number of elements done. */
    private static int neg(MemorySegment x, long xOff, MemorySegment out, long oOff, int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            store(v.neg(), out, oOff + i);
        }
        return bound;
    }

    /** Vector part of ABS; returns the number of elements done. */
    private static int abs(MemorySegment x, long xOff, MemorySegment out, long oOff, int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            store(v.abs(), out, oOff + i);
        }
        return bound;
    }

    /** Vector part of EXP; returns the number of elements done. */
    private static int exp(MemorySegment x, long xOff, MemorySegment out, long oOff, int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            // the API calls directly: they are force-inlined, a helper could miss C2's node budget and box
            FloatVector v = FloatVector.fromMemorySegment(F, x, (xOff + i) * Float.BYTES, NATIVE);
            FloatMath.exp(v).intoMemorySegment(out, (oOff + i) * Float.BYTES, NATIVE);
        }
        return bound;
    }

    /** Vector part of LOG; returns the number of elements done. */
    private static int log(MemorySegment x, long xOff, MemorySegment out, long oOff, int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            // the API calls directly: they are force-inlined, a helper could miss C2's node budget and box
            FloatVector v = FloatVector.fromMemorySegment(F, x, (xOff + i) * Float.BYTES, NATIVE);
            FloatMath.log(v).intoMemorySegment(out, (oOff + i) * Float.BYTES, NATIVE);
        }
        return bound;
    }

    /** Vector part of SQRT; returns the number of elements done. */
    private static int sqrt(MemorySegment x, long xOff, MemorySegment out, long oOff, int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            store(v.sqrt(), out, oOff + i);
        }
        return bound;
    }

    /** Vector part of TANH; returns the number of elements done. */
    private static int tanh(MemorySegment x, long xOff, MemorySegment out, long oOff, int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            // the API calls directly: they are force-inlined, a helper could miss C2's node budget and box
            FloatVector v = FloatVector.fromMemorySegment(F, x, (xOff + i) * Float.BYTES, NATIVE);
            FloatMath.tanh(v).intoMemorySegment(out, (oOff + i) * Float.BYTES, NATIVE);
        }
        return bound;
    }

    /** Vector part of SIGMOID; returns the number of elements done. */
    private static int sigmoid(MemorySegment x, long xOff, MemorySegment out, long oOff, int n) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(F, x, (xOff + i) * Float.BYTES, NATIVE);
            FloatMath.sigmoid(v).intoMemorySegment(out, (oOff + i) * Float.BYTES, NATIVE);
        }
        return bound;
    }

    /** Vector part of RELU; returns the number of elements done. */
    private static int relu(MemorySegment x, long xOff, MemorySegment out, long oOff, int n) {
        // MAX has Math.max semantics: a NaN lane stays NaN (as relu requires) and −0 becomes +0, as in UnaryOp.
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            store(v.max(ZERO), out, oOff + i);
        }
        return bound;
    }

}
