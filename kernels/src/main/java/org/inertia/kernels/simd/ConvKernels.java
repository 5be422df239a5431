package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.inertia.kernels.Conv2dGeometry;

/**
 * Float32 convolution building blocks, one (n, c) image plane per call, on raw segments: a plane is
 * {@code (segment, element offset, row stride, column stride)}; a column block of im2col is
 * {@code (segment, offset of its first row, row stride, column stride)}. Arguments are validated by
 * the caller; semantics are those of {@code cpu.ConvScalar}.
 *
 * <p>Padding is never tested per element: for each output column {@code ow} and kernel column
 * {@code kj} the in-image range is computed up front ({@link #firstInside}), so inner loops run over
 * in-image pixels only.
 */
public final class ConvKernels {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private ConvKernels() {
    }

    /**
     * Smallest {@code k ≥ 0} with {@code o·stride − pad + k·dilation ≥ bound}, clamped to [0, kernel]:
     * with bound 0 the first in-image tap of output o, with bound = size the first tap past the image.
     *
     * @param o the output position along the axis; >= 0
     * @param stride the window step along the axis; >= 1
     * @param pad the zero padding before the axis; >= 0
     * @param dilation the spacing between taps; >= 1
     * @param kernel the taps along the axis; >= 1
     * @param bound the image coordinate to reach: 0 or the axis size
     * @return the tap index, in [0, kernel]
     */
    public static int firstInside(int o, int stride, int pad, int dilation, int kernel, int bound) {
        int k = Math.ceilDiv(bound + pad - o * stride, dilation);
        return Math.clamp(k, 0, kernel);
    }

    /**
     * Smallest {@code o ≥ 0} with {@code o·stride − pad + tap ≥ bound}, clamped to [0, out]: the output
     * range whose tap lands in the image is [outputsFrom(0), outputsFrom(size)).
     */
    private static int outputsFrom(int tap, int stride, int pad, int out, int bound) {
        return Math.clamp(Math.ceilDiv(bound + pad - tap, stride), 0, out);
    }

    // ------------------------------------------------------------------ im2col / col2im

    /**
     * Unfolds one plane: for every (ki, kj) row and output row oh, the in-image run of outputs is one
     * copy (a bulk {@link MemorySegment#copy} when both sides are unit-stride and strideW is 1, a
     * scalar gather otherwise) and the padded ends are zero fills.
     *
     * @param x the image's memory, float32
     * @param xOff element offset of the plane's pixel (0, 0)
     * @param xsH element stride between image rows
     * @param xsW element stride between image columns
     * @param h the image height
     * @param w the image width
     * @param g the window geometry
     * @param outH the output height
     * @param outW the output width
     * @param col the columns' memory, written
     * @param colOff element offset of the plane's first column entry
     * @param csRow element stride between column rows (one per (ki, kj) tap)
     * @param csCol element stride between column entries (one per output pixel)
     */
    public static void im2colPlane(MemorySegment x, long xOff, long xsH, long xsW, int h, int w,
                                   Conv2dGeometry g, int outH, int outW,
                                   MemorySegment col, long colOff, long csRow, long csCol) {
        boolean bulk = g.strideW() == 1 && xsW == 1 && csCol == 1;
        for (int ki = 0; ki < g.kernelH(); ki++) {
            for (int kj = 0; kj < g.kernelW(); kj++) {
                long rowOff = colOff + (long) (ki * g.kernelW() + kj) * csRow;
                int tapW = kj * g.dilationW();
                int lo = outputsFrom(tapW, g.strideW(), g.padW(), outW, 0);
                int hi = Math.max(lo, outputsFrom(tapW, g.strideW(), g.padW(), outW, w));
                for (int oh = 0; oh < outH; oh++) {
                    long dst = rowOff + (long) oh * outW * csCol;
                    int y = oh * g.strideH() - g.padH() + ki * g.dilationH();
                    if (y < 0 || y >= h) {
                        zero(col, dst, csCol, outW);
                        continue;
                    }
                    zero(col, dst, csCol, lo);
                    long src = xOff + y * xsH + (long) (lo * g.strideW() - g.padW() + tapW) * xsW;
                    int run = hi - lo;
                    if (bulk && run > 0) { // an empty run's source address may lie outside the segment
                        MemorySegment.copy(x, src * Float.BYTES, col, (dst + lo) * Float.BYTES, (long) run * Float.BYTES);
                    } else {
                        long step = g.strideW() * xsW;
                        long d = dst + lo * csCol;
                        for (int i = 0; i < run; i++) {
                            col.setAtIndex(F, d + i * csCol, x.getAtIndex(F, src + i * step));
                        }
                    }
                    zero(col, dst + hi * csCol, csCol, outW - hi);
                }
            }
        }
    }

