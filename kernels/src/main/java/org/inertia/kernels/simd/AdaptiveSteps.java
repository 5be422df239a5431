package org.inertia.kernels.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.kernels.simd.StepIo.bc;
import static org.inertia.kernels.simd.StepIo.load;
import static org.inertia.kernels.simd.StepIo.store;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.inertia.kernels.StepHyper;

/**
 * Fused float32 steps of the per-coordinate adaptive methods with PyTorch semantics: Adagrad,
 * RMSprop (plain, centered, with momentum) and Rprop. Offsets are in elements; arguments are
 * validated by {@code CpuOptimizerSteps}. Bytes per element: Adagrad and plain RMSprop read 12 and
 * write 8; each extra RMSprop buffer adds 8; Rprop reads 16 and writes 12.
 */
public final class AdaptiveSteps {
    private static final int L = F.length();

    private AdaptiveSteps() {
    }

    /** Adagrad: d = ±g + wd·w; s ← s + d²; w ← w − clr·d/(√s + eps). */
    public static void adagrad(StepHyper.AdaGrad h, MemorySegment ws, long wo, MemorySegment gs, long go,
                               MemorySegment ss, long so, int n) {
        float sign = h.maximize() ? -1f : 1f;
        float clr = (float) h.clr();
        float wd = (float) h.weightDecay();
        float eps = (float) h.eps();
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            adagradBlock(sign, clr, wd, eps, ws, (wo + i) * 4, gs, (go + i) * 4, ss, (so + i) * 4, null);
        }
        if (i < n) {
            adagradBlock(sign, clr, wd, eps, ws, (wo + i) * 4, gs, (go + i) * 4, ss, (so + i) * 4, F.indexInRange(i, n));
        }
    }

    private static void adagradBlock(float sign, float clr, float wd, float eps, MemorySegment ws, long wi,
                                     MemorySegment gs, long gi, MemorySegment ss, long si, VectorMask<Float> m) {
        FloatVector w = load(ws, wi, m);
        FloatVector d = w.fma(bc(wd), load(gs, gi, m).mul(sign));
        FloatVector s = d.fma(bc(d), load(ss, si, m));
        store(s, ss, si, m);
        store(d.div(s.sqrt().add(eps)).fma(bc(-clr), w), ws, wi, m);
    }

    /**
     * RMSprop: d = ±g + wd·w; a ← αa + (1−α)d²; centered ḡ ← αḡ + (1−α)d and D = √(a − ḡ²) + eps, else
     * D = √a + eps; momentum b ← μb + d/D, w ← w − lr·b; otherwise w ← w − lr·d/D. {@code cs} (ḡ) and
     * {@code bs} (b) are ignored when not used.
     */
    public static void rmsprop(StepHyper.RmsProp h, MemorySegment ws, long wo, MemorySegment gs, long go,
                               MemorySegment as, long ao, MemorySegment cs, long co, MemorySegment bs, long bo, int n) {
        float sign = h.maximize() ? -1f : 1f;
        float lr = (float) h.lr();
        float alpha = (float) h.alpha();
        float c = (float) (1 - h.alpha());
        float eps = (float) h.eps();
        float wd = (float) h.weightDecay();
        float mu = (float) h.momentum();
        boolean centered = h.centered();
        boolean momentum = h.momentum() > 0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            rmspropBlock(sign, lr, alpha, c, eps, wd, mu, centered, momentum, ws, (wo + i) * 4, gs, (go + i) * 4,
                    as, (ao + i) * 4, cs, (co + i) * 4, bs, (bo + i) * 4, null);
        }
        if (i < n) {
            rmspropBlock(sign, lr, alpha, c, eps, wd, mu, centered, momentum, ws, (wo + i) * 4, gs, (go + i) * 4,
                    as, (ao + i) * 4, cs, (co + i) * 4, bs, (bo + i) * 4, F.indexInRange(i, n));
        }
    }

    private static void rmspropBlock(float sign, float lr, float alpha, float c, float eps, float wd, float mu,
                                     boolean centered, boolean momentum, MemorySegment ws, long wi, MemorySegment gs,
                                     long gi, MemorySegment as, long ai, MemorySegment cs, long ci, MemorySegment bs,
                                     long bi, VectorMask<Float> m) {
        FloatVector w = load(ws, wi, m);
        FloatVector d = w.fma(bc(wd), load(gs, gi, m).mul(sign));
        FloatVector a = load(as, ai, m).fma(bc(alpha), d.mul(d).mul(c));
        store(a, as, ai, m);
        FloatVector denom;
        if (centered) {
            FloatVector ga = load(cs, ci, m).fma(bc(alpha), d.mul(c));
            store(ga, cs, ci, m);
            denom = ga.neg().fma(bc(ga), a).sqrt().add(eps);
        } else {
            denom = a.sqrt().add(eps);
        }
        FloatVector u = d.div(denom);
        if (momentum) {
            u = load(bs, bi, m).fma(bc(mu), u);
            store(u, bs, bi, m);
        }
        store(u.fma(bc(-lr), w), ws, wi, m);
    }

    /**
     * Rprop: p = ±g·prev; f = η+ / η− / 1 for p &gt; 0 / &lt; 0 / = 0 (NaN for NaN p);
     * step ← clamp(step·f, min, max); d = p &lt; 0 ? 0 : ±g; w ← w − sign(d)·step; prev ← d.
     */
    public static void rprop(StepHyper.Rprop h, MemorySegment ws, long wo, MemorySegment gs, long go,
                             MemorySegment ps, long po, MemorySegment ss, long so, int n) {
        float sign = h.maximize() ? -1f : 1f;
        float etaMinus = (float) h.etaMinus();
        float etaPlus = (float) h.etaPlus();
        float lo = (float) h.stepMin();
        float hi = (float) h.stepMax();
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            rpropBlock(sign, etaMinus, etaPlus, lo, hi, ws, (wo + i) * 4, gs, (go + i) * 4, ps, (po + i) * 4,
                    ss, (so + i) * 4, null);
        }
        if (i < n) {
            rpropBlock(sign, etaMinus, etaPlus, lo, hi, ws, (wo + i) * 4, gs, (go + i) * 4, ps, (po + i) * 4,
                    ss, (so + i) * 4, F.indexInRange(i, n));
        }
    }

    private static void rpropBlock(float sign, float etaMinus, float etaPlus, float lo, float hi, MemorySegment ws,
                                   long wi, MemorySegment gs, long gi, MemorySegment ps, long pi, MemorySegment ss,
                                   long si, VectorMask<Float> m) {
        FloatVector d = load(gs, gi, m).mul(sign);
        FloatVector p = d.mul(load(ps, pi, m));
        var flip = p.lt(0f);
        FloatVector f = FloatVector.broadcast(F, 1f)
                .blend(etaPlus, p.compare(VectorOperators.GT, 0f))
                .blend(etaMinus, flip)
                .blend(Float.NaN, p.test(VectorOperators.IS_NAN));
        FloatVector s = load(ss, si, m).mul(f).max(lo).min(hi);
        store(s, ss, si, m);
        d = d.blend(0f, flip);
        FloatVector sg = FloatVector.zero(F)
                .blend(1f, d.compare(VectorOperators.GT, 0f))
                .blend(-1f, d.lt(0f))
                .blend(Float.NaN, d.test(VectorOperators.IS_NAN));
        store(sg.neg().fma(bc(s), load(ws, wi, m)), ws, wi, m);
        store(d, ps, pi, m);
    }
}
