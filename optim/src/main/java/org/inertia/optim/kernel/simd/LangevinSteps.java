package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.inertia.kernels.CounterNormal;
import org.inertia.optim.kernel.StepHyper;

/**
 * Fused float32 steps of the samplers SGLD and SGHMC. The Gaussian noise ({@link CounterNormal},
 * Box–Muller with {@link StrictMath} log and cos) stays scalar: strict scalar math is what makes the noise
 * bit-identical whatever the thread count, JIT state or vector width. It is drawn for a block of
 * {@value #BLOCK} elements into a small buffer ({@code (float) (noiseStd·ξ)}, as before), and the update
 * then runs over the block with vector FMAs: the same float operations in the same order as the scalar
 * loop these kernels replace, so the results are bit for bit those of that loop. Element i of the call
 * draws {@code gaussian(seed, step, index0 + i)}. The noise costs far more than the arithmetic, so the
 * vector update gains little (bench/RESULTS.md, "SGLD and SGHMC on SIMD").
 */
final class LangevinSteps {
    /** Elements per noise block: a multiple of every float vector length, 1 KiB of noise. */
    static final int BLOCK = 256;
    private static final int L = F.length();

    private LangevinSteps() {
    }

    /** noise[j] = (float) (std·ξ(index + j)) for j &lt; m. */
    private static void noise(float[] noise, long key, double std, long index, int m) {
        for (int j = 0; j < m; j++) {
            noise[j] = (float) (std * CounterNormal.gaussian(key, index + j));
        }
    }

    /** SGLD: d = g + wd·w; w ← (w − lr·d) + noiseStd·ξ (fma(−lr, d, w), then the float noise added). */
    static void sgld(StepHyper.Sgld h, MemorySegment ws, long wo, MemorySegment gs, long go, long index0, int n) {
        float lr = (float) h.lr();
        float wd = (float) h.weightDecay();
        double std = h.noiseStd();
        long key = CounterNormal.streamKey(h.seed(), h.step());
        FloatVector vnlr = FloatVector.broadcast(F, -lr);
        FloatVector vwd = FloatVector.broadcast(F, wd);
        float[] noise = new float[BLOCK];
        long wb = wo * 4;
        long gb = go * 4;
        for (int from = 0; from < n; from += BLOCK) {
            int m = Math.min(BLOCK, n - from);
            noise(noise, key, std, index0 + from, m);
            int j = 0;
            for (int bound = F.loopBound(m); j < bound; j += L) {
                long o = (from + j) * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
                FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
                d.fma(vnlr, w).add(FloatVector.fromArray(F, noise, j)).intoMemorySegment(ws, wb + o, NATIVE);
            }
            if (j < m) {
                VectorMask<Float> k = F.indexInRange(j, m);
                long o = (from + j) * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
                FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k));
                d.fma(vnlr, w).add(FloatVector.fromArray(F, noise, j, k)).intoMemorySegment(ws, wb + o, NATIVE, k);
            }
        }
    }

    /**
     * SGHMC: d = g + wd·w; p ← fma(−lr·η, d, keep·p) + noiseStd·ξ with keep = 1 − γ·lr; w ← fma(lr, p, w).
     */
    static void sghmc(StepHyper.Sghmc h, MemorySegment ws, long wo, MemorySegment gs, long go,
                      MemorySegment ps, long po, long index0, int n) {
        float lr = (float) h.lr();
        float keep = (float) (1 - h.friction() * h.lr());
        float lrEta = (float) (h.lr() * h.eta());
        float wd = (float) h.weightDecay();
        double std = h.noiseStd();
        long key = CounterNormal.streamKey(h.seed(), h.step());
        FloatVector vlr = FloatVector.broadcast(F, lr);
        FloatVector vkeep = FloatVector.broadcast(F, keep);
        FloatVector vnlrEta = FloatVector.broadcast(F, -lrEta);
        FloatVector vwd = FloatVector.broadcast(F, wd);
        float[] noise = new float[BLOCK];
        long wb = wo * 4;
        long gb = go * 4;
        long pb = po * 4;
        for (int from = 0; from < n; from += BLOCK) {
            int m = Math.min(BLOCK, n - from);
            noise(noise, key, std, index0 + from, m);
            int j = 0;
            for (int bound = F.loopBound(m); j < bound; j += L) {
                long o = (from + j) * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
                FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
                FloatVector p = d.fma(vnlrEta, FloatVector.fromMemorySegment(F, ps, pb + o, NATIVE).mul(vkeep))
                        .add(FloatVector.fromArray(F, noise, j));
                p.intoMemorySegment(ps, pb + o, NATIVE);
                p.fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE);
            }
            if (j < m) {
                VectorMask<Float> k = F.indexInRange(j, m);
                long o = (from + j) * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
                FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k));
                FloatVector p = d.fma(vnlrEta, FloatVector.fromMemorySegment(F, ps, pb + o, NATIVE, k).mul(vkeep))
                        .add(FloatVector.fromArray(F, noise, j, k));
                p.intoMemorySegment(ps, pb + o, NATIVE, k);
                p.fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE, k);
            }
        }
    }
}
