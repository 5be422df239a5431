package org.inertia.kernels.simd;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.MAX;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 reductions along one axis, in two layouts:
 * <ul>
 * <li><b>rows</b> ({@code …Row}): the reduced axis is contiguous; one call reduces n consecutive floats;
 * <li><b>columns</b> ({@code …Columns}): the reduced axis is an outer one and the kept axis next to it is
 * contiguous (e.g. the sum over axis 0 of a row-major [N, D] matrix); whole rows are folded into
 * per-column accumulators along the contiguous dimension, so memory is streamed, never strided.
 * </ul>
 *
 * <p>Sums are accumulated in float within blocks of at most {@link #BLOCK} elements (per column, in the
 * column layout) and the block totals in double, so the error of a float32 sum of n elements is at most
 * about (min(n, BLOCK) + 2)·2⁻²⁴·Σ|x_i| instead of the (n − 1)·2⁻²⁴·Σ|x_i| of plain float summation.
 */
public final class ReductionKernels {
    /** Elements summed in float before the partial sum is moved into a double total. */
    public static final int BLOCK = 1024;

    private static final VectorSpecies<Float> F = FloatSpecies.F;
    private static final int L = FloatSpecies.LANES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private ReductionKernels() {
    }

    // ---------------------------------------------------------------- rows (contiguous reduced axis)

