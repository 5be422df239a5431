package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 matrix-vector product y ← α·A·x + β·y with A m×k given as (segment, offset, row stride, column
 * stride), x of length k and y of length m (offset and stride each). Two SIMD shapes: when A's rows and x
 * are unit-stride each y_i is a vector dot product; when A's columns are unit-stride (a transposed
 * row-major matrix) and y is unit-stride, y accumulates α·x_p times each stored row (axpy form), so
 * memory is always read in order. Other layouts use a scalar loop.
 */
public final class GemvF32 {
    private static final VectorSpecies<Float> S = FloatSpecies.F;
    private static final int L = FloatSpecies.LANES;
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private GemvF32() {
    }

    /**
     * y ← α·A·x + β·y; y is not read when β = 0, A and x are not read when α = 0.
     *
     * @param m rows of A and length of y; >= 0
     * @param k columns of A and length of x; >= 0
     * @param alpha the scale α of the product
     * @param a the matrix A
     * @param xs x's memory, float32
     * @param xOff element offset of x_0
     * @param xInc x's element stride
     * @param beta the scale β of y; y is not read when β = 0
     * @param ys y's memory, float32
     * @param yOff element offset of y_0
     * @param yInc y's element stride
     */
    public static void gemv(int m, int k, float alpha, GemmF32.Operand a, MemorySegment xs, long xOff, long xInc,
            float beta, MemorySegment ys, long yOff, long yInc) {
        if (m == 0) {
            return;
        }
        if (alpha == 0 || k == 0) {
            for (int i = 0; i < m; i++) {
                long o = yOff + i * yInc;
                ys.setAtIndex(FL, o, beta == 0 ? 0f : beta * ys.getAtIndex(FL, o));
            }
            return;
        }
        if (a.cs() == 1 && xInc == 1) {
            for (int i = 0; i < m; i++) {
                float d = dot(a.seg(), a.off() + i * a.rs(), xs, xOff, k);
                write(ys, yOff + i * yInc, alpha * d, beta);
            }
        } else if (a.rs() == 1 && yInc == 1) {
            axpyForm(m, k, alpha, a, xs, xOff, xInc, beta, ys, yOff);
        } else {
            for (int i = 0; i < m; i++) {
                float s = 0;
                long row = a.off() + i * a.rs();
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a.seg().getAtIndex(FL, row + p * a.cs()), xs.getAtIndex(FL, xOff + p * xInc), s);
                }
                write(ys, yOff + i * yInc, alpha * s, beta);
            }
        }
    }

    private static void write(MemorySegment ys, long off, float v, float beta) {
        ys.setAtIndex(FL, off, beta == 0 ? v : Math.fma(beta, ys.getAtIndex(FL, off), v));
    }

    /** Σ a_p x_p over unit-stride runs, four independent accumulators to cover the FMA latency. */
    private static float dot(MemorySegment as, long aOff, MemorySegment xs, long xOff, int k) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        long ab = aOff * 4;
        long xb = xOff * 4;
        int p = 0;
        int bound4 = k - 4 * L + 1;
        for (; p < bound4; p += 4 * L) {
            long o = 4L * p;
            s0 = FloatVector.fromMemorySegment(S, as, ab + o, NATIVE)
                    .fma(FloatVector.fromMemorySegment(S, xs, xb + o, NATIVE), s0);
            s1 = FloatVector.fromMemorySegment(S, as, ab + o + 4L * L, NATIVE)
                    .fma(FloatVector.fromMemorySegment(S, xs, xb + o + 4L * L, NATIVE), s1);
            s2 = FloatVector.fromMemorySegment(S, as, ab + o + 8L * L, NATIVE)
                    .fma(FloatVector.fromMemorySegment(S, xs, xb + o + 8L * L, NATIVE), s2);
            s3 = FloatVector.fromMemorySegment(S, as, ab + o + 12L * L, NATIVE)
                    .fma(FloatVector.fromMemorySegment(S, xs, xb + o + 12L * L, NATIVE), s3);
        }
        for (int bound = S.loopBound(k); p < bound; p += L) {
            long o = 4L * p;
            s0 = FloatVector.fromMemorySegment(S, as, ab + o, NATIVE)
                    .fma(FloatVector.fromMemorySegment(S, xs, xb + o, NATIVE), s0);
        }
        float s = Lanes.sum(s0.add(s1).add(s2.add(s3)));
        for (; p < k; p++) {
            s = Math.fma(as.getAtIndex(FL, aOff + p), xs.getAtIndex(FL, xOff + p), s);
        }
        return s;
    }

    /** y ← α·Σ_p x_p·A[:, p] + β·y where column p of A (row p of its storage) is unit-stride. */
    private static void axpyForm(int m, int k, float alpha, GemmF32.Operand a, MemorySegment xs, long xOff,
            long xInc, float beta, MemorySegment ys, long yOff) {
        float[] acc = new float[m];
        int bound = S.loopBound(m);
        for (int p = 0; p < k; p++) {
            float xp = xs.getAtIndex(FL, xOff + p * xInc);
            long col = a.off() + p * a.cs();
            long cb = col * 4;
            FloatVector xv = FloatVector.broadcast(S, xp);
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector.fromMemorySegment(S, a.seg(), cb + 4L * i, NATIVE)
                        .fma(xv, FloatVector.fromArray(S, acc, i)).intoArray(acc, i);
            }
            for (; i < m; i++) {
                acc[i] = Math.fma(a.seg().getAtIndex(FL, col + i), xp, acc[i]);
            }
        }
        for (int i = 0; i < m; i++) {
            write(ys, yOff + i, alpha * acc[i], beta);
        }
    }
}
