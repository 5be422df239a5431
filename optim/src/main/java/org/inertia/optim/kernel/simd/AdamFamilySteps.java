package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import org.inertia.optim.kernel.StepHyper;

/**
 * Fused float32 steps of the Adam relatives with PyTorch semantics or their reference code's: NAdam,
 * RAdam, Adamax and AdEMAMix (equations: the {@link StepHyper} records). One pass over w, g and the
 * state buffers, no branches inside a loop (RAdam's rectification is chosen once per call); per-step
 * scalars arrive hoisted and are rounded to float once. Offsets are in elements; arguments are validated
 * by {@code OptimizerSteps}. Bytes per element: NAdam, RAdam, Adamax read 16 and write 12 (28);
 * AdEMAMix reads 20 and writes 16 (36).
 */
final class AdamFamilySteps {
    private static final int L = F.length();

    private AdamFamilySteps() {
    }

    /** NAdam: w ← decay·w − (gradCoef·d + avgCoef·m)/(√v·invBc2Sqrt + eps). */
    static void nadam(StepHyper.NAdam h, MemorySegment ws, long wo, MemorySegment gs, long go, MemorySegment ms,
                      long mo, MemorySegment vs, long vo, int n) {
        float sign = h.maximize() ? -1f : 1f;
        FloatVector l2 = FloatVector.broadcast(F, (float) (h.decoupled() ? 0 : h.weightDecay()));
        FloatVector decay = FloatVector.broadcast(F, (float) (h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1));
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2()));
        FloatVector ibc2 = FloatVector.broadcast(F, (float) (h.invBc2Sqrt()));
        FloatVector eps = FloatVector.broadcast(F, (float) (h.eps()));
        FloatVector gc = FloatVector.broadcast(F, (float) (-h.gradCoef()));
        FloatVector ac = FloatVector.broadcast(F, (float) (-h.avgCoef()));
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE);
            v.intoMemorySegment(vs, vb + o, NATIVE);
            FloatVector num = m.fma(ac, d.mul(gc));
            num.div(v.sqrt().fma(ibc2, eps)).add(w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE, k).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, k).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE, k);
            v.intoMemorySegment(vs, vb + o, NATIVE, k);
            FloatVector num = m.fma(ac, d.mul(gc));
            num.div(v.sqrt().fma(ibc2, eps)).add(w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }

    /** RAdam: rectified w ← decay·w − stepSize·m/(√v + eps), else w ← decay·w − stepSize·m. */
    static void radam(StepHyper.RAdam h, MemorySegment ws, long wo, MemorySegment gs, long go, MemorySegment ms,
                      long mo, MemorySegment vs, long vo, int n) {
        if (h.rectified()) {
            radamRectified(h, ws, wo, gs, go, ms, mo, vs, vo, n);
            return;
        }
        float sign = h.maximize() ? -1f : 1f;
        FloatVector l2 = FloatVector.broadcast(F, (float) (h.decoupled() ? 0 : h.weightDecay()));
        FloatVector decay = FloatVector.broadcast(F, (float) (h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1));
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2()));
        FloatVector step = FloatVector.broadcast(F, (float) (-h.stepSize()));
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE);
            v.intoMemorySegment(vs, vb + o, NATIVE);
            m.fma(step, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE, k).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, k).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE, k);
            v.intoMemorySegment(vs, vb + o, NATIVE, k);
            m.fma(step, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }

    private static void radamRectified(StepHyper.RAdam h, MemorySegment ws, long wo, MemorySegment gs, long go,
                                       MemorySegment ms, long mo, MemorySegment vs, long vo, int n) {
        float sign = h.maximize() ? -1f : 1f;
        FloatVector l2 = FloatVector.broadcast(F, (float) (h.decoupled() ? 0 : h.weightDecay()));
        FloatVector decay = FloatVector.broadcast(F, (float) (h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1));
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2()));
        FloatVector step = FloatVector.broadcast(F, (float) (-h.stepSize()));
        FloatVector eps = FloatVector.broadcast(F, (float) (h.eps()));
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE);
            v.intoMemorySegment(vs, vb + o, NATIVE);
            m.div(v.sqrt().add(eps)).fma(step, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE, k).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, k).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE, k);
            v.intoMemorySegment(vs, vb + o, NATIVE, k);
            m.div(v.sqrt().add(eps)).fma(step, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }

    /** Adamax: u ← max(β2 u, |d| + eps) (NaN propagates, as {@code Math.max}); w ← w − stepSize·m/u. */
    static void adamax(StepHyper.Adamax h, MemorySegment ws, long wo, MemorySegment gs, long go, MemorySegment ms,
                       long mo, MemorySegment us, long uo, int n) {
        float sign = h.maximize() ? -1f : 1f;
        FloatVector wd = FloatVector.broadcast(F, (float) (h.weightDecay()));
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2()));
        FloatVector eps = FloatVector.broadcast(F, (float) (h.eps()));
        FloatVector step = FloatVector.broadcast(F, (float) (-h.stepSize()));
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        long ub = uo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
            FloatVector u = FloatVector.fromMemorySegment(F, us, ub + o, NATIVE).mul(b2).max(d.abs().add(eps));
            m.intoMemorySegment(ms, mb + o, NATIVE);
            u.intoMemorySegment(us, ub + o, NATIVE);
            m.div(u).fma(step, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE, k).fma(b1, d.mul(c1));
            FloatVector u = FloatVector.fromMemorySegment(F, us, ub + o, NATIVE, k).mul(b2).max(d.abs().add(eps));
            m.intoMemorySegment(ms, mb + o, NATIVE, k);
            u.intoMemorySegment(us, ub + o, NATIVE, k);
            m.div(u).fma(step, w).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }

    /** AdEMAMix: w ← w − lr·((m1·invBc1 + α m2)/(√v·invBc2Sqrt + eps) + wd·w). */
    static void ademamix(StepHyper.AdEMAMix h, MemorySegment ws, long wo, MemorySegment gs, long go,
                         MemorySegment as, long ao, MemorySegment bs, long bo, MemorySegment vs, long vo, int n) {
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2()));
        FloatVector b3 = FloatVector.broadcast(F, (float) (h.beta3()));
        FloatVector c3 = FloatVector.broadcast(F, (float) (1 - h.beta3()));
        FloatVector alpha = FloatVector.broadcast(F, (float) (h.alpha()));
        FloatVector ibc1 = FloatVector.broadcast(F, (float) (h.invBc1()));
        FloatVector ibc2 = FloatVector.broadcast(F, (float) (h.invBc2Sqrt()));
        FloatVector eps = FloatVector.broadcast(F, (float) (h.eps()));
        FloatVector wd = FloatVector.broadcast(F, (float) (h.weightDecay()));
        FloatVector lr = FloatVector.broadcast(F, (float) (-h.lr()));
        long wb = wo * 4;
        long gb = go * 4;
        long ab = ao * 4;
        long bb = bo * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector g = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE);
            FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE).fma(b1, g.mul(c1));
            FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE).fma(b3, g.mul(c3));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, g.mul(g).mul(c2));
            a.intoMemorySegment(as, ab + o, NATIVE);
            b.intoMemorySegment(bs, bb + o, NATIVE);
            v.intoMemorySegment(vs, vb + o, NATIVE);
            FloatVector u = w.fma(wd, b.fma(alpha, a.mul(ibc1)).div(v.sqrt().fma(ibc2, eps)));
            u.fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector g = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k);
            FloatVector a = FloatVector.fromMemorySegment(F, as, ab + o, NATIVE, k).fma(b1, g.mul(c1));
            FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE, k).fma(b3, g.mul(c3));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, k).fma(b2, g.mul(g).mul(c2));
            a.intoMemorySegment(as, ab + o, NATIVE, k);
            b.intoMemorySegment(bs, bb + o, NATIVE, k);
            v.intoMemorySegment(vs, vb + o, NATIVE, k);
            FloatVector u = w.fma(wd, b.fma(alpha, a.mul(ibc1)).div(v.sqrt().fma(ibc2, eps)));
            u.fma(lr, w).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }
}
