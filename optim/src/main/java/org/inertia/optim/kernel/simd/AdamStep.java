package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.inertia.optim.kernel.StepHyper;

/**
 * Fused float32 Adam / AdamW step (PyTorch semantics, see {@link StepHyper.Adam}), one pass over
 * w, g, m, v (and v_max for AMSGrad). Bias corrections arrive hoisted as {@code stepSize} and
 * {@code invBc2Sqrt}, so the loop is two FMAs per moment, a square root, a divide and one FMA for w.
 * Bytes per element: read 16, write 12 (28; AMSGrad 36). The square root and the divide vectorize
 * (vsqrtps / vdivps); in cache they bound the loop (about 20 cycles per 16 lanes), out of cache memory
 * does.
 *
 * <p>Both weight-decay forms run the same straight-line loop (see {@link SgdStep} for why there are
 * no branches inside): d = wd_L2·w + ±g and w ← decay·w with wd_L2 = 0 for AdamW and decay = 1 for
 * Adam. Multiplying by exactly 0 or 1 changes nothing for finite w; a parameter that is already ±Inf
 * becomes NaN under AdamW instead of staying infinite.
 */
final class AdamStep {
    private static final int L = F.length();

    private AdamStep() {
    }

    /** One step over n elements; {@code xs} (v_max) is ignored unless AMSGrad. Offsets in elements. */
    static void run(StepHyper.Adam h, MemorySegment ws, long wo, MemorySegment gs, long go,
                           MemorySegment ms, long mo, MemorySegment vs, long vo, MemorySegment xs, long xo, int n) {
        float sign = h.maximize() ? -1f : 1f;
        FloatVector b1 = FloatVector.broadcast(F, (float) h.beta1());
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1()));
        FloatVector b2 = FloatVector.broadcast(F, (float) h.beta2());
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2()));
        FloatVector eps = FloatVector.broadcast(F, (float) h.eps());
        FloatVector step = FloatVector.broadcast(F, (float) -h.stepSize());
        FloatVector ibc2 = FloatVector.broadcast(F, (float) h.invBc2Sqrt());
        FloatVector l2 = FloatVector.broadcast(F, h.decoupled() ? 0f : (float) h.weightDecay());
        FloatVector decay = FloatVector.broadcast(F, h.decoupled() ? (float) (1 - h.lr() * h.weightDecay()) : 1f);
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        long vb = vo * 4;
        long xb = xo * 4;
        int i = 0;
        int bound = F.loopBound(n);
        if (h.amsgrad()) {
            for (; i < bound; i += L) {
                long o = i * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
                FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
                FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
                FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, d.mul(d).mul(c2));
                m.intoMemorySegment(ms, mb + o, NATIVE);
                v.intoMemorySegment(vs, vb + o, NATIVE);
                FloatVector x = FloatVector.fromMemorySegment(F, xs, xb + o, NATIVE).max(v);
                x.intoMemorySegment(xs, xb + o, NATIVE);
                m.div(x.sqrt().fma(ibc2, eps)).fma(step, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
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
                FloatVector x = FloatVector.fromMemorySegment(F, xs, xb + o, NATIVE, k).max(v);
                x.intoMemorySegment(xs, xb + o, NATIVE, k);
                m.div(x.sqrt().fma(ibc2, eps)).fma(step, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE, k);
            }
            return;
        }
        for (; i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE);
            v.intoMemorySegment(vs, vb + o, NATIVE);
            m.div(v.sqrt().fma(ibc2, eps)).fma(step, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
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
            m.div(v.sqrt().fma(ibc2, eps)).fma(step, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }
}
