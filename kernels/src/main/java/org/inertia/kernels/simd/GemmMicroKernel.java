package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernels of {@link GemmF32}: an MR×NR tile of C,
 * C_tile ← α·Ã·B̃ + β·C_tile, where Ã is an MR-row panel (kc steps of MR floats) and B̃ an NR-column panel
 * (kc steps of NR floats), both packed contiguously by {@link GemmF32}.
 *
 * <p>One hand-unrolled method per {@link GemmTile} shape, because C2 keeps a vector in a register only
 * when it is a distinct local; the tile is chosen to fit the machine's register file
 * ({@link GemmBlocking}). The methods are written by {@code kernels/tools/gemm_microkernels.py}: change the
 * generator, not the methods. Each k step issues NRV vector loads of B, MR broadcasts of A and MR·NRV
 * independent FMAs.
 *
 * <p>Where the panels live: Ã in a {@code float[]} (scalar broadcasts, which C2 bounds-checks once per loop),
 * B̃ in 64-byte aligned native memory, so no vector load splits a cache line. (A {@code float[]}'s data
 * starts 16 bytes into the object, wherever the GC put it, which made the same run vary between 45 and 80
 * GFLOP/s; and scalar reads from a native segment kept a bounds check per broadcast in the loop.)
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatSpecies.F;
    static final int L = FloatSpecies.LANES;

    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private GemmMicroKernel() {
    }

    /**
     * Multiplies the packed panels ap[aBase…] (kc×MR) and bp[bBase…] (kc×NR) of the given tile shape and
     * writes the mr×nr top-left part to C at element offset cOff (row stride cRs, column stride cCs):
     * c ← α·acc + β·c, with C not read when {@code beta == 0}. {@code tile} is MR·NR floats of scratch.
     */
    static void tile(GemmTile shape, int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha,
            float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        switch (shape) {
            case T8X3 -> tile8x3(kc, ap, aBase, bp, bBase, alpha, beta, c, cOff, cRs, cCs, mr, nr, tile);
            case T6X3 -> tile6x3(kc, ap, aBase, bp, bBase, alpha, beta, c, cOff, cRs, cCs, mr, nr, tile);
            case T8X2 -> tile8x2(kc, ap, aBase, bp, bBase, alpha, beta, c, cOff, cRs, cCs, mr, nr, tile);
            case T6X2 -> tile6x2(kc, ap, aBase, bp, bBase, alpha, beta, c, cOff, cRs, cCs, mr, nr, tile);
            case T4X3 -> tile4x3(kc, ap, aBase, bp, bBase, alpha, beta, c, cOff, cRs, cCs, mr, nr, tile);
            case T4X2 -> tile4x2(kc, ap, aBase, bp, bBase, alpha, beta, c, cOff, cRs, cCs, mr, nr, tile);
            case T3X3 -> tile3x3(kc, ap, aBase, bp, bBase, alpha, beta, c, cOff, cRs, cCs, mr, nr, tile);
        }
    }

    /** The 8×3-vector tile: 24 accumulators and 3 B vectors in registers. */
    private static void tile8x3(int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha, float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        final int tileNr = 3 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        FloatVector c60 = c00, c61 = c00, c62 = c00;
        FloatVector c70 = c00, c71 = c00, c72 = c00;
        int ai = aBase;
        long bOff = bBase * 4;
        for (int p = 0; p < kc; p++, ai += 8) {
            long bi = bOff + p * (12L * L);
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bi, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bi + 4L * L, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(S, bp, bi + 8L * L, NATIVE);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            c52 = a.fma(b2, c52);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            c62 = a.fma(b2, c62);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            c72 = a.fma(b2, c72);
        }
        if (mr == 8 && nr == tileNr && cCs == 1) {
            // A whole tile over unit-stride rows: straight from the accumulators to C, c ← α·acc (+ β·c).
            FloatVector va = FloatVector.broadcast(S, alpha);
            long row = cOff * 4;
            long rowStep = cRs * 4;
            if (beta == 0) { // C is not read: it may hold NaN
                c00.mul(va).intoMemorySegment(c, row, NATIVE);
                c01.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c02.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c10.mul(va).intoMemorySegment(c, row, NATIVE);
                c11.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c12.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c20.mul(va).intoMemorySegment(c, row, NATIVE);
                c21.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c22.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c30.mul(va).intoMemorySegment(c, row, NATIVE);
                c31.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c32.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c40.mul(va).intoMemorySegment(c, row, NATIVE);
                c41.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c42.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c50.mul(va).intoMemorySegment(c, row, NATIVE);
                c51.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c52.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c60.mul(va).intoMemorySegment(c, row, NATIVE);
                c61.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c62.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c70.mul(va).intoMemorySegment(c, row, NATIVE);
                c71.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c72.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
            } else {
                // Every load of the C tile before any store: with a row stride a multiple of 4 KiB, a load
                // after a store to another row looks dependent on it (4K aliasing) and waits for it.
                FloatVector vb = FloatVector.broadcast(S, beta);
                FloatVector d00 = FloatVector.fromMemorySegment(S, c, row, NATIVE);
                FloatVector d01 = FloatVector.fromMemorySegment(S, c, row + 4L * L, NATIVE);
                FloatVector d02 = FloatVector.fromMemorySegment(S, c, row + 8L * L, NATIVE);
                FloatVector d10 = FloatVector.fromMemorySegment(S, c, row + rowStep, NATIVE);
                FloatVector d11 = FloatVector.fromMemorySegment(S, c, row + rowStep + 4L * L, NATIVE);
                FloatVector d12 = FloatVector.fromMemorySegment(S, c, row + rowStep + 8L * L, NATIVE);
                FloatVector d20 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep, NATIVE);
                FloatVector d21 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 4L * L, NATIVE);
                FloatVector d22 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 8L * L, NATIVE);
                FloatVector d30 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep, NATIVE);
                FloatVector d31 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 4L * L, NATIVE);
                FloatVector d32 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 8L * L, NATIVE);
                FloatVector d40 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep, NATIVE);
                FloatVector d41 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep + 4L * L, NATIVE);
                FloatVector d42 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep + 8L * L, NATIVE);
                FloatVector d50 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep, NATIVE);
                FloatVector d51 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep + 4L * L, NATIVE);
                FloatVector d52 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep + 8L * L, NATIVE);
                FloatVector d60 = FloatVector.fromMemorySegment(S, c, row + 6 * rowStep, NATIVE);
                FloatVector d61 = FloatVector.fromMemorySegment(S, c, row + 6 * rowStep + 4L * L, NATIVE);
                FloatVector d62 = FloatVector.fromMemorySegment(S, c, row + 6 * rowStep + 8L * L, NATIVE);
                FloatVector d70 = FloatVector.fromMemorySegment(S, c, row + 7 * rowStep, NATIVE);
                FloatVector d71 = FloatVector.fromMemorySegment(S, c, row + 7 * rowStep + 4L * L, NATIVE);
                FloatVector d72 = FloatVector.fromMemorySegment(S, c, row + 7 * rowStep + 8L * L, NATIVE);
                d00.fma(vb, c00.mul(va)).intoMemorySegment(c, row, NATIVE);
                d01.fma(vb, c01.mul(va)).intoMemorySegment(c, row + 4L * L, NATIVE);
                d02.fma(vb, c02.mul(va)).intoMemorySegment(c, row + 8L * L, NATIVE);
                d10.fma(vb, c10.mul(va)).intoMemorySegment(c, row + rowStep, NATIVE);
                d11.fma(vb, c11.mul(va)).intoMemorySegment(c, row + rowStep + 4L * L, NATIVE);
                d12.fma(vb, c12.mul(va)).intoMemorySegment(c, row + rowStep + 8L * L, NATIVE);
                d20.fma(vb, c20.mul(va)).intoMemorySegment(c, row + 2 * rowStep, NATIVE);
                d21.fma(vb, c21.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 4L * L, NATIVE);
                d22.fma(vb, c22.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 8L * L, NATIVE);
                d30.fma(vb, c30.mul(va)).intoMemorySegment(c, row + 3 * rowStep, NATIVE);
                d31.fma(vb, c31.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 4L * L, NATIVE);
                d32.fma(vb, c32.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 8L * L, NATIVE);
                d40.fma(vb, c40.mul(va)).intoMemorySegment(c, row + 4 * rowStep, NATIVE);
                d41.fma(vb, c41.mul(va)).intoMemorySegment(c, row + 4 * rowStep + 4L * L, NATIVE);
                d42.fma(vb, c42.mul(va)).intoMemorySegment(c, row + 4 * rowStep + 8L * L, NATIVE);
                d50.fma(vb, c50.mul(va)).intoMemorySegment(c, row + 5 * rowStep, NATIVE);
                d51.fma(vb, c51.mul(va)).intoMemorySegment(c, row + 5 * rowStep + 4L * L, NATIVE);
                d52.fma(vb, c52.mul(va)).intoMemorySegment(c, row + 5 * rowStep + 8L * L, NATIVE);
                d60.fma(vb, c60.mul(va)).intoMemorySegment(c, row + 6 * rowStep, NATIVE);
                d61.fma(vb, c61.mul(va)).intoMemorySegment(c, row + 6 * rowStep + 4L * L, NATIVE);
                d62.fma(vb, c62.mul(va)).intoMemorySegment(c, row + 6 * rowStep + 8L * L, NATIVE);
                d70.fma(vb, c70.mul(va)).intoMemorySegment(c, row + 7 * rowStep, NATIVE);
                d71.fma(vb, c71.mul(va)).intoMemorySegment(c, row + 7 * rowStep + 4L * L, NATIVE);
                d72.fma(vb, c72.mul(va)).intoMemorySegment(c, row + 7 * rowStep + 8L * L, NATIVE);
            }
            return;
        }
        // An edge or strided tile: spill through the scratch tile, inline here: a vector passed to a call
        // that C2 does not inline gets boxed, and the box allocation then moves into the k loop.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, tileNr);
        c11.intoArray(tile, tileNr + L);
        c12.intoArray(tile, tileNr + 2 * L);
        c20.intoArray(tile, 2 * tileNr);
        c21.intoArray(tile, 2 * tileNr + L);
        c22.intoArray(tile, 2 * tileNr + 2 * L);
        c30.intoArray(tile, 3 * tileNr);
        c31.intoArray(tile, 3 * tileNr + L);
        c32.intoArray(tile, 3 * tileNr + 2 * L);
        c40.intoArray(tile, 4 * tileNr);
        c41.intoArray(tile, 4 * tileNr + L);
        c42.intoArray(tile, 4 * tileNr + 2 * L);
        c50.intoArray(tile, 5 * tileNr);
        c51.intoArray(tile, 5 * tileNr + L);
        c52.intoArray(tile, 5 * tileNr + 2 * L);
        c60.intoArray(tile, 6 * tileNr);
        c61.intoArray(tile, 6 * tileNr + L);
        c62.intoArray(tile, 6 * tileNr + 2 * L);
        c70.intoArray(tile, 7 * tileNr);
        c71.intoArray(tile, 7 * tileNr + L);
        c72.intoArray(tile, 7 * tileNr + 2 * L);
        writeBack(8, tileNr, tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);
    }

    /** The 6×3-vector tile: 18 accumulators and 3 B vectors in registers. */
    private static void tile6x3(int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha, float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        final int tileNr = 3 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        int ai = aBase;
        long bOff = bBase * 4;
        for (int p = 0; p < kc; p++, ai += 6) {
            long bi = bOff + p * (12L * L);
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bi, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bi + 4L * L, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(S, bp, bi + 8L * L, NATIVE);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            c52 = a.fma(b2, c52);
        }
        if (mr == 6 && nr == tileNr && cCs == 1) {
            // A whole tile over unit-stride rows: straight from the accumulators to C, c ← α·acc (+ β·c).
            FloatVector va = FloatVector.broadcast(S, alpha);
            long row = cOff * 4;
            long rowStep = cRs * 4;
            if (beta == 0) { // C is not read: it may hold NaN
                c00.mul(va).intoMemorySegment(c, row, NATIVE);
                c01.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c02.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c10.mul(va).intoMemorySegment(c, row, NATIVE);
                c11.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c12.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c20.mul(va).intoMemorySegment(c, row, NATIVE);
                c21.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c22.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c30.mul(va).intoMemorySegment(c, row, NATIVE);
                c31.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c32.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c40.mul(va).intoMemorySegment(c, row, NATIVE);
                c41.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c42.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c50.mul(va).intoMemorySegment(c, row, NATIVE);
                c51.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c52.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
            } else {
                // Every load of the C tile before any store: with a row stride a multiple of 4 KiB, a load
                // after a store to another row looks dependent on it (4K aliasing) and waits for it.
                FloatVector vb = FloatVector.broadcast(S, beta);
                FloatVector d00 = FloatVector.fromMemorySegment(S, c, row, NATIVE);
                FloatVector d01 = FloatVector.fromMemorySegment(S, c, row + 4L * L, NATIVE);
                FloatVector d02 = FloatVector.fromMemorySegment(S, c, row + 8L * L, NATIVE);
                FloatVector d10 = FloatVector.fromMemorySegment(S, c, row + rowStep, NATIVE);
                FloatVector d11 = FloatVector.fromMemorySegment(S, c, row + rowStep + 4L * L, NATIVE);
                FloatVector d12 = FloatVector.fromMemorySegment(S, c, row + rowStep + 8L * L, NATIVE);
                FloatVector d20 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep, NATIVE);
                FloatVector d21 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 4L * L, NATIVE);
                FloatVector d22 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 8L * L, NATIVE);
                FloatVector d30 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep, NATIVE);
                FloatVector d31 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 4L * L, NATIVE);
                FloatVector d32 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 8L * L, NATIVE);
                FloatVector d40 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep, NATIVE);
                FloatVector d41 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep + 4L * L, NATIVE);
                FloatVector d42 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep + 8L * L, NATIVE);
                FloatVector d50 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep, NATIVE);
                FloatVector d51 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep + 4L * L, NATIVE);
                FloatVector d52 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep + 8L * L, NATIVE);
                d00.fma(vb, c00.mul(va)).intoMemorySegment(c, row, NATIVE);
                d01.fma(vb, c01.mul(va)).intoMemorySegment(c, row + 4L * L, NATIVE);
                d02.fma(vb, c02.mul(va)).intoMemorySegment(c, row + 8L * L, NATIVE);
                d10.fma(vb, c10.mul(va)).intoMemorySegment(c, row + rowStep, NATIVE);
                d11.fma(vb, c11.mul(va)).intoMemorySegment(c, row + rowStep + 4L * L, NATIVE);
                d12.fma(vb, c12.mul(va)).intoMemorySegment(c, row + rowStep + 8L * L, NATIVE);
                d20.fma(vb, c20.mul(va)).intoMemorySegment(c, row + 2 * rowStep, NATIVE);
                d21.fma(vb, c21.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 4L * L, NATIVE);
                d22.fma(vb, c22.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 8L * L, NATIVE);
                d30.fma(vb, c30.mul(va)).intoMemorySegment(c, row + 3 * rowStep, NATIVE);
                d31.fma(vb, c31.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 4L * L, NATIVE);
                d32.fma(vb, c32.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 8L * L, NATIVE);
                d40.fma(vb, c40.mul(va)).intoMemorySegment(c, row + 4 * rowStep, NATIVE);
                d41.fma(vb, c41.mul(va)).intoMemorySegment(c, row + 4 * rowStep + 4L * L, NATIVE);
                d42.fma(vb, c42.mul(va)).intoMemorySegment(c, row + 4 * rowStep + 8L * L, NATIVE);
                d50.fma(vb, c50.mul(va)).intoMemorySegment(c, row + 5 * rowStep, NATIVE);
                d51.fma(vb, c51.mul(va)).intoMemorySegment(c, row + 5 * rowStep + 4L * L, NATIVE);
                d52.fma(vb, c52.mul(va)).intoMemorySegment(c, row + 5 * rowStep + 8L * L, NATIVE);
            }
            return;
        }
        // An edge or strided tile: spill through the scratch tile, inline here: a vector passed to a call
        // that C2 does not inline gets boxed, and the box allocation then moves into the k loop.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, tileNr);
        c11.intoArray(tile, tileNr + L);
        c12.intoArray(tile, tileNr + 2 * L);
        c20.intoArray(tile, 2 * tileNr);
        c21.intoArray(tile, 2 * tileNr + L);
        c22.intoArray(tile, 2 * tileNr + 2 * L);
        c30.intoArray(tile, 3 * tileNr);
        c31.intoArray(tile, 3 * tileNr + L);
        c32.intoArray(tile, 3 * tileNr + 2 * L);
        c40.intoArray(tile, 4 * tileNr);
        c41.intoArray(tile, 4 * tileNr + L);
        c42.intoArray(tile, 4 * tileNr + 2 * L);
        c50.intoArray(tile, 5 * tileNr);
        c51.intoArray(tile, 5 * tileNr + L);
        c52.intoArray(tile, 5 * tileNr + 2 * L);
        writeBack(6, tileNr, tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);
    }

    /** The 8×2-vector tile: 16 accumulators and 2 B vectors in registers. */
    private static void tile8x2(int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha, float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        final int tileNr = 2 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        int ai = aBase;
        long bOff = bBase * 4;
        for (int p = 0; p < kc; p++, ai += 8) {
            long bi = bOff + p * (8L * L);
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bi, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bi + 4L * L, NATIVE);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        if (mr == 8 && nr == tileNr && cCs == 1) {
            // A whole tile over unit-stride rows: straight from the accumulators to C, c ← α·acc (+ β·c).
            FloatVector va = FloatVector.broadcast(S, alpha);
            long row = cOff * 4;
            long rowStep = cRs * 4;
            if (beta == 0) { // C is not read: it may hold NaN
                c00.mul(va).intoMemorySegment(c, row, NATIVE);
                c01.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c10.mul(va).intoMemorySegment(c, row, NATIVE);
                c11.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c20.mul(va).intoMemorySegment(c, row, NATIVE);
                c21.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c30.mul(va).intoMemorySegment(c, row, NATIVE);
                c31.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c40.mul(va).intoMemorySegment(c, row, NATIVE);
                c41.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c50.mul(va).intoMemorySegment(c, row, NATIVE);
                c51.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c60.mul(va).intoMemorySegment(c, row, NATIVE);
                c61.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c70.mul(va).intoMemorySegment(c, row, NATIVE);
                c71.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
            } else {
                // Every load of the C tile before any store: with a row stride a multiple of 4 KiB, a load
                // after a store to another row looks dependent on it (4K aliasing) and waits for it.
                FloatVector vb = FloatVector.broadcast(S, beta);
                FloatVector d00 = FloatVector.fromMemorySegment(S, c, row, NATIVE);
                FloatVector d01 = FloatVector.fromMemorySegment(S, c, row + 4L * L, NATIVE);
                FloatVector d10 = FloatVector.fromMemorySegment(S, c, row + rowStep, NATIVE);
                FloatVector d11 = FloatVector.fromMemorySegment(S, c, row + rowStep + 4L * L, NATIVE);
                FloatVector d20 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep, NATIVE);
                FloatVector d21 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 4L * L, NATIVE);
                FloatVector d30 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep, NATIVE);
                FloatVector d31 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 4L * L, NATIVE);
                FloatVector d40 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep, NATIVE);
                FloatVector d41 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep + 4L * L, NATIVE);
                FloatVector d50 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep, NATIVE);
                FloatVector d51 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep + 4L * L, NATIVE);
                FloatVector d60 = FloatVector.fromMemorySegment(S, c, row + 6 * rowStep, NATIVE);
                FloatVector d61 = FloatVector.fromMemorySegment(S, c, row + 6 * rowStep + 4L * L, NATIVE);
                FloatVector d70 = FloatVector.fromMemorySegment(S, c, row + 7 * rowStep, NATIVE);
                FloatVector d71 = FloatVector.fromMemorySegment(S, c, row + 7 * rowStep + 4L * L, NATIVE);
                d00.fma(vb, c00.mul(va)).intoMemorySegment(c, row, NATIVE);
                d01.fma(vb, c01.mul(va)).intoMemorySegment(c, row + 4L * L, NATIVE);
                d10.fma(vb, c10.mul(va)).intoMemorySegment(c, row + rowStep, NATIVE);
                d11.fma(vb, c11.mul(va)).intoMemorySegment(c, row + rowStep + 4L * L, NATIVE);
                d20.fma(vb, c20.mul(va)).intoMemorySegment(c, row + 2 * rowStep, NATIVE);
                d21.fma(vb, c21.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 4L * L, NATIVE);
                d30.fma(vb, c30.mul(va)).intoMemorySegment(c, row + 3 * rowStep, NATIVE);
                d31.fma(vb, c31.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 4L * L, NATIVE);
                d40.fma(vb, c40.mul(va)).intoMemorySegment(c, row + 4 * rowStep, NATIVE);
                d41.fma(vb, c41.mul(va)).intoMemorySegment(c, row + 4 * rowStep + 4L * L, NATIVE);
                d50.fma(vb, c50.mul(va)).intoMemorySegment(c, row + 5 * rowStep, NATIVE);
                d51.fma(vb, c51.mul(va)).intoMemorySegment(c, row + 5 * rowStep + 4L * L, NATIVE);
                d60.fma(vb, c60.mul(va)).intoMemorySegment(c, row + 6 * rowStep, NATIVE);
                d61.fma(vb, c61.mul(va)).intoMemorySegment(c, row + 6 * rowStep + 4L * L, NATIVE);
                d70.fma(vb, c70.mul(va)).intoMemorySegment(c, row + 7 * rowStep, NATIVE);
                d71.fma(vb, c71.mul(va)).intoMemorySegment(c, row + 7 * rowStep + 4L * L, NATIVE);
            }
            return;
        }
        // An edge or strided tile: spill through the scratch tile, inline here: a vector passed to a call
        // that C2 does not inline gets boxed, and the box allocation then moves into the k loop.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, tileNr);
        c11.intoArray(tile, tileNr + L);
        c20.intoArray(tile, 2 * tileNr);
        c21.intoArray(tile, 2 * tileNr + L);
        c30.intoArray(tile, 3 * tileNr);
        c31.intoArray(tile, 3 * tileNr + L);
        c40.intoArray(tile, 4 * tileNr);
        c41.intoArray(tile, 4 * tileNr + L);
        c50.intoArray(tile, 5 * tileNr);
        c51.intoArray(tile, 5 * tileNr + L);
        c60.intoArray(tile, 6 * tileNr);
        c61.intoArray(tile, 6 * tileNr + L);
        c70.intoArray(tile, 7 * tileNr);
        c71.intoArray(tile, 7 * tileNr + L);
        writeBack(8, tileNr, tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);
    }

    /** The 6×2-vector tile: 12 accumulators and 2 B vectors in registers. */
    private static void tile6x2(int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha, float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        final int tileNr = 2 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        int ai = aBase;
        long bOff = bBase * 4;
        for (int p = 0; p < kc; p++, ai += 6) {
            long bi = bOff + p * (8L * L);
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bi, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bi + 4L * L, NATIVE);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        if (mr == 6 && nr == tileNr && cCs == 1) {
            // A whole tile over unit-stride rows: straight from the accumulators to C, c ← α·acc (+ β·c).
            FloatVector va = FloatVector.broadcast(S, alpha);
            long row = cOff * 4;
            long rowStep = cRs * 4;
            if (beta == 0) { // C is not read: it may hold NaN
                c00.mul(va).intoMemorySegment(c, row, NATIVE);
                c01.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c10.mul(va).intoMemorySegment(c, row, NATIVE);
                c11.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c20.mul(va).intoMemorySegment(c, row, NATIVE);
                c21.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c30.mul(va).intoMemorySegment(c, row, NATIVE);
                c31.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c40.mul(va).intoMemorySegment(c, row, NATIVE);
                c41.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c50.mul(va).intoMemorySegment(c, row, NATIVE);
                c51.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
            } else {
                // Every load of the C tile before any store: with a row stride a multiple of 4 KiB, a load
                // after a store to another row looks dependent on it (4K aliasing) and waits for it.
                FloatVector vb = FloatVector.broadcast(S, beta);
                FloatVector d00 = FloatVector.fromMemorySegment(S, c, row, NATIVE);
                FloatVector d01 = FloatVector.fromMemorySegment(S, c, row + 4L * L, NATIVE);
                FloatVector d10 = FloatVector.fromMemorySegment(S, c, row + rowStep, NATIVE);
                FloatVector d11 = FloatVector.fromMemorySegment(S, c, row + rowStep + 4L * L, NATIVE);
                FloatVector d20 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep, NATIVE);
                FloatVector d21 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 4L * L, NATIVE);
                FloatVector d30 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep, NATIVE);
                FloatVector d31 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 4L * L, NATIVE);
                FloatVector d40 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep, NATIVE);
                FloatVector d41 = FloatVector.fromMemorySegment(S, c, row + 4 * rowStep + 4L * L, NATIVE);
                FloatVector d50 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep, NATIVE);
                FloatVector d51 = FloatVector.fromMemorySegment(S, c, row + 5 * rowStep + 4L * L, NATIVE);
                d00.fma(vb, c00.mul(va)).intoMemorySegment(c, row, NATIVE);
                d01.fma(vb, c01.mul(va)).intoMemorySegment(c, row + 4L * L, NATIVE);
                d10.fma(vb, c10.mul(va)).intoMemorySegment(c, row + rowStep, NATIVE);
                d11.fma(vb, c11.mul(va)).intoMemorySegment(c, row + rowStep + 4L * L, NATIVE);
                d20.fma(vb, c20.mul(va)).intoMemorySegment(c, row + 2 * rowStep, NATIVE);
                d21.fma(vb, c21.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 4L * L, NATIVE);
                d30.fma(vb, c30.mul(va)).intoMemorySegment(c, row + 3 * rowStep, NATIVE);
                d31.fma(vb, c31.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 4L * L, NATIVE);
                d40.fma(vb, c40.mul(va)).intoMemorySegment(c, row + 4 * rowStep, NATIVE);
                d41.fma(vb, c41.mul(va)).intoMemorySegment(c, row + 4 * rowStep + 4L * L, NATIVE);
                d50.fma(vb, c50.mul(va)).intoMemorySegment(c, row + 5 * rowStep, NATIVE);
                d51.fma(vb, c51.mul(va)).intoMemorySegment(c, row + 5 * rowStep + 4L * L, NATIVE);
            }
            return;
        }
        // An edge or strided tile: spill through the scratch tile, inline here: a vector passed to a call
        // that C2 does not inline gets boxed, and the box allocation then moves into the k loop.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, tileNr);
        c11.intoArray(tile, tileNr + L);
        c20.intoArray(tile, 2 * tileNr);
        c21.intoArray(tile, 2 * tileNr + L);
        c30.intoArray(tile, 3 * tileNr);
        c31.intoArray(tile, 3 * tileNr + L);
        c40.intoArray(tile, 4 * tileNr);
        c41.intoArray(tile, 4 * tileNr + L);
        c50.intoArray(tile, 5 * tileNr);
        c51.intoArray(tile, 5 * tileNr + L);
        writeBack(6, tileNr, tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);
    }

    /** The 4×3-vector tile: 12 accumulators and 3 B vectors in registers. */
    private static void tile4x3(int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha, float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        final int tileNr = 3 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        int ai = aBase;
        long bOff = bBase * 4;
        for (int p = 0; p < kc; p++, ai += 4) {
            long bi = bOff + p * (12L * L);
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bi, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bi + 4L * L, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(S, bp, bi + 8L * L, NATIVE);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
        }
        if (mr == 4 && nr == tileNr && cCs == 1) {
            // A whole tile over unit-stride rows: straight from the accumulators to C, c ← α·acc (+ β·c).
            FloatVector va = FloatVector.broadcast(S, alpha);
            long row = cOff * 4;
            long rowStep = cRs * 4;
            if (beta == 0) { // C is not read: it may hold NaN
                c00.mul(va).intoMemorySegment(c, row, NATIVE);
                c01.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c02.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c10.mul(va).intoMemorySegment(c, row, NATIVE);
                c11.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c12.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c20.mul(va).intoMemorySegment(c, row, NATIVE);
                c21.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c22.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c30.mul(va).intoMemorySegment(c, row, NATIVE);
                c31.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c32.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
            } else {
                // Every load of the C tile before any store: with a row stride a multiple of 4 KiB, a load
                // after a store to another row looks dependent on it (4K aliasing) and waits for it.
                FloatVector vb = FloatVector.broadcast(S, beta);
                FloatVector d00 = FloatVector.fromMemorySegment(S, c, row, NATIVE);
                FloatVector d01 = FloatVector.fromMemorySegment(S, c, row + 4L * L, NATIVE);
                FloatVector d02 = FloatVector.fromMemorySegment(S, c, row + 8L * L, NATIVE);
                FloatVector d10 = FloatVector.fromMemorySegment(S, c, row + rowStep, NATIVE);
                FloatVector d11 = FloatVector.fromMemorySegment(S, c, row + rowStep + 4L * L, NATIVE);
                FloatVector d12 = FloatVector.fromMemorySegment(S, c, row + rowStep + 8L * L, NATIVE);
                FloatVector d20 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep, NATIVE);
                FloatVector d21 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 4L * L, NATIVE);
                FloatVector d22 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 8L * L, NATIVE);
                FloatVector d30 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep, NATIVE);
                FloatVector d31 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 4L * L, NATIVE);
                FloatVector d32 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 8L * L, NATIVE);
                d00.fma(vb, c00.mul(va)).intoMemorySegment(c, row, NATIVE);
                d01.fma(vb, c01.mul(va)).intoMemorySegment(c, row + 4L * L, NATIVE);
                d02.fma(vb, c02.mul(va)).intoMemorySegment(c, row + 8L * L, NATIVE);
                d10.fma(vb, c10.mul(va)).intoMemorySegment(c, row + rowStep, NATIVE);
                d11.fma(vb, c11.mul(va)).intoMemorySegment(c, row + rowStep + 4L * L, NATIVE);
                d12.fma(vb, c12.mul(va)).intoMemorySegment(c, row + rowStep + 8L * L, NATIVE);
                d20.fma(vb, c20.mul(va)).intoMemorySegment(c, row + 2 * rowStep, NATIVE);
                d21.fma(vb, c21.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 4L * L, NATIVE);
                d22.fma(vb, c22.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 8L * L, NATIVE);
                d30.fma(vb, c30.mul(va)).intoMemorySegment(c, row + 3 * rowStep, NATIVE);
                d31.fma(vb, c31.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 4L * L, NATIVE);
                d32.fma(vb, c32.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 8L * L, NATIVE);
            }
            return;
        }
        // An edge or strided tile: spill through the scratch tile, inline here: a vector passed to a call
        // that C2 does not inline gets boxed, and the box allocation then moves into the k loop.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, tileNr);
        c11.intoArray(tile, tileNr + L);
        c12.intoArray(tile, tileNr + 2 * L);
        c20.intoArray(tile, 2 * tileNr);
        c21.intoArray(tile, 2 * tileNr + L);
        c22.intoArray(tile, 2 * tileNr + 2 * L);
        c30.intoArray(tile, 3 * tileNr);
        c31.intoArray(tile, 3 * tileNr + L);
        c32.intoArray(tile, 3 * tileNr + 2 * L);
        writeBack(4, tileNr, tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);
    }

    /** The 4×2-vector tile: 8 accumulators and 2 B vectors in registers. */
    private static void tile4x2(int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha, float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        final int tileNr = 2 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        int ai = aBase;
        long bOff = bBase * 4;
        for (int p = 0; p < kc; p++, ai += 4) {
            long bi = bOff + p * (8L * L);
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bi, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bi + 4L * L, NATIVE);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        if (mr == 4 && nr == tileNr && cCs == 1) {
            // A whole tile over unit-stride rows: straight from the accumulators to C, c ← α·acc (+ β·c).
            FloatVector va = FloatVector.broadcast(S, alpha);
            long row = cOff * 4;
            long rowStep = cRs * 4;
            if (beta == 0) { // C is not read: it may hold NaN
                c00.mul(va).intoMemorySegment(c, row, NATIVE);
                c01.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c10.mul(va).intoMemorySegment(c, row, NATIVE);
                c11.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c20.mul(va).intoMemorySegment(c, row, NATIVE);
                c21.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                row += rowStep;
                c30.mul(va).intoMemorySegment(c, row, NATIVE);
                c31.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
            } else {
                // Every load of the C tile before any store: with a row stride a multiple of 4 KiB, a load
                // after a store to another row looks dependent on it (4K aliasing) and waits for it.
                FloatVector vb = FloatVector.broadcast(S, beta);
                FloatVector d00 = FloatVector.fromMemorySegment(S, c, row, NATIVE);
                FloatVector d01 = FloatVector.fromMemorySegment(S, c, row + 4L * L, NATIVE);
                FloatVector d10 = FloatVector.fromMemorySegment(S, c, row + rowStep, NATIVE);
                FloatVector d11 = FloatVector.fromMemorySegment(S, c, row + rowStep + 4L * L, NATIVE);
                FloatVector d20 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep, NATIVE);
                FloatVector d21 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 4L * L, NATIVE);
                FloatVector d30 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep, NATIVE);
                FloatVector d31 = FloatVector.fromMemorySegment(S, c, row + 3 * rowStep + 4L * L, NATIVE);
                d00.fma(vb, c00.mul(va)).intoMemorySegment(c, row, NATIVE);
                d01.fma(vb, c01.mul(va)).intoMemorySegment(c, row + 4L * L, NATIVE);
                d10.fma(vb, c10.mul(va)).intoMemorySegment(c, row + rowStep, NATIVE);
                d11.fma(vb, c11.mul(va)).intoMemorySegment(c, row + rowStep + 4L * L, NATIVE);
                d20.fma(vb, c20.mul(va)).intoMemorySegment(c, row + 2 * rowStep, NATIVE);
                d21.fma(vb, c21.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 4L * L, NATIVE);
                d30.fma(vb, c30.mul(va)).intoMemorySegment(c, row + 3 * rowStep, NATIVE);
                d31.fma(vb, c31.mul(va)).intoMemorySegment(c, row + 3 * rowStep + 4L * L, NATIVE);
            }
            return;
        }
        // An edge or strided tile: spill through the scratch tile, inline here: a vector passed to a call
        // that C2 does not inline gets boxed, and the box allocation then moves into the k loop.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, tileNr);
        c11.intoArray(tile, tileNr + L);
        c20.intoArray(tile, 2 * tileNr);
        c21.intoArray(tile, 2 * tileNr + L);
        c30.intoArray(tile, 3 * tileNr);
        c31.intoArray(tile, 3 * tileNr + L);
        writeBack(4, tileNr, tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);
    }

    /** The 3×3-vector tile: 9 accumulators and 3 B vectors in registers. */
    private static void tile3x3(int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha, float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        final int tileNr = 3 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        int ai = aBase;
        long bOff = bBase * 4;
        for (int p = 0; p < kc; p++, ai += 3) {
            long bi = bOff + p * (12L * L);
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bi, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bi + 4L * L, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(S, bp, bi + 8L * L, NATIVE);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
        }
        if (mr == 3 && nr == tileNr && cCs == 1) {
            // A whole tile over unit-stride rows: straight from the accumulators to C, c ← α·acc (+ β·c).
            FloatVector va = FloatVector.broadcast(S, alpha);
            long row = cOff * 4;
            long rowStep = cRs * 4;
            if (beta == 0) { // C is not read: it may hold NaN
                c00.mul(va).intoMemorySegment(c, row, NATIVE);
                c01.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c02.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c10.mul(va).intoMemorySegment(c, row, NATIVE);
                c11.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c12.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
                row += rowStep;
                c20.mul(va).intoMemorySegment(c, row, NATIVE);
                c21.mul(va).intoMemorySegment(c, row + 4L * L, NATIVE);
                c22.mul(va).intoMemorySegment(c, row + 8L * L, NATIVE);
            } else {
                // Every load of the C tile before any store: with a row stride a multiple of 4 KiB, a load
                // after a store to another row looks dependent on it (4K aliasing) and waits for it.
                FloatVector vb = FloatVector.broadcast(S, beta);
                FloatVector d00 = FloatVector.fromMemorySegment(S, c, row, NATIVE);
                FloatVector d01 = FloatVector.fromMemorySegment(S, c, row + 4L * L, NATIVE);
                FloatVector d02 = FloatVector.fromMemorySegment(S, c, row + 8L * L, NATIVE);
                FloatVector d10 = FloatVector.fromMemorySegment(S, c, row + rowStep, NATIVE);
                FloatVector d11 = FloatVector.fromMemorySegment(S, c, row + rowStep + 4L * L, NATIVE);
                FloatVector d12 = FloatVector.fromMemorySegment(S, c, row + rowStep + 8L * L, NATIVE);
                FloatVector d20 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep, NATIVE);
                FloatVector d21 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 4L * L, NATIVE);
                FloatVector d22 = FloatVector.fromMemorySegment(S, c, row + 2 * rowStep + 8L * L, NATIVE);
                d00.fma(vb, c00.mul(va)).intoMemorySegment(c, row, NATIVE);
                d01.fma(vb, c01.mul(va)).intoMemorySegment(c, row + 4L * L, NATIVE);
                d02.fma(vb, c02.mul(va)).intoMemorySegment(c, row + 8L * L, NATIVE);
                d10.fma(vb, c10.mul(va)).intoMemorySegment(c, row + rowStep, NATIVE);
                d11.fma(vb, c11.mul(va)).intoMemorySegment(c, row + rowStep + 4L * L, NATIVE);
                d12.fma(vb, c12.mul(va)).intoMemorySegment(c, row + rowStep + 8L * L, NATIVE);
                d20.fma(vb, c20.mul(va)).intoMemorySegment(c, row + 2 * rowStep, NATIVE);
                d21.fma(vb, c21.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 4L * L, NATIVE);
                d22.fma(vb, c22.mul(va)).intoMemorySegment(c, row + 2 * rowStep + 8L * L, NATIVE);
            }
            return;
        }
        // An edge or strided tile: spill through the scratch tile, inline here: a vector passed to a call
        // that C2 does not inline gets boxed, and the box allocation then moves into the k loop.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, tileNr);
        c11.intoArray(tile, tileNr + L);
        c12.intoArray(tile, tileNr + 2 * L);
        c20.intoArray(tile, 2 * tileNr);
        c21.intoArray(tile, 2 * tileNr + L);
        c22.intoArray(tile, 2 * tileNr + 2 * L);
        writeBack(3, tileNr, tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);
    }

    /** c ← α·tile + β·c for the valid mr×nr part; vectors when the whole tile is over unit-stride rows. */
    private static void writeBack(int tileMr, int tileNr, float[] tile, float alpha, float beta, MemorySegment c, long cOff,
            long cRs, long cCs, int mr, int nr) {
        if (mr == tileMr && nr == tileNr && cCs == 1) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            FloatVector vb = FloatVector.broadcast(S, beta);
            for (int i = 0; i < tileMr; i++) {
                long row = (cOff + i * cRs) * 4;
                for (int j = 0; j < tileNr; j += L) {
                    FloatVector v = FloatVector.fromArray(S, tile, i * tileNr + j).mul(va);
                    long at = row + 4L * j;
                    if (beta != 0) {
                        // beta == 0 must not read C (it may hold NaN); otherwise one fused βc + α·acc.
                        v = FloatVector.fromMemorySegment(S, c, at, NATIVE).fma(vb, v);
                    }
                    v.intoMemorySegment(c, at, NATIVE);
                }
            }
            return;
        }
        if (cCs == 1) {
            // Edge tile over unit-stride rows: the valid rows, the last vector of each masked.
            FloatVector va = FloatVector.broadcast(S, alpha);
            FloatVector vb = FloatVector.broadcast(S, beta);
            for (int i = 0; i < mr; i++) {
                long row = (cOff + i * cRs) * 4;
                int j = 0;
                for (; j + L <= nr; j += L) {
                    FloatVector v = FloatVector.fromArray(S, tile, i * tileNr + j).mul(va);
                    long at = row + 4L * j;
                    if (beta != 0) {
                        v = FloatVector.fromMemorySegment(S, c, at, NATIVE).fma(vb, v);
                    }
                    v.intoMemorySegment(c, at, NATIVE);
                }
                if (j < nr) { // the last, partial vector: masked (lanes past nr are neither read nor written)
                    VectorMask<Float> m = S.indexInRange(j, nr);
                    FloatVector v = FloatVector.fromArray(S, tile, i * tileNr + j).mul(va);
                    long at = row + 4L * j;
                    if (beta != 0) {
                        v = FloatVector.fromMemorySegment(S, c, at, NATIVE, m).fma(vb, v);
                    }
                    v.intoMemorySegment(c, at, NATIVE, m);
                }
            }
            return;
        }
        // Strided C: element by element.
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                long off = cOff + i * cRs + j * cCs;
                float v = alpha * tile[i * tileNr + j];
                if (beta != 0) {
                    v = Math.fma(beta, c.getAtIndex(FL, off), v);
                }
                c.setAtIndex(FL, off, v);
            }
        }
    }
}