    /**
     * Folds one plane: zeroes it, then adds every column entry onto its pixel, in (ki, kj, oh, ow) order.
     * With unit strides and strideW 1 each in-image run is a vector add of two contiguous runs.
     *
     * @param col the columns' memory, float32
     * @param colOff element offset of the plane's first column entry
     * @param csRow element stride between column rows (one per (ki, kj) tap)
     * @param csCol element stride between column entries (one per output pixel)
     * @param g the window geometry
     * @param outH the output height
     * @param outW the output width
     * @param x the image's memory, written (zeroed first)
     * @param xOff element offset of the plane's pixel (0, 0)
     * @param xsH element stride between image rows
     * @param xsW element stride between image columns
     * @param h the image height
     * @param w the image width
     */
    public static void col2imPlane(MemorySegment col, long colOff, long csRow, long csCol,
                                   Conv2dGeometry g, int outH, int outW,
                                   MemorySegment x, long xOff, long xsH, long xsW, int h, int w) {
        zeroPlane(x, xOff, xsH, xsW, h, w);
        boolean vector = g.strideW() == 1 && xsW == 1 && csCol == 1;
        for (int ki = 0; ki < g.kernelH(); ki++) {
            for (int kj = 0; kj < g.kernelW(); kj++) {
                long rowOff = colOff + (long) (ki * g.kernelW() + kj) * csRow;
                int tapW = kj * g.dilationW();
                int lo = outputsFrom(tapW, g.strideW(), g.padW(), outW, 0);
                int hi = Math.max(lo, outputsFrom(tapW, g.strideW(), g.padW(), outW, w));
                int run = hi - lo;
                for (int oh = 0; oh < outH; oh++) {
                    int y = oh * g.strideH() - g.padH() + ki * g.dilationH();
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    long src = rowOff + ((long) oh * outW + lo) * csCol;
                    long dst = xOff + y * xsH + (long) (lo * g.strideW() - g.padW() + tapW) * xsW;
                    if (vector) {
                        addRun(col, src, x, dst, run);
                    } else {
                        long step = g.strideW() * xsW;
                        for (int i = 0; i < run; i++) {
                            long d = dst + i * step;
                            x.setAtIndex(F, d, x.getAtIndex(F, d) + col.getAtIndex(F, src + i * csCol));
                        }
                    }
                }
            }
        }
    }

