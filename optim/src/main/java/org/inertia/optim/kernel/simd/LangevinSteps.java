package org.inertia.optim.kernel.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.inertia.kernels.CounterNormal;
import org.inertia.optim.kernel.StepHyper;

/**
 * Fused float32 steps of the momentum samplers SGLD and SGHMC. These are scalar loops on purpose: the
 * Gaussian noise ({@link CounterNormal}, Box–Muller with {@link StrictMath} log/cos) dominates the cost,
 * and strict scalar math is what makes the noise bit-identical whatever the thread count, JIT state or
 * vector width. Element i of the call draws {@code gaussian(seed, step, index0 + i)}.
 */
final class LangevinSteps {
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private LangevinSteps() {
    }

    /** SGLD: w ← w − lr·(g + wd·w) + noiseStd·ξ. */
    static void sgld(StepHyper.Sgld h, MemorySegment ws, long wo, MemorySegment gs, long go, long index0, int n) {
        float lr = (float) h.lr();
        float wd = (float) h.weightDecay();
        double std = h.noiseStd();
        long key = CounterNormal.streamKey(h.seed(), h.step());
        for (int i = 0; i < n; i++) {
            float w = ws.getAtIndex(FL, wo + i);
            float d = Math.fma(wd, w, gs.getAtIndex(FL, go + i));
            float noise = (float) (std * CounterNormal.gaussian(key, index0 + i));
            ws.setAtIndex(FL, wo + i, Math.fma(-lr, d, w) + noise);
        }
    }

    /** SGHMC: p ← p − γ·lr·p − lr·η·(g + wd·w) + noiseStd·ξ; w ← w + lr·p. */
    static void sghmc(StepHyper.Sghmc h, MemorySegment ws, long wo, MemorySegment gs, long go,
                             MemorySegment ps, long po, long index0, int n) {
        float lr = (float) h.lr();
        float keep = (float) (1 - h.friction() * h.lr());
        float lrEta = (float) (h.lr() * h.eta());
        float wd = (float) h.weightDecay();
        double std = h.noiseStd();
        long key = CounterNormal.streamKey(h.seed(), h.step());
        for (int i = 0; i < n; i++) {
            float w = ws.getAtIndex(FL, wo + i);
            float d = Math.fma(wd, w, gs.getAtIndex(FL, go + i));
            float noise = (float) (std * CounterNormal.gaussian(key, index0 + i));
            float p = Math.fma(-lrEta, d, keep * ps.getAtIndex(FL, po + i)) + noise;
            ps.setAtIndex(FL, po + i, p);
            ws.setAtIndex(FL, wo + i, Math.fma(lr, p, w));
        }
    }
}
