package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transposes that pack {@link GemmF32}'s panels when the operand's storage runs the other way:
 * the MR rows of a row-major A panel (each k step's MR values must end up together), and the NR columns of
 * a transposed B (a weight stored [n, k], as in x·Wᵀ). Each moves 8 k steps at a time through 256-bit
 * registers with two-input lane shuffles ({@code vpermps} + blend on AVX2), instead of the scalar loop that
 * reads one float and writes it MR (or NR) floats away: AVX2 has no scatter, and that loop cost about 4×
 * as much as the transpose (n = 256, one Zen 3 core: packing A 61 µs scalar, 16 µs here, against 360 µs for
 * the whole product's micro-kernels).
 *
 * <p>Only used where 256-bit vectors are native ({@link #AVAILABLE}); otherwise {@link GemmF32} keeps its
 * scalar loops. A transpose only moves floats, so the packed panels are bit-identical either way.
 */
final class PanelTranspose {
    /** Whether the hardware has 256-bit float vectors (AVX2, AVX-512, SVE-256 or wider). */
    static final boolean AVAILABLE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    // Lane i of a two-input shuffle picks lane i of the first vector below 8, lane i-8 of the second at 8+.
    /** Interleaves the low halves: [x0 y0 x1 y1 x2 y2 x3 y3]. */
    private static final VectorShuffle<Float> PAIRS_LO = VectorShuffle.fromValues(S, 0, 8, 1, 9, 2, 10, 3, 11);
    /** Interleaves the high halves: [x4 y4 x5 y5 x6 y6 x7 y7]. */
    private static final VectorShuffle<Float> PAIRS_HI = VectorShuffle.fromValues(S, 4, 12, 5, 13, 6, 14, 7, 15);
    /** Interleaves pairs of the low halves: [x0 x1 y0 y1 x2 x3 y2 y3]. */
    private static final VectorShuffle<Float> QUADS_LO = VectorShuffle.fromValues(S, 0, 1, 8, 9, 2, 3, 10, 11);
    /** Interleaves pairs of the high halves: [x4 x5 y4 y5 x6 x7 y6 y7]. */
    private static final VectorShuffle<Float> QUADS_HI = VectorShuffle.fromValues(S, 4, 5, 12, 13, 6, 7, 14, 15);
    /** The low 128-bit halves side by side: [x0 x1 x2 x3 y0 y1 y2 y3]. */
    private static final VectorShuffle<Float> HALVES_LO = VectorShuffle.fromValues(S, 0, 1, 2, 3, 8, 9, 10, 11);
    /** The high 128-bit halves side by side: [x4 x5 x6 x7 y4 y5 y6 y7]. */
    private static final VectorShuffle<Float> HALVES_HI = VectorShuffle.fromValues(S, 4, 5, 6, 7, 12, 13, 14, 15);

    private PanelTranspose() {
    }

    /**
     * Packs 4 full rows of a row-major A panel: {@code dst[at + 4p + i]} = the float at byte
     * {@code src + i·rowBytes + 4p} of {@code seg}, for i &lt; 4 and p &lt; kc.
     */
    static void rows4(MemorySegment seg, long src, long rowBytes, int kc, float[] dst, int at) {
        int p = 0;
        for (long b = src; p + 8 <= kc; p += 8, b += 32, at += 32) {
            FloatVector r0 = FloatVector.fromMemorySegment(S, seg, b, NATIVE);
            FloatVector r1 = FloatVector.fromMemorySegment(S, seg, b + rowBytes, NATIVE);
            FloatVector r2 = FloatVector.fromMemorySegment(S, seg, b + 2 * rowBytes, NATIVE);
            FloatVector r3 = FloatVector.fromMemorySegment(S, seg, b + 3 * rowBytes, NATIVE);
            // rows 0,1 and rows 2,3 interleaved: [r0p0 r1p0 r0p1 r1p1 …]
            FloatVector t0 = r0.rearrange(PAIRS_LO, r1);
            FloatVector t1 = r0.rearrange(PAIRS_HI, r1);
            FloatVector t2 = r2.rearrange(PAIRS_LO, r3);
            FloatVector t3 = r2.rearrange(PAIRS_HI, r3);
            // then the pairs interleaved: [r0p0 r1p0 r2p0 r3p0 r0p1 r1p1 r2p1 r3p1], two k steps per vector
            t0.rearrange(QUADS_LO, t2).intoArray(dst, at);
            t0.rearrange(QUADS_HI, t2).intoArray(dst, at + 8);
            t1.rearrange(QUADS_LO, t3).intoArray(dst, at + 16);
            t1.rearrange(QUADS_HI, t3).intoArray(dst, at + 24);
        }
        for (; p < kc; p++, at += 4) { // the last kc mod 8 steps
            for (int i = 0; i < 4; i++) {
                dst[at + i] = seg.get(FL, src + i * rowBytes + 4L * p);
            }
        }
    }

    /**
     * Packs a full panel of {@code tileNr} columns (a multiple of 8) of a B whose columns are contiguous:
     * the float at byte {@code dst + 4(p·tileNr + j)} of {@code out} = the float at byte
     * {@code src + j·colBytes + 4p} of {@code seg}, for j &lt; tileNr and p &lt; kc.
     */
    static void columns(MemorySegment seg, long src, long colBytes, int kc, int tileNr, MemorySegment out, long dst) {
        long rowOut = 4L * tileNr;
        for (int g = 0; g < tileNr; g += 8) {
            long col = src + g * colBytes;
            long o = dst + 4L * g;
            int p = 0;
            for (long b = col; p + 8 <= kc; p += 8, b += 32, o += 8 * rowOut) {
                transpose8(seg, b, colBytes, out, o, rowOut);
            }
            for (; p < kc; p++, o += rowOut) { // the last kc mod 8 steps
                for (int j = 0; j < 8; j++) {
                    out.set(FL, o + 4L * j, seg.get(FL, col + j * colBytes + 4L * p));
                }
            }
        }
    }

    /** An 8×8 block: row q of the output (at {@code o + q·rowOut}) is element q of the 8 input rows. */
    private static void transpose8(MemorySegment seg, long b, long inRow, MemorySegment out, long o, long rowOut) {
        FloatVector r0 = FloatVector.fromMemorySegment(S, seg, b, NATIVE);
        FloatVector r1 = FloatVector.fromMemorySegment(S, seg, b + inRow, NATIVE);
        FloatVector r2 = FloatVector.fromMemorySegment(S, seg, b + 2 * inRow, NATIVE);
        FloatVector r3 = FloatVector.fromMemorySegment(S, seg, b + 3 * inRow, NATIVE);
        FloatVector r4 = FloatVector.fromMemorySegment(S, seg, b + 4 * inRow, NATIVE);
        FloatVector r5 = FloatVector.fromMemorySegment(S, seg, b + 5 * inRow, NATIVE);
        FloatVector r6 = FloatVector.fromMemorySegment(S, seg, b + 6 * inRow, NATIVE);
        FloatVector r7 = FloatVector.fromMemorySegment(S, seg, b + 7 * inRow, NATIVE);
        FloatVector t0 = r0.rearrange(PAIRS_LO, r1);
        FloatVector t1 = r0.rearrange(PAIRS_HI, r1);
        FloatVector t2 = r2.rearrange(PAIRS_LO, r3);
        FloatVector t3 = r2.rearrange(PAIRS_HI, r3);
        FloatVector t4 = r4.rearrange(PAIRS_LO, r5);
        FloatVector t5 = r4.rearrange(PAIRS_HI, r5);
        FloatVector t6 = r6.rearrange(PAIRS_LO, r7);
        FloatVector t7 = r6.rearrange(PAIRS_HI, r7);
        // u0: elements 0,1 of rows 0-3; u1: elements 2,3; u2: 4,5; u3: 6,7; u4…u7 the same for rows 4-7
        FloatVector u0 = t0.rearrange(QUADS_LO, t2);
        FloatVector u1 = t0.rearrange(QUADS_HI, t2);
        FloatVector u2 = t1.rearrange(QUADS_LO, t3);
        FloatVector u3 = t1.rearrange(QUADS_HI, t3);
        FloatVector u4 = t4.rearrange(QUADS_LO, t6);
        FloatVector u5 = t4.rearrange(QUADS_HI, t6);
        FloatVector u6 = t5.rearrange(QUADS_LO, t7);
        FloatVector u7 = t5.rearrange(QUADS_HI, t7);
        u0.rearrange(HALVES_LO, u4).intoMemorySegment(out, o, NATIVE);
        u0.rearrange(HALVES_HI, u4).intoMemorySegment(out, o + rowOut, NATIVE);
        u1.rearrange(HALVES_LO, u5).intoMemorySegment(out, o + 2 * rowOut, NATIVE);
        u1.rearrange(HALVES_HI, u5).intoMemorySegment(out, o + 3 * rowOut, NATIVE);
        u2.rearrange(HALVES_LO, u6).intoMemorySegment(out, o + 4 * rowOut, NATIVE);
        u2.rearrange(HALVES_HI, u6).intoMemorySegment(out, o + 5 * rowOut, NATIVE);
        u3.rearrange(HALVES_LO, u7).intoMemorySegment(out, o + 6 * rowOut, NATIVE);
        u3.rearrange(HALVES_HI, u7).intoMemorySegment(out, o + 7 * rowOut, NATIVE);
    }
}