    /**
     * Σ x[off + i], i in [0, n).
     *
     * @param x the input's memory, float32
     * @param off element offset of the first element
     * @param n the row length; >= 0
     * @return the sum, as a double
     */
    public static double sumRow(MemorySegment x, long off, int n) {
        double total = 0;
        int i = 0;
        int step = 4 * L;
        while (n - i >= step) {
            // Four accumulators hide the add latency; the block bound keeps float error growth short.
            int end = i + Math.min(BLOCK, (n - i) / step * step);
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F);
            FloatVector s3 = FloatVector.zero(F);
            for (; i < end; i += step) {
                s0 = s0.add(load(x, off + i));
                s1 = s1.add(load(x, off + i + L));
                s2 = s2.add(load(x, off + i + 2 * L));
                s3 = s3.add(load(x, off + i + 3 * L));
            }
            total += Lanes.sum(s0.add(s1).add(s2.add(s3)));
        }
        for (; i < n; i++) {
            total += x.getAtIndex(FL, off + i);
        }
        return total;
    }

    /**
     * max x[off + i] over a non-empty row; NaN if any element is NaN.
     *
     * @param x the input's memory, float32
     * @param off element offset of the first element
     * @param n the row length; >= 1
     * @return the maximum, or NaN
     */
    public static float maxRow(MemorySegment x, long off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        int bound = n / (4 * L) * (4 * L);
        if (bound > 0) {
            FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            FloatVector m1 = m0;
            FloatVector m2 = m0;
            FloatVector m3 = m0;
            for (; i < bound; i += 4 * L) {
                m0 = m0.max(load(x, off + i));
                m1 = m1.max(load(x, off + i + L));
                m2 = m2.max(load(x, off + i + 2 * L));
                m3 = m3.max(load(x, off + i + 3 * L));
            }
            FloatVector mv = m0.max(m1).max(m2.max(m3));
            // Lanewise MAX propagates NaN; test explicitly rather than rely on the cross-lane reduction.
            if (mv.test(IS_NAN).anyTrue()) {
                return Float.NaN;
            }
            m = mv.reduceLanes(MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x.getAtIndex(FL, off + i));
        }
        return m;
    }

    /**
     * Index of the first maximum of a non-empty row, or of its first NaN.
     *
     * @param x the input's memory, float32
     * @param off element offset of the first element
     * @param n the row length; >= 1
     * @return the index in [0, n)
     */
    public static int argmaxRow(MemorySegment x, long off, int n) {
        float m = maxRow(x, off, n);
        boolean nan = Float.isNaN(m);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector v = load(x, off + i);
            int k = (nan ? v.test(IS_NAN) : v.compare(EQ, m)).firstTrue();
            if (k < L) {
                return i + k;
            }
        }
        for (; i < n; i++) {
            float v = x.getAtIndex(FL, off + i);
            if (nan ? Float.isNaN(v) : v == m) {
                return i;
            }
        }
        throw new AssertionError("the maximum was not found again");
    }

    /**
     * Σ(x − mean)² over a non-empty row, by the corrected two-pass algorithm: with m the float mean and
     * d_i = x_i − m, M2 = Σd_i² − (Σd_i)²/n, which cancels the rounding error of m to first order.
     *
     * @param x the input's memory, float32
     * @param off element offset of the first element
     * @param n the row length; >= 1
     * @return Σ(x − mean)², as a double
     */
    public static double sumSquaredDeviationsRow(MemorySegment x, long off, int n) {
        float m = (float) (sumRow(x, off, n) / n);
        FloatVector mv = FloatVector.broadcast(F, m);
        double s1 = 0;
        double s2 = 0;
        int i = 0;
        while (n - i >= L) {
            int end = i + Math.min(BLOCK, (n - i) / L * L);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            for (; i < end; i += L) {
                FloatVector d = load(x, off + i).sub(mv);
                a1 = a1.add(d);
                a2 = d.fma(d, a2);
            }
            s1 += Lanes.sum(a1);
            s2 += Lanes.sum(a2);
        }
        for (; i < n; i++) {
            double d = x.getAtIndex(FL, off + i) - m;
            s1 += d;
            s2 += d * d;
        }
        return Math.max(0, s2 - s1 * s1 / n);
    }

    /**
     * out ← softmax of a non-empty row: e^(x−max) / Σ e^(x−max) (or its logarithm with {@code log}).
     * out may be the same row as x: every pass reads x[i] before writing out[i].
     *
     * @param x the input's memory, float32
     * @param xOff element offset of the input row
     * @param out the output's memory, float32; may be the input
     * @param oOff element offset of the output row
     * @param n the row length; >= 1
     * @param log whether to write log-softmax instead of softmax
     */
    public static void softmaxRow(MemorySegment x, long xOff, MemorySegment out, long oOff, int n, boolean log) {
        float m = maxRow(x, xOff, n);
        FloatVector mv = FloatVector.broadcast(F, m);
        double sum = 0;
        int i = 0;
        while (n - i >= L) {
            int end = i + Math.min(BLOCK, (n - i) / L * L);
            FloatVector acc = FloatVector.zero(F);
            for (; i < end; i += L) {
                // API calls directly (force-inlined); a helper could miss C2's node budget and box the vector
                FloatVector e = FloatMath.exp(FloatVector.fromMemorySegment(F, x, (xOff + i) * Float.BYTES, NATIVE).sub(mv));
                if (!log) {
                    e.intoMemorySegment(out, (oOff + i) * Float.BYTES, NATIVE);
                }
                acc = acc.add(e);
            }
            sum += Lanes.sum(acc);
        }
        for (; i < n; i++) {
            float e = FloatMath.exp(x.getAtIndex(FL, xOff + i) - m);
            if (!log) {
                out.setAtIndex(FL, oOff + i, e);
            }
            sum += e;
        }
        int bound = F.loopBound(n);
        if (log) {
            // out = (x − max) − ln Σ: the subtraction of max is exact for nearby x, so small outputs keep accuracy.
            float lse = (float) Math.log(sum);
            FloatVector lv = FloatVector.broadcast(F, lse);
            for (i = 0; i < bound; i += L) {
                store(load(x, xOff + i).sub(mv).sub(lv), out, oOff + i);
            }
            for (; i < n; i++) {
                out.setAtIndex(FL, oOff + i, (x.getAtIndex(FL, xOff + i) - m) - lse);
            }
        } else {
            float scale = (float) (1.0 / sum);
            FloatVector sv = FloatVector.broadcast(F, scale);
            for (i = 0; i < bound; i += L) {
                store(load(out, oOff + i).mul(sv), out, oOff + i);
            }
            for (; i < n; i++) {
                out.setAtIndex(FL, oOff + i, out.getAtIndex(FL, oOff + i) * scale);
            }
        }
    }

    // ---------------------------------------------------------------- columns (outer reduced axis)

    /**
     * totals[j] ← Σ_r x[off + r·rowStride + j] for j in [0, width): rows of {@code width} contiguous floats
     * are added into float accumulators, which move into the double totals every {@link #BLOCK} rows.
     *
     * @param x the input's memory, float32
     * @param off element offset of the first element
     * @param rowStride element stride between rows
     * @param rows the number of rows; >= 0
     * @param width the number of contiguous columns
     * @param totals the column sums, written; at least {@code width} long
     */
    public static void sumColumns(MemorySegment x, long off, long rowStride, int rows, int width, double[] totals) {
        Arrays.fill(totals, 0, width, 0);
        float[] partial = new float[width];
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int r1 = Math.min(rows, r0 + BLOCK);
            Arrays.fill(partial, 0);
            for (int r = r0; r < r1; r++) {
                addRow(x, off + r * rowStride, partial, width);
            }
            for (int j = 0; j < width; j++) {
                totals[j] += partial[j];
            }
        }
    }

    /**
     * result[j] ← max_r x[off + r·rowStride + j] over rows ≥ 1; NaN if any element of the column is NaN.
     *
     * @param x the input's memory, float32
     * @param off element offset of the first element
     * @param rowStride element stride between rows
     * @param rows the number of rows; >= 1
     * @param width the number of contiguous columns
     * @param result the column maxima, written; at least {@code width} long
     */
    public static void maxColumns(MemorySegment x, long off, long rowStride, int rows, int width, float[] result) {
        MemorySegment.copy(x, FL, off * Float.BYTES, result, 0, width);
        int bound = F.loopBound(width);
        for (int r = 1; r < rows; r++) {
            long ro = off + r * rowStride;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(F, result, j).max(load(x, ro + j)).intoArray(result, j);
            }
            for (; j < width; j++) {
                result[j] = Math.max(result[j], x.getAtIndex(FL, ro + j));
            }
        }
    }

    /**
     * m2[j] ← Σ_r (x_rj − mean_j)² per column, by the corrected two-pass algorithm of
     * {@link #sumSquaredDeviationsRow}, with rows ≥ 1.
     *
     * @param x the input's memory, float32
     * @param off element offset of the first element
     * @param rowStride element stride between rows
     * @param rows the number of rows; >= 1
     * @param width the number of contiguous columns
     * @param m2 the per-column Σ(x − mean)², written; at least {@code width} long
     */
    public static void sumSquaredDeviationsColumns(MemorySegment x, long off, long rowStride, int rows, int width,
            double[] m2) {
        double[] sums = new double[width];
        sumColumns(x, off, rowStride, rows, width, sums);
        float[] mean = new float[width];
        for (int j = 0; j < width; j++) {
            mean[j] = (float) (sums[j] / rows);
        }
        double[] s1 = new double[width];
        double[] s2 = new double[width];
        float[] p1 = new float[width];
        float[] p2 = new float[width];
        int bound = F.loopBound(width);
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int r1 = Math.min(rows, r0 + BLOCK);
            Arrays.fill(p1, 0);
            Arrays.fill(p2, 0);
            for (int r = r0; r < r1; r++) {
                long ro = off + r * rowStride;
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector d = load(x, ro + j).sub(FloatVector.fromArray(F, mean, j));
                    FloatVector.fromArray(F, p1, j).add(d).intoArray(p1, j);
                    d.fma(d, FloatVector.fromArray(F, p2, j)).intoArray(p2, j);
                }
                for (; j < width; j++) {
                    float d = x.getAtIndex(FL, ro + j) - mean[j];
                    p1[j] += d;
                    p2[j] = Math.fma(d, d, p2[j]);
                }
            }
            for (int j = 0; j < width; j++) {
                s1[j] += p1[j];
                s2[j] += p2[j];
            }
        }
        for (int j = 0; j < width; j++) {
            m2[j] = Math.max(0, s2[j] - s1[j] * s1[j] / rows);
        }
    }

    /** partial[j] += x[rowOff + j] for j in [0, width). */
    private static void addRow(MemorySegment x, long rowOff, float[] partial, int width) {
        int bound = F.loopBound(width);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(F, partial, j).add(load(x, rowOff + j)).intoArray(partial, j);
        }
        for (; j < width; j++) {
            partial[j] += x.getAtIndex(FL, rowOff + j);
        }
    }

    private static FloatVector load(MemorySegment s, long off) {
        return FloatVector.fromMemorySegment(F, s, off * Float.BYTES, NATIVE);
    }

    private static void store(FloatVector v, MemorySegment s, long off) {
        v.intoMemorySegment(s, off * Float.BYTES, NATIVE);
    }
}
