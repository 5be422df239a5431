package org.inertia.kernels.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 BLAS level-1 kernels. Vectors are {@code (segment, element offset, element stride, n)};
 * unit stride takes the SIMD path, any other stride a scalar float loop (the segment API has no
 * gather). Arguments are validated by the {@code Blas1} facade.
 */
public final class Blas1Kernels {
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final int L = F.length();
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class,
            jdk.incubator.vector.VectorShape.forBitSize(F.vectorBitSize()));

    private Blas1Kernels() {
    }

    /**
     * Σ x_i y_i with float accumulators; error ≤ n·eps32·Σ|x_i y_i|.
     *
     * @param xs x's memory, float32
     * @param xo element offset of x_0
     * @param incx x's element stride
     * @param ys y's memory, float32
     * @param yo element offset of y_0
     * @param incy y's element stride
     * @param n the number of elements; >= 0
     * @return the dot product
     */
    public static float dot(MemorySegment xs, long xo, long incx, MemorySegment ys, long yo, long incy, int n) {
        if (incx != 1 || incy != 1) {
            float s = 0;
            for (int i = 0; i < n; i++) {
                s = Math.fma(xs.getAtIndex(FL, xo + i * incx), ys.getAtIndex(FL, yo + i * incy), s);
            }
            return s;
        }
        long xb = xo * 4;
        long yb = yo * 4;
        // four independent accumulators hide the FMA latency (4 cycles) behind its throughput
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int i = 0;
        int bound4 = n - 4 * L + 1;
        for (; i < bound4; i += 4 * L) {
            long xi = xb + i * 4L;
            long yi = yb + i * 4L;
            a0 = load(xs, xi).fma(load(ys, yi), a0);
            a1 = load(xs, xi + 4L * L).fma(load(ys, yi + 4L * L), a1);
            a2 = load(xs, xi + 8L * L).fma(load(ys, yi + 8L * L), a2);
            a3 = load(xs, xi + 12L * L).fma(load(ys, yi + 12L * L), a3);
        }
        for (int bound = F.loopBound(n); i < bound; i += L) {
            a0 = load(xs, xb + i * 4L).fma(load(ys, yb + i * 4L), a0);
        }
        if (i < n) { // masked tail: lanes past n load as zero and add nothing
            VectorMask<Float> m = F.indexInRange(i, n);
            a1 = FloatVector.fromMemorySegment(F, xs, xb + i * 4L, NATIVE, m)
                    .fma(FloatVector.fromMemorySegment(F, ys, yb + i * 4L, NATIVE, m), a1);
        }
        return Lanes.sum(a0.add(a1).add(a2.add(a3)));
    }

    /**
     * y ← αx + y.
     *
     * @param alpha the scale factor α
     * @param xs x's memory, float32
     * @param xo element offset of x_0
     * @param incx x's element stride
     * @param ys y's memory, float32
     * @param yo element offset of y_0
     * @param incy y's element stride
     * @param n the number of elements; >= 0
     */
    public static void axpy(float alpha, MemorySegment xs, long xo, long incx, MemorySegment ys, long yo, long incy, int n) {
        if (incx != 1 || incy != 1) {
            for (int i = 0; i < n; i++) {
                long yi = yo + i * incy;
                ys.setAtIndex(FL, yi, Math.fma(alpha, xs.getAtIndex(FL, xo + i * incx), ys.getAtIndex(FL, yi)));
            }
            return;
        }
        long xb = xo * 4;
        long yb = yo * 4;
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long yi = yb + i * 4L;
            va.fma(load(xs, xb + i * 4L), load(ys, yi)).intoMemorySegment(ys, yi, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long yi = yb + i * 4L;
            va.fma(FloatVector.fromMemorySegment(F, xs, xb + i * 4L, NATIVE, m),
                    FloatVector.fromMemorySegment(F, ys, yi, NATIVE, m)).intoMemorySegment(ys, yi, NATIVE, m);
        }
    }

    /**
     * x ← αx.
     *
     * @param alpha the scale factor α
     * @param xs x's memory, float32
     * @param xo element offset of x_0
     * @param incx x's element stride
     * @param n the number of elements; >= 0
     */
    public static void scal(float alpha, MemorySegment xs, long xo, long incx, int n) {
        if (incx != 1) {
            for (int i = 0; i < n; i++) {
                long xi = xo + i * incx;
                xs.setAtIndex(FL, xi, alpha * xs.getAtIndex(FL, xi));
            }
            return;
        }
        long xb = xo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long xi = xb + i * 4L;
            load(xs, xi).mul(alpha).intoMemorySegment(xs, xi, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long xi = xb + i * 4L;
            FloatVector.fromMemorySegment(F, xs, xi, NATIVE, m).mul(alpha).intoMemorySegment(xs, xi, NATIVE, m);
        }
    }

    /**
     * Σ |x_i| with float accumulators; error ≤ n·eps32·Σ|x_i|.
     *
     * @param xs x's memory, float32
     * @param xo element offset of x_0
     * @param incx x's element stride
     * @param n the number of elements; >= 0
     * @return Σ |x_i|
     */
    public static float asum(MemorySegment xs, long xo, long incx, int n) {
        if (incx != 1) {
            float s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(xs.getAtIndex(FL, xo + i * incx));
            }
            return s;
        }
        long xb = xo * 4;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - 2 * L + 1; i < bound; i += 2 * L) {
            a0 = a0.add(load(xs, xb + i * 4L).abs());
            a1 = a1.add(load(xs, xb + (i + L) * 4L).abs());
        }
        for (int bound = F.loopBound(n); i < bound; i += L) {
            a0 = a0.add(load(xs, xb + i * 4L).abs());
        }
        if (i < n) {
            a1 = a1.add(FloatVector.fromMemorySegment(F, xs, xb + i * 4L, NATIVE, F.indexInRange(i, n)).abs());
        }
        return Lanes.sum(a0.add(a1));
    }

    /**
     * √(Σ x_i²). Squares are accumulated in double: a float squared never overflows or underflows a
     * double, so no scaling pass is needed and the result is as accurate as the final square root.
     *
     * @param xs x's memory, float32
     * @param xo element offset of x_0
     * @param incx x's element stride
     * @param n the number of elements; >= 0
     * @return the Euclidean norm, as a double
     */
    public static double nrm2(MemorySegment xs, long xo, long incx, int n) {
        if (incx != 1) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double v = xs.getAtIndex(FL, xo + i * incx);
                s += v * v;
            }
            return Math.sqrt(s);
        }
        long xb = xo * 4;
        DoubleVector a0 = DoubleVector.zero(D);
        DoubleVector a1 = DoubleVector.zero(D);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(xs, xb + i * 4L);
            // the vector splits into two double halves
            DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
            a0 = lo.fma(lo, a0);
            a1 = hi.fma(hi, a1);
        }
        double s = Lanes.sum(a0.add(a1));
        for (; i < n; i++) {
            double v = xs.getAtIndex(FL, xo + i);
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /**
     * First index of the largest |x_i|, the first NaN if any, −1 if n = 0.
     *
     * @param xs x's memory, float32
     * @param xo element offset of x_0
     * @param incx x's element stride
     * @param n the number of elements; >= 0
     * @return the 0-based index, or −1 if n = 0
     */
    public static long iamax(MemorySegment xs, long xo, long incx, int n) {
        if (n == 0) {
            return -1;
        }
        if (incx != 1) {
            long best = 0;
            float bestV = -1;
            for (int i = 0; i < n; i++) {
                float v = Math.abs(xs.getAtIndex(FL, xo + i * incx));
                if (Float.isNaN(v)) {
                    return i;
                }
                if (v > bestV) {
                    bestV = v;
                    best = i;
                }
            }
            return best;
        }
        long xb = xo * 4;
        // pass 1: the maximum (lanewise MAX propagates NaN, so a NaN anywhere makes max NaN)
        FloatVector vmax = FloatVector.broadcast(F, -1f);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += L) {
            vmax = vmax.max(load(xs, xb + i * 4L).abs());
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (int j = i; j < n; j++) {
            float v = Math.abs(xs.getAtIndex(FL, xo + j));
            max = Float.isNaN(v) || Float.isNaN(max) ? Float.NaN : Math.max(max, v);
        }
        // pass 2: the first position holding it (stops early)
        boolean nan = Float.isNaN(max);
        for (i = 0; i < bound; i += L) {
            FloatVector v = load(xs, xb + i * 4L).abs();
            VectorMask<Float> hit = nan ? v.test(jdk.incubator.vector.VectorOperators.IS_NAN) : v.eq(max);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            float v = Math.abs(xs.getAtIndex(FL, xo + i));
            if (nan ? Float.isNaN(v) : v == max) {
                return i;
            }
        }
        throw new AssertionError("maximum " + max + " not found");
    }

    /**
     * dst ← src for one row of n elements.
     *
     * @param src the source's memory, float32
     * @param so element offset of the first source element
     * @param incs the source's element stride
     * @param dst the destination's memory, float32
     * @param dO element offset of the first destination element
     * @param incd the destination's element stride
     * @param n the number of elements; >= 0
     */
    public static void copy(MemorySegment src, long so, long incs, MemorySegment dst, long dO, long incd, int n) {
        if (incs == 1 && incd == 1) {
            MemorySegment.copy(src, so * 4, dst, dO * 4, n * 4L);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst.setAtIndex(FL, dO + i * incd, src.getAtIndex(FL, so + i * incs));
        }
    }

    private static FloatVector load(MemorySegment s, long byteOffset) {
        return FloatVector.fromMemorySegment(F, s, byteOffset, NATIVE);
    }
}
