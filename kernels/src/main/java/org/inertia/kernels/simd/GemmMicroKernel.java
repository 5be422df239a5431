package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel of {@link GemmF32}: an {@link #MR}×{@link #NR} tile of C,
 * C_tile ← α·Ã·B̃ + β·C_tile, where Ã is an MR-row panel (kc steps of MR floats) and B̃ an NR-column panel
 * (kc steps of NR floats), both packed contiguously by {@link GemmF32}.
 *
 * <p>NR is three vectors wide and MR is 8, so the tile lives in 24 vector accumulators; with the three
 * B vectors and one broadcast A value that is 28 registers, which fits the 32 vector registers of
 * AVX-512 (on 16-register AVX2 C2 spills a few, still far faster than scalar). Each k step issues 3 loads,
 * 8 broadcasts and 24 independent FMAs, enough to hide FMA latency on two FMA ports.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatSpecies.F;
    static final int L = FloatSpecies.LANES;
    /** Rows of the register tile. */
    static final int MR = 8;
    /** Columns of the register tile: three vectors. */
    static final int NR = 3 * L;

    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private GemmMicroKernel() {
    }

    /**
     * Multiplies the packed panels ap[aBase…] (kc×MR) and bp[bBase…] (kc×NR) and writes the mr×nr
     * top-left part of the tile to C at element offset cOff (row stride cRs, column stride cCs):
     * c ← α·acc + β·c, with C not read when {@code beta == 0}. {@code tile} is MR·NR floats of scratch.
     */
    static void tile(int kc, float[] ap, int aBase, float[] bp, int bBase, float alpha, float beta,
            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        FloatVector c60 = c00, c61 = c00, c62 = c00;
        FloatVector c70 = c00, c71 = c00, c72 = c00;
        int ai = aBase;
        int bi = bBase;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
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
        // Spill through the scratch tile, inline here: a vector passed to a call that C2 does not inline
        // gets boxed, and the box allocation then moves into the k loop through the accumulator phis.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c62.intoArray(tile, 6 * NR + 2 * L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        c72.intoArray(tile, 7 * NR + 2 * L);
        writeBack(tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);
    }

    /** c ← α·tile + β·c for the valid mr×nr part; vectors when the whole tile is over unit-stride rows. */
    private static void writeBack(float[] tile, float alpha, float beta, MemorySegment c, long cOff, long cRs,
            long cCs, int mr, int nr) {
        if (mr == MR && nr == NR && cCs == 1) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            FloatVector vb = FloatVector.broadcast(S, beta);
            for (int i = 0; i < MR; i++) {
                long row = (cOff + i * cRs) * 4;
                for (int j = 0; j < NR; j += L) {
                    FloatVector v = FloatVector.fromArray(S, tile, i * NR + j).mul(va);
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
                    FloatVector v = FloatVector.fromArray(S, tile, i * NR + j).mul(va);
                    long at = row + 4L * j;
                    if (beta != 0) {
                        v = FloatVector.fromMemorySegment(S, c, at, NATIVE).fma(vb, v);
                    }
                    v.intoMemorySegment(c, at, NATIVE);
                }
                if (j < nr) { // the last, partial vector: masked (lanes past nr are neither read nor written)
                    VectorMask<Float> m = S.indexInRange(j, nr);
                    FloatVector v = FloatVector.fromArray(S, tile, i * NR + j).mul(va);
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
                float v = alpha * tile[i * NR + j];
                if (beta != 0) {
                    v = Math.fma(beta, c.getAtIndex(FL, off), v);
                }
                c.setAtIndex(FL, off, v);
            }
        }
    }
}
