package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.inertia.optim.kernel.StepHyper;

/**
 * Fused float32 steps of the lecture's momentum methods: heavy ball (classic form), Sutskever's
 * Nesterov (look-ahead parametrisation), NAG in the position-difference form, and AggMo. Heavy ball,
 * Nesterov and NAG read w, g and one state buffer (12 bytes) and write w and the state (8 bytes) per
 * element; AggMo with K velocities reads 8 + 4K and writes 4 + 4K. Offsets are in elements; arguments
 * are validated by {@code OptimizerSteps}. Loops are straight-line (see {@link SgdStep}); the
 * masked tail repeats the body's arithmetic.
 */
final class MomentumSteps {
    private static final int L = F.length();

    private MomentumSteps() {
    }

    /** Heavy ball: v ← βv − lr·(g + wd·w); w ← w + v. */
    static void heavyBall(StepHyper.HeavyBall h, MemorySegment ws, long wo, MemorySegment gs, long go,
                                 MemorySegment vs, long vo, int n) {
        FloatVector lr = FloatVector.broadcast(F, (float) -h.lr());
        FloatVector beta = FloatVector.broadcast(F, (float) h.beta());
        FloatVector wd = FloatVector.broadcast(F, (float) h.weightDecay());
        long wb = wo * 4;
        long gb = go * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            FloatVector v = d.fma(lr, FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).mul(beta));
            v.intoMemorySegment(vs, vb + o, NATIVE);
            w.add(v).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m));
            FloatVector v = d.fma(lr, FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, m).mul(beta));
            v.intoMemorySegment(vs, vb + o, NATIVE, m);
            w.add(v).intoMemorySegment(ws, wb + o, NATIVE, m);
        }
    }

    /** Sutskever Nesterov on the look-ahead θ: v' = μv − lr·(g + wd·θ); θ ← θ − μv + (1 + μ_next)v'. */
    static void nesterov(StepHyper.Nesterov h, MemorySegment ts, long to, MemorySegment gs, long go,
                                MemorySegment vs, long vo, int n) {
        FloatVector lr = FloatVector.broadcast(F, (float) -h.lr());
        FloatVector mu = FloatVector.broadcast(F, (float) h.mu());
        FloatVector negMu = FloatVector.broadcast(F, (float) -h.mu());
        FloatVector mu1 = FloatVector.broadcast(F, (float) (1 + h.muNext()));
        FloatVector wd = FloatVector.broadcast(F, (float) h.weightDecay());
        long tb = to * 4;
        long gb = go * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector t = FloatVector.fromMemorySegment(F, ts, tb + o, NATIVE);
            FloatVector vOld = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE);
            FloatVector d = t.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            FloatVector v = d.fma(lr, vOld.mul(mu));
            v.intoMemorySegment(vs, vb + o, NATIVE);
            v.fma(mu1, vOld.fma(negMu, t)).intoMemorySegment(ts, tb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector t = FloatVector.fromMemorySegment(F, ts, tb + o, NATIVE, m);
            FloatVector vOld = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, m);
            FloatVector d = t.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m));
            FloatVector v = d.fma(lr, vOld.mul(mu));
            v.intoMemorySegment(vs, vb + o, NATIVE, m);
            v.fma(mu1, vOld.fma(negMu, t)).intoMemorySegment(ts, tb + o, NATIVE, m);
        }
    }

    /** NAG, position-difference form: y = w − lr·(g + wd·w); w ← y + μ(y − y_prev); y_prev ← y. */
    static void nag(StepHyper.Nag h, MemorySegment ws, long wo, MemorySegment gs, long go,
                           MemorySegment ps, long po, int n) {
        FloatVector lr = FloatVector.broadcast(F, (float) -h.lr());
        FloatVector mu = FloatVector.broadcast(F, (float) h.mu());
        FloatVector wd = FloatVector.broadcast(F, (float) h.weightDecay());
        long wb = wo * 4;
        long gb = go * 4;
        long pb = po * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector y = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE)).fma(lr, w);
            FloatVector prev = FloatVector.fromMemorySegment(F, ps, pb + o, NATIVE);
            y.sub(prev).fma(mu, y).intoMemorySegment(ws, wb + o, NATIVE);
            y.intoMemorySegment(ps, pb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector y = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m)).fma(lr, w);
            FloatVector prev = FloatVector.fromMemorySegment(F, ps, pb + o, NATIVE, m);
            y.sub(prev).fma(mu, y).intoMemorySegment(ws, wb + o, NATIVE, m);
            y.intoMemorySegment(ps, pb + o, NATIVE, m);
        }
    }

    /**
     * AggMo: v_j ← β_j v_j + (g + wd·w) for each velocity; w ← w − (lr/K) Σ_j v_j. K = 3 (the paper's
     * default) has an unrolled vector loop; other K a vector loop over the K buffers per chunk.
     */
    static void aggmo(StepHyper.AggMo h, MemorySegment ws, long wo, MemorySegment gs, long go,
                             MemorySegment[] vs, long[] vo, int n) {
        double[] betas = h.betas();
        if (betas.length == 3) {
            aggmo3(h, betas, ws, wo, gs, go, vs, vo, n);
            return;
        }
        int k = betas.length;
        FloatVector step = FloatVector.broadcast(F, (float) (-h.lr() / k));
        FloatVector wd = FloatVector.broadcast(F, (float) h.weightDecay());
        float[] bf = new float[k];
        long[] vb = new long[k];
        for (int j = 0; j < k; j++) {
            bf[j] = (float) betas[j];
            vb[j] = vo[j] * 4;
        }
        FloatVector zero = FloatVector.zero(F);
        long wb = wo * 4;
        long gb = go * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            FloatVector sum = zero;
            for (int j = 0; j < k; j++) {
                FloatVector v = FloatVector.fromMemorySegment(F, vs[j], vb[j] + o, NATIVE)
                        .fma(FloatVector.broadcast(F, bf[j]), d);
                v.intoMemorySegment(vs[j], vb[j] + o, NATIVE);
                sum = sum.add(v);
            }
            sum.fma(step, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m));
            FloatVector sum = zero;
            for (int j = 0; j < k; j++) {
                FloatVector v = FloatVector.fromMemorySegment(F, vs[j], vb[j] + o, NATIVE, m)
                        .fma(FloatVector.broadcast(F, bf[j]), d);
                v.intoMemorySegment(vs[j], vb[j] + o, NATIVE, m);
                sum = sum.add(v);
            }
            sum.fma(step, w).intoMemorySegment(ws, wb + o, NATIVE, m);
        }
    }

    private static void aggmo3(StepHyper.AggMo h, double[] betas, MemorySegment ws, long wo, MemorySegment gs, long go,
                               MemorySegment[] vs, long[] vo, int n) {
        FloatVector step = FloatVector.broadcast(F, (float) (-h.lr() / 3));
        FloatVector wd = FloatVector.broadcast(F, (float) h.weightDecay());
        FloatVector b0 = FloatVector.broadcast(F, (float) betas[0]);
        FloatVector b1 = FloatVector.broadcast(F, (float) betas[1]);
        FloatVector b2 = FloatVector.broadcast(F, (float) betas[2]);
        MemorySegment s0 = vs[0];
        MemorySegment s1 = vs[1];
        MemorySegment s2 = vs[2];
        long wb = wo * 4;
        long gb = go * 4;
        long o0 = vo[0] * 4;
        long o1 = vo[1] * 4;
        long o2 = vo[2] * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            FloatVector v0 = FloatVector.fromMemorySegment(F, s0, o0 + o, NATIVE).fma(b0, d);
            FloatVector v1 = FloatVector.fromMemorySegment(F, s1, o1 + o, NATIVE).fma(b1, d);
            FloatVector v2 = FloatVector.fromMemorySegment(F, s2, o2 + o, NATIVE).fma(b2, d);
            v0.intoMemorySegment(s0, o0 + o, NATIVE);
            v1.intoMemorySegment(s1, o1 + o, NATIVE);
            v2.intoMemorySegment(s2, o2 + o, NATIVE);
            v0.add(v1).add(v2).fma(step, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m));
            FloatVector v0 = FloatVector.fromMemorySegment(F, s0, o0 + o, NATIVE, m).fma(b0, d);
            FloatVector v1 = FloatVector.fromMemorySegment(F, s1, o1 + o, NATIVE, m).fma(b1, d);
            FloatVector v2 = FloatVector.fromMemorySegment(F, s2, o2 + o, NATIVE, m).fma(b2, d);
            v0.intoMemorySegment(s0, o0 + o, NATIVE, m);
            v1.intoMemorySegment(s1, o1 + o, NATIVE, m);
            v2.intoMemorySegment(s2, o2 + o, NATIVE, m);
            v0.add(v1).add(v2).fma(step, w).intoMemorySegment(ws, wb + o, NATIVE, m);
        }
    }
}