    /** dst[0..n) += src[0..n), both contiguous; masked tail so short runs stay one vector op. */
    static void addRun(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, int n) {
        int i = 0;
        int bound = FloatSpecies.F.loopBound(n);
        for (; i < bound; i += FloatSpecies.LANES) {
            long d = (dstOff + i) * Float.BYTES;
            FloatVector a = FloatVector.fromMemorySegment(FloatSpecies.F, dst, d, ORDER);
            FloatVector b = FloatVector.fromMemorySegment(FloatSpecies.F, src, (srcOff + i) * Float.BYTES, ORDER);
            a.add(b).intoMemorySegment(dst, d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = FloatSpecies.F.indexInRange(i, n);
            long d = (dstOff + i) * Float.BYTES;
            FloatVector a = FloatVector.fromMemorySegment(FloatSpecies.F, dst, d, ORDER, m);
            FloatVector b = FloatVector.fromMemorySegment(FloatSpecies.F, src, (srcOff + i) * Float.BYTES, ORDER, m);
            a.add(b).intoMemorySegment(dst, d, ORDER, m);
        }
    }

    // ------------------------------------------------------------------ pooling

    /**
     * In-image tap ranges of a pooling window along one axis: {@code [lo[o], hi[o])} for output o.
     * Computed once per call and shared by all planes.
     *
     * @param lo the first in-image tap of each output
     * @param hi one past the last in-image tap of each output
     */
    public record Taps(int[] lo, int[] hi) {
        /**
         * Computes the tap ranges of every output along one axis.
         *
         * @param out the output size along the axis
         * @param stride the window step along the axis; >= 1
         * @param pad the zero padding before the axis; >= 0
         * @param dilation the spacing between taps; >= 1
         * @param kernel the taps along the axis; >= 1
         * @param size the input size along the axis
         * @return the tap ranges
         */
        public static Taps of(int out, int stride, int pad, int dilation, int kernel, int size) {
            int[] lo = new int[out];
            int[] hi = new int[out];
            for (int o = 0; o < out; o++) {
                lo[o] = firstInside(o, stride, pad, dilation, kernel, 0);
                hi[o] = Math.max(lo[o], firstInside(o, stride, pad, dilation, kernel, size));
            }
            return new Taps(lo, hi);
        }
    }

    /**
     * Max-pools one plane: strictly greater or NaN replaces the running maximum, so ties keep the first
     * pixel and NaN wins as in PyTorch. Every window has at least one in-image tap.
     *
     * <p>With strideW 1 and unit column strides, outputs whose window lies wholly inside the image
     * columns run {@link FloatSpecies#LANES} at a time — lane j is output ow + j, and each tap is one
     * contiguous load — applying the same per-lane rule in the same tap order, so results and indices
     * equal the scalar loop's. Strided windows (the common 2x2/2) would need lane gathers, which the
     * Vector API cannot do from segments; they and the border outputs run the scalar loop.
     *
     * @param x the image's memory, float32
     * @param xOff element offset of the plane's pixel (0, 0)
     * @param xsH element stride between image rows
     * @param xsW element stride between image columns
     * @param w the image width
     * @param g the window geometry
     * @param rows the tap ranges along the height
     * @param cols the tap ranges along the width
     * @param out the output's memory, float32, written
     * @param oOff element offset of the output's pixel (0, 0)
     * @param osH element stride between output rows
     * @param osW element stride between output columns
     * @param idx the indices' memory, I32, written with each maximum's in-plane position y·w + x
     * @param iOff element offset of the first index
     * @param isH element stride between index rows
     * @param isW element stride between index columns
     */
    public static void maxPoolPlane(MemorySegment x, long xOff, long xsH, long xsW, int w,
                                    Conv2dGeometry g, Taps rows, Taps cols,
                                    MemorySegment out, long oOff, long osH, long osW,
                                    MemorySegment idx, long iOff, long isH, long isW) {
        int outH = rows.lo().length, outW = cols.lo().length;
        boolean vector = g.strideW() == 1 && xsW == 1 && osW == 1 && isW == 1;
        // Outputs with every column tap in the image: ow − padW ≥ 0 and ow − padW + (kW−1)·dW < w.
        int interiorLo = Math.min(g.padW(), outW);
        int interiorHi = (int) Math.clamp(w - (long) (g.kernelW() - 1) * g.dilationW() + g.padW(), interiorLo, outW);
        for (int oh = 0; oh < outH; oh++) {
            long oRow = oOff + oh * osH, iRow = iOff + oh * isH;
            int ow = 0;
            if (vector) {
                for (; ow < interiorLo; ow++) {
                    maxPoolOne(x, xOff, xsH, xsW, w, g, rows, cols, oh, ow, out, oRow + ow * osW, idx, iRow + ow * isW);
                }
                for (; ow + FloatSpecies.LANES <= interiorHi; ow += FloatSpecies.LANES) {
                    maxPoolLanes(x, xOff, xsH, w, g, rows, oh, ow, out, oRow + ow, idx, iRow + ow);
                }
            }
            for (; ow < outW; ow++) {
                maxPoolOne(x, xOff, xsH, xsW, w, g, rows, cols, oh, ow, out, oRow + ow * osW, idx, iRow + ow * isW);
            }
        }
    }

    /** One output of {@link #maxPoolPlane}, written at element offsets {@code oAt} and {@code iAt}. */
    private static void maxPoolOne(MemorySegment x, long xOff, long xsH, long xsW, int w, Conv2dGeometry g,
                                   Taps rows, Taps cols, int oh, int ow,
                                   MemorySegment out, long oAt, MemorySegment idx, long iAt) {
        int y0 = oh * g.strideH() - g.padH();
        int x0 = ow * g.strideW() - g.padW();
        int kjLo = cols.lo()[ow], kjHi = cols.hi()[ow];
        float best = Float.NEGATIVE_INFINITY;
        int bestIndex = (y0 + rows.lo()[oh] * g.dilationH()) * w + x0 + kjLo * g.dilationW();
        for (int ki = rows.lo()[oh]; ki < rows.hi()[oh]; ki++) {
            int y = y0 + ki * g.dilationH();
            long rowOff = xOff + y * xsH;
            for (int kj = kjLo; kj < kjHi; kj++) {
                int xx = x0 + kj * g.dilationW();
                float v = x.getAtIndex(F, rowOff + xx * xsW);
                if (v > best || v != v) {
                    best = v;
                    bestIndex = y * w + xx;
                }
            }
        }
        out.setAtIndex(F, oAt, best);
        idx.setAtIndex(I, iAt, bestIndex);
    }

    /**
     * Outputs ow … ow+LANES−1 of row oh of {@link #maxPoolPlane}, all column taps in the image, input,
     * out and idx unit-stride along the row; written from element offsets {@code oAt} and {@code iAt}.
     */
    private static void maxPoolLanes(MemorySegment x, long xOff, long xsH, int w, Conv2dGeometry g, Taps rows,
                                     int oh, int ow, MemorySegment out, long oAt, MemorySegment idx, long iAt) {
        int y0 = oh * g.strideH() - g.padH();
        int x0 = ow - g.padW();
        IntVector lane = IntVector.zero(FloatSpecies.I).addIndex(1);
        FloatVector best = FloatVector.broadcast(FloatSpecies.F, Float.NEGATIVE_INFINITY);
        IntVector bestIndex = lane.add((y0 + rows.lo()[oh] * g.dilationH()) * w + x0);
        for (int ki = rows.lo()[oh]; ki < rows.hi()[oh]; ki++) {
            int y = y0 + ki * g.dilationH();
            long rowOff = xOff + y * xsH;
            for (int kj = 0; kj < g.kernelW(); kj++) {
                int xx = x0 + kj * g.dilationW();
                FloatVector v = FloatVector.fromMemorySegment(FloatSpecies.F, x, (rowOff + xx) * Float.BYTES, ORDER);
                VectorMask<Float> replace = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                best = best.blend(v, replace);
                bestIndex = bestIndex.blend(lane.add(y * w + xx), replace.cast(FloatSpecies.I));
            }
        }
        best.intoMemorySegment(out, oAt * Float.BYTES, ORDER);
        bestIndex.intoMemorySegment(idx, iAt * Integer.BYTES, ORDER);
    }

    /**
     * Scatter-adds one plane's gradient at its argmax indices after zeroing the gradInput plane.
     *
     * @param go the output gradient's memory, float32
     * @param gOff element offset of the output gradient's (0, 0)
     * @param gsH element stride between output-gradient rows
     * @param gsW element stride between output-gradient columns
     * @param outH the output height
     * @param outW the output width
     * @param idx the indices' memory, I32
     * @param iOff element offset of the first index
     * @param isH element stride between index rows
     * @param isW element stride between index columns
     * @param gi the input gradient's memory, written (zeroed first)
     * @param xOff element offset of the input gradient's pixel (0, 0)
     * @param xsH element stride between input-gradient rows
     * @param xsW element stride between input-gradient columns
     * @param h the image height
     * @param w the image width
     * @return −1 when all indices lie in [0, h·w), else the position oh·outW + ow of the first bad one
     *         (the plane is then partly written)
     */
    public static long maxPoolBackwardPlane(MemorySegment go, long gOff, long gsH, long gsW, int outH, int outW,
                                            MemorySegment idx, long iOff, long isH, long isW,
                                            MemorySegment gi, long xOff, long xsH, long xsW, int h, int w) {
        zeroPlane(gi, xOff, xsH, xsW, h, w);
        int plane = h * w;
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                int index = idx.getAtIndex(I, iOff + oh * isH + ow * isW);
                if (index < 0 || index >= plane) {
                    return (long) oh * outW + ow;
                }
                int y = index / w;
                long d = xOff + y * xsH + (index - y * w) * xsW;
                gi.setAtIndex(F, d, gi.getAtIndex(F, d) + go.getAtIndex(F, gOff + oh * gsH + ow * gsW));
            }
        }
        return -1;
    }

    /**
     * Average-pools one plane: a float sum over the in-image taps in (ki, kj) order, divided (one
     * rounding) by kH·kW or by the in-image tap count.
     *
     * @param x the image's memory, float32
     * @param xOff element offset of the plane's pixel (0, 0)
     * @param xsH element stride between image rows
     * @param xsW element stride between image columns
     * @param g the window geometry
     * @param countIncludePad whether the divisor is kH·kW rather than the in-image tap count
     * @param rows the tap ranges along the height
     * @param cols the tap ranges along the width
     * @param out the output's memory, float32, written
     * @param oOff element offset of the output's pixel (0, 0)
     * @param osH element stride between output rows
     * @param osW element stride between output columns
     */
    public static void avgPoolPlane(MemorySegment x, long xOff, long xsH, long xsW,
                                    Conv2dGeometry g, boolean countIncludePad, Taps rows, Taps cols,
                                    MemorySegment out, long oOff, long osH, long osW) {
        int outH = rows.lo().length, outW = cols.lo().length;
        for (int oh = 0; oh < outH; oh++) {
            int y0 = oh * g.strideH() - g.padH();
            int kiLo = rows.lo()[oh], kiHi = rows.hi()[oh];
            for (int ow = 0; ow < outW; ow++) {
                int x0 = ow * g.strideW() - g.padW();
                int kjLo = cols.lo()[ow], kjHi = cols.hi()[ow];
                float sum = 0f;
                for (int ki = kiLo; ki < kiHi; ki++) {
                    long rowOff = xOff + (y0 + ki * g.dilationH()) * xsH;
                    for (int kj = kjLo; kj < kjHi; kj++) {
                        sum += x.getAtIndex(F, rowOff + (x0 + kj * g.dilationW()) * xsW);
                    }
                }
                int divisor = countIncludePad ? g.kernelH() * g.kernelW() : (kiHi - kiLo) * (kjHi - kjLo);
                out.setAtIndex(F, oOff + oh * osH + ow * osW, sum / divisor);
            }
        }
    }

    /**
     * Adjoint of {@link #avgPoolPlane}: zeroes the plane, then adds gradOut/divisor onto each window's pixels.
     *
     * @param go the output gradient's memory, float32
     * @param gOff element offset of the output gradient's (0, 0)
     * @param gsH element stride between output-gradient rows
     * @param gsW element stride between output-gradient columns
     * @param g the window geometry
     * @param countIncludePad whether the divisor is kH·kW rather than the in-image tap count
     * @param rows the tap ranges along the height
     * @param cols the tap ranges along the width
     * @param gi the input gradient's memory, written (zeroed first)
     * @param xOff element offset of the input gradient's pixel (0, 0)
     * @param xsH element stride between input-gradient rows
     * @param xsW element stride between input-gradient columns
     * @param h the image height
     * @param w the image width
     */
    public static void avgPoolBackwardPlane(MemorySegment go, long gOff, long gsH, long gsW,
                                            Conv2dGeometry g, boolean countIncludePad, Taps rows, Taps cols,
                                            MemorySegment gi, long xOff, long xsH, long xsW, int h, int w) {
        zeroPlane(gi, xOff, xsH, xsW, h, w);
        int outH = rows.lo().length, outW = cols.lo().length;
        for (int oh = 0; oh < outH; oh++) {
            int y0 = oh * g.strideH() - g.padH();
            int kiLo = rows.lo()[oh], kiHi = rows.hi()[oh];
            for (int ow = 0; ow < outW; ow++) {
                int x0 = ow * g.strideW() - g.padW();
                int kjLo = cols.lo()[ow], kjHi = cols.hi()[ow];
                int divisor = countIncludePad ? g.kernelH() * g.kernelW() : (kiHi - kiLo) * (kjHi - kjLo);
                float share = go.getAtIndex(F, gOff + oh * gsH + ow * gsW) / divisor;
                for (int ki = kiLo; ki < kiHi; ki++) {
                    long rowOff = xOff + (y0 + ki * g.dilationH()) * xsH;
                    for (int kj = kjLo; kj < kjHi; kj++) {
                        long d = rowOff + (x0 + kj * g.dilationW()) * xsW;
                        gi.setAtIndex(F, d, gi.getAtIndex(F, d) + share);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void zero(MemorySegment s, long off, long stride, int n) {
        for (int i = 0; i < n; i++) {
            s.setAtIndex(F, off + i * stride, 0f);
        }
    }

    private static void zeroPlane(MemorySegment s, long off, long sH, long sW, int h, int w) {
        for (int y = 0; y < h; y++) {
            long row = off + y * sH;
            if (sW == 1) {
                s.asSlice(row * Float.BYTES, (long) w * Float.BYTES).fill((byte) 0);
            } else {
                zero(s, row, sW, w);
            }
        }
    }
}
