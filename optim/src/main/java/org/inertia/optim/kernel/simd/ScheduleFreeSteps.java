package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import org.inertia.optim.kernel.StepHyper;

/**
 * Fused float32 schedule-free steps (Defazio et al. 2024; equations in {@link StepHyper.ScheduleFreeSgd}
 * and {@link StepHyper.ScheduleFreeAdamW}) and the element-wise interpolation that switches the stored
 * parameter between y (training) and x (evaluation). One pass over y, g, z (and v); offsets in elements,
 * arguments validated by {@code OptimizerSteps}. Bytes per element: SGD reads 12 and writes 8 (20),
 * AdamW reads 16 and writes 12 (28), the switch reads 8 and writes 4.
 */
final class ScheduleFreeSteps {
    private static final int L = F.length();

    private ScheduleFreeSteps() {
    }

    /** y ← y + c(z − y) + lr(β(1−c) − 1)·d, z ← z − lr·d, d = g + wd·y. */
    static void sgd(StepHyper.ScheduleFreeSgd h, MemorySegment ys, long yo, MemorySegment gs, long go,
                    MemorySegment zs, long zo, int n) {
        FloatVector wd = FloatVector.broadcast(F, (float) (h.weightDecay()));
        FloatVector c = FloatVector.broadcast(F, (float) (h.ckp1()));
        FloatVector yc = FloatVector.broadcast(F, (float) (h.lr() * (h.momentum() * (1 - h.ckp1()) - 1)));
        FloatVector lr = FloatVector.broadcast(F, (float) (-h.lr()));
        long yb = yo * 4;
        long gb = go * 4;
        long zb = zo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector y = FloatVector.fromMemorySegment(F, ys, yb + o, NATIVE);
            FloatVector z = FloatVector.fromMemorySegment(F, zs, zb + o, NATIVE);
            FloatVector d = y.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            z.sub(y).fma(c, d.fma(yc, y)).intoMemorySegment(ys, yb + o, NATIVE);
            d.fma(lr, z).intoMemorySegment(zs, zb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector y = FloatVector.fromMemorySegment(F, ys, yb + o, NATIVE, k);
            FloatVector z = FloatVector.fromMemorySegment(F, zs, zb + o, NATIVE, k);
            FloatVector d = y.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k));
            z.sub(y).fma(c, d.fma(yc, y)).intoMemorySegment(ys, yb + o, NATIVE, k);
            d.fma(lr, z).intoMemorySegment(zs, zb + o, NATIVE, k);
        }
    }

    /** v ← β2 v + (1−β2) g²; u = g/(√v·invBc2Sqrt + eps) + wd·y; y and z as SGD's with u. */
    static void adamw(StepHyper.ScheduleFreeAdamW h, MemorySegment ys, long yo, MemorySegment gs, long go,
                      MemorySegment zs, long zo, MemorySegment vs, long vo, int n) {
        FloatVector wd = FloatVector.broadcast(F, (float) (h.weightDecay()));
        FloatVector c = FloatVector.broadcast(F, (float) (h.ckp1()));
        FloatVector yc = FloatVector.broadcast(F, (float) (h.lr() * (h.beta1() * (1 - h.ckp1()) - 1)));
        FloatVector lr = FloatVector.broadcast(F, (float) (-h.lr()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2()));
        FloatVector ibc2 = FloatVector.broadcast(F, (float) (h.invBc2Sqrt()));
        FloatVector eps = FloatVector.broadcast(F, (float) (h.eps()));
        long yb = yo * 4;
        long gb = go * 4;
        long zb = zo * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector y = FloatVector.fromMemorySegment(F, ys, yb + o, NATIVE);
            FloatVector z = FloatVector.fromMemorySegment(F, zs, zb + o, NATIVE);
            FloatVector g = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE);
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, g.mul(g).mul(c2));
            v.intoMemorySegment(vs, vb + o, NATIVE);
            FloatVector u = y.fma(wd, g.div(v.sqrt().fma(ibc2, eps)));
            z.sub(y).fma(c, u.fma(yc, y)).intoMemorySegment(ys, yb + o, NATIVE);
            u.fma(lr, z).intoMemorySegment(zs, zb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector y = FloatVector.fromMemorySegment(F, ys, yb + o, NATIVE, k);
            FloatVector z = FloatVector.fromMemorySegment(F, zs, zb + o, NATIVE, k);
            FloatVector g = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k);
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, k).fma(b2, g.mul(g).mul(c2));
            v.intoMemorySegment(vs, vb + o, NATIVE, k);
            FloatVector u = y.fma(wd, g.div(v.sqrt().fma(ibc2, eps)));
            z.sub(y).fma(c, u.fma(yc, y)).intoMemorySegment(ys, yb + o, NATIVE, k);
            u.fma(lr, z).intoMemorySegment(zs, zb + o, NATIVE, k);
        }
    }

    /** w ← w + t·(z − w). */
    static void lerp(MemorySegment ws, long wo, MemorySegment zs, long zo, double tt, int n) {
        FloatVector t = FloatVector.broadcast(F, (float) (tt));
        long wb = wo * 4;
        long zb = zo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector.fromMemorySegment(F, zs, zb + o, NATIVE).sub(w).fma(t, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector.fromMemorySegment(F, zs, zb + o, NATIVE, k).sub(w).fma(t, w).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }
}
