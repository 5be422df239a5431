package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.inertia.optim.kernel.StepHyper;

/**
 * Fused float32 steps of the per-coordinate adaptive methods with PyTorch semantics: Adagrad,
 * RMSprop (plain, with momentum, centered) and Rprop. Offsets are in elements; arguments are
 * validated by {@code OptimizerSteps}. Bytes per element: Adagrad and plain RMSprop read 12 and
 * write 8; each extra RMSprop buffer adds 8; Rprop reads 16 and writes 12. Loops are straight-line
 * (see {@link SgdStep}), the centered RMSprop variants included (a − ḡ² is one FMA, as in the scalar
 * reference).
 */
final class AdaptiveSteps {
    private static final int L = F.length();

    private AdaptiveSteps() {
    }

    /** Adagrad: d = ±g + wd·w; s ← s + d²; w ← w − clr·d/(√s + eps). */
    static void adagrad(StepHyper.AdaGrad h, MemorySegment ws, long wo, MemorySegment gs, long go,
                               MemorySegment ss, long so, int n) {
        float sign = h.maximize() ? -1f : 1f;
        FloatVector clr = FloatVector.broadcast(F, (float) -h.clr());
        FloatVector wd = FloatVector.broadcast(F, (float) h.weightDecay());
        float eps = (float) h.eps();
        long wb = wo * 4;
        long gb = go * 4;
        long sb = so * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector s = d.fma(d, FloatVector.fromMemorySegment(F, ss, sb + o, NATIVE));
            s.intoMemorySegment(ss, sb + o, NATIVE);
            d.div(s.sqrt().add(eps)).fma(clr, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m).mul(sign));
            FloatVector s = d.fma(d, FloatVector.fromMemorySegment(F, ss, sb + o, NATIVE, m));
            s.intoMemorySegment(ss, sb + o, NATIVE, m);
            d.div(s.sqrt().add(eps)).fma(clr, w).intoMemorySegment(ws, wb + o, NATIVE, m);
        }
    }

    /**
     * RMSprop: d = ±g + wd·w; a ← αa + (1−α)d²; centered ḡ ← αḡ + (1−α)d and D = √(a − ḡ²) + eps, else
     * D = √a + eps; momentum b ← μb + d/D, w ← w − lr·b; otherwise w ← w − lr·d/D. {@code cs} (ḡ) and
     * {@code bs} (b) are ignored when not used.
     */
    static void rmsprop(StepHyper.RmsProp h, MemorySegment ws, long wo, MemorySegment gs, long go,
                               MemorySegment as, long ao, MemorySegment cs, long co, MemorySegment bs, long bo, int n) {
        if (h.centered()) {
            rmspropCentered(h, ws, wo, gs, go, as, ao, cs, co, bs, bo, n);
            return;
        }
        float sign = h.maximize() ? -1f : 1f;
        FloatVector lr = FloatVector.broadcast(F, (float) -h.lr());
        FloatVector alpha = FloatVector.broadcast(F, (float) h.alpha());
        float c = (float) (1 - h.alpha());
        float eps = (float) h.eps();
        FloatVector wd = FloatVector.broadcast(F, (float) h.weightDecay());
        FloatVector mu = FloatVector.broadcast(F, (float) h.momentum());
        long wb = wo * 4;
        long gb = go * 4;
        long ab = ao * 4;
        long bb = bo * 4;
        int i = 0;
        int bound = F.loopBound(n);
        if (h.momentum() > 0) {
            for (; i < bound; i += L) {
                long o = i * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
                FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
                FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE).fma(alpha, d.mul(d).mul(c));
                a.intoMemorySegment(as, ab + o, NATIVE);
                FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE).fma(mu, d.div(a.sqrt().add(eps)));
                b.intoMemorySegment(bs, bb + o, NATIVE);
                b.fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE);
            }
            if (i < n) {
                VectorMask<Float> m = F.indexInRange(i, n);
                long o = i * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
                FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m).mul(sign));
                FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE, m).fma(alpha, d.mul(d).mul(c));
                a.intoMemorySegment(as, ab + o, NATIVE, m);
                FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE, m).fma(mu, d.div(a.sqrt().add(eps)));
                b.intoMemorySegment(bs, bb + o, NATIVE, m);
                b.fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE, m);
            }
            return;
        }
        for (; i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE).fma(alpha, d.mul(d).mul(c));
            a.intoMemorySegment(as, ab + o, NATIVE);
            d.div(a.sqrt().add(eps)).fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m).mul(sign));
            FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE, m).fma(alpha, d.mul(d).mul(c));
            a.intoMemorySegment(as, ab + o, NATIVE, m);
            d.div(a.sqrt().add(eps)).fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE, m);
        }
    }

    /** Centered RMSprop: D = √(a − ḡ²) + eps with a − ḡ² as one FMA; with or without the momentum buffer. */
    private static void rmspropCentered(StepHyper.RmsProp h, MemorySegment ws, long wo, MemorySegment gs, long go,
                                        MemorySegment as, long ao, MemorySegment cs, long co, MemorySegment bs, long bo,
                                        int n) {
        float sign = h.maximize() ? -1f : 1f;
        FloatVector lr = FloatVector.broadcast(F, (float) -h.lr());
        FloatVector alpha = FloatVector.broadcast(F, (float) h.alpha());
        float c = (float) (1 - h.alpha());
        float eps = (float) h.eps();
        FloatVector wd = FloatVector.broadcast(F, (float) h.weightDecay());
        FloatVector mu = FloatVector.broadcast(F, (float) h.momentum());
        if (h.momentum() > 0) {
            long wb = wo * 4;
            long gb = go * 4;
            long ab = ao * 4;
            long cb = co * 4;
            long bb = bo * 4;
            int i = 0;
            for (int bound = F.loopBound(n); i < bound; i += L) {
                long o = i * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
                FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
                FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE).fma(alpha, d.mul(d).mul(c));
                a.intoMemorySegment(as, ab + o, NATIVE);
                FloatVector ga = FloatVector.fromMemorySegment(F, cs, cb + o, NATIVE).fma(alpha, d.mul(c));
                ga.intoMemorySegment(cs, cb + o, NATIVE);
                FloatVector u = d.div(ga.neg().fma(ga, a).sqrt().add(eps));
                FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE).fma(mu, u);
                b.intoMemorySegment(bs, bb + o, NATIVE);
                b.fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE);
            }
            if (i < n) {
                VectorMask<Float> k = F.indexInRange(i, n);
                long o = i * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
                FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k).mul(sign));
                FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE, k).fma(alpha, d.mul(d).mul(c));
                a.intoMemorySegment(as, ab + o, NATIVE, k);
                FloatVector ga = FloatVector.fromMemorySegment(F, cs, cb + o, NATIVE, k).fma(alpha, d.mul(c));
                ga.intoMemorySegment(cs, cb + o, NATIVE, k);
                FloatVector u = d.div(ga.neg().fma(ga, a).sqrt().add(eps));
                FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE, k).fma(mu, u);
                b.intoMemorySegment(bs, bb + o, NATIVE, k);
                b.fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE, k);
            }
            return;
        }
        long wb = wo * 4;
        long gb = go * 4;
        long ab = ao * 4;
        long cb = co * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE).fma(alpha, d.mul(d).mul(c));
            a.intoMemorySegment(as, ab + o, NATIVE);
            FloatVector ga = FloatVector.fromMemorySegment(F, cs, cb + o, NATIVE).fma(alpha, d.mul(c));
            ga.intoMemorySegment(cs, cb + o, NATIVE);
            FloatVector u = d.div(ga.neg().fma(ga, a).sqrt().add(eps));
            u.fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k).mul(sign));
            FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE, k).fma(alpha, d.mul(d).mul(c));
            a.intoMemorySegment(as, ab + o, NATIVE, k);
            FloatVector ga = FloatVector.fromMemorySegment(F, cs, cb + o, NATIVE, k).fma(alpha, d.mul(c));
            ga.intoMemorySegment(cs, cb + o, NATIVE, k);
            FloatVector u = d.div(ga.neg().fma(ga, a).sqrt().add(eps));
            u.fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }

    /**
     * Rprop: p = ±g·prev; f = η+ / η− / 1 for p &gt; 0 / &lt; 0 / = 0 (NaN for NaN p);
     * step ← clamp(step·f, min, max); d = p &lt; 0 ? 0 : ±g; w ← w − sign(d)·step; prev ← d.
     * The choices are lane blends, not branches, so the loop stays straight-line.
     */
    static void rprop(StepHyper.Rprop h, MemorySegment ws, long wo, MemorySegment gs, long go,
                             MemorySegment ps, long po, MemorySegment ss, long so, int n) {
        float sign = h.maximize() ? -1f : 1f;
        float etaMinus = (float) h.etaMinus();
        float etaPlus = (float) h.etaPlus();
        float lo = (float) h.stepMin();
        float hi = (float) h.stepMax();
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector zero = FloatVector.zero(F);
        long wb = wo * 4;
        long gb = go * 4;
        long pb = po * 4;
        long sb = so * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector d = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign);
            FloatVector p = d.mul(FloatVector.fromMemorySegment(F, ps, pb + o, NATIVE));
            VectorMask<Float> flip = p.lt(0f);
            FloatVector f = one.blend(etaPlus, p.compare(VectorOperators.GT, 0f)).blend(etaMinus, flip)
                    .blend(Float.NaN, p.test(VectorOperators.IS_NAN));
            FloatVector s = FloatVector.fromMemorySegment(F, ss, sb + o, NATIVE).mul(f).max(lo).min(hi);
            s.intoMemorySegment(ss, sb + o, NATIVE);
            d = d.blend(0f, flip);
            FloatVector sg = zero.blend(1f, d.compare(VectorOperators.GT, 0f)).blend(-1f, d.lt(0f))
                    .blend(Float.NaN, d.test(VectorOperators.IS_NAN));
            sg.neg().fma(s, FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE)).intoMemorySegment(ws, wb + o, NATIVE);
            d.intoMemorySegment(ps, pb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector d = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m).mul(sign);
            FloatVector p = d.mul(FloatVector.fromMemorySegment(F, ps, pb + o, NATIVE, m));
            VectorMask<Float> flip = p.lt(0f);
            FloatVector f = one.blend(etaPlus, p.compare(VectorOperators.GT, 0f)).blend(etaMinus, flip)
                    .blend(Float.NaN, p.test(VectorOperators.IS_NAN));
            FloatVector s = FloatVector.fromMemorySegment(F, ss, sb + o, NATIVE, m).mul(f).max(lo).min(hi);
            s.intoMemorySegment(ss, sb + o, NATIVE, m);
            d = d.blend(0f, flip);
            FloatVector sg = zero.blend(1f, d.compare(VectorOperators.GT, 0f)).blend(-1f, d.lt(0f))
                    .blend(Float.NaN, d.test(VectorOperators.IS_NAN));
            sg.neg().fma(s, FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m)).intoMemorySegment(ws, wb + o, NATIVE, m);
            d.intoMemorySegment(ps, pb + o, NATIVE, m);
        }
    }
}
