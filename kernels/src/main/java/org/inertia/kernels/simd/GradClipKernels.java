package org.inertia.kernels.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 kernels for gradient clipping: the sum of squares for the global norm (accumulated in
 * double, lanes added in order, so the result depends on the input alone), scaling by the clip
 * coefficient, and clamping by value.
 */
public final class GradClipKernels {
    /** Byte order of every segment access (the storage is native-endian). */
    private static final java.nio.ByteOrder NATIVE = java.nio.ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int L = F.length();
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class,
            VectorShape.forBitSize(F.vectorBitSize()));

    private GradClipKernels() {
    }

    /**
     * Σ g_i² in double: a float squared is exact in double and cannot overflow it, so the only error is
     * the double summation's, n·2^-53 relative.
     *
     * @param gs the gradient's memory, float32
     * @param go element offset of the gradient's first element
     * @param n the number of elements; >= 0
     * @return Σ g_i², as a double
     */
    public static double sumOfSquares(MemorySegment gs, long go, int n) {
        long gb = go * 4;
        DoubleVector a0 = DoubleVector.zero(D);
        DoubleVector a1 = DoubleVector.zero(D);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(F, gs, gb + i * 4L, NATIVE);
            // the float vector splits into two double halves
            DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
            a0 = lo.fma(lo, a0);
            a1 = hi.fma(hi, a1);
        }
        double s = Lanes.sum(a0.add(a1));
        for (; i < n; i++) {
            double x = gs.getAtIndex(FL, go + i);
            s += x * x;
        }
        return s;
    }

    /**
     * g ← factor·g.
     *
     * @param factor the multiplier
     * @param gs the gradient's memory, float32
     * @param go element offset of the gradient's first element
     * @param n the number of elements; >= 0
     */
    public static void scale(float factor, MemorySegment gs, long go, int n) {
        long gb = go * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = gb + i * 4L;
            FloatVector.fromMemorySegment(F, gs, o, NATIVE).mul(factor).intoMemorySegment(gs, o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = gb + i * 4L;
            FloatVector.fromMemorySegment(F, gs, o, NATIVE, m).mul(factor).intoMemorySegment(gs, o, NATIVE, m);
        }
    }

    /**
     * g ← min(max(g, −c), c); NaN stays NaN (lanewise max/min follow Math.max/min).
     *
     * @param c the bound; finite and >= 0
     * @param gs the gradient's memory, float32
     * @param go element offset of the gradient's first element
     * @param n the number of elements; >= 0
     */
    public static void clampValue(float c, MemorySegment gs, long go, int n) {
        long gb = go * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = gb + i * 4L;
            FloatVector.fromMemorySegment(F, gs, o, NATIVE).max(-c).min(c).intoMemorySegment(gs, o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = gb + i * 4L;
            FloatVector.fromMemorySegment(F, gs, o, NATIVE, m).max(-c).min(c).intoMemorySegment(gs, o, NATIVE, m);
        }
    }
}
