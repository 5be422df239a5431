package org.inertia.kernels.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.kernels.simd.StepIo.bc;
import static org.inertia.kernels.simd.StepIo.load;
import static org.inertia.kernels.simd.StepIo.store;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.inertia.kernels.StepHyper;

/**
 * Fused float32 steps of the lecture's momentum methods that keep one state buffer besides the
 * parameter: heavy ball (classic form), Sutskever's Nesterov (look-ahead parametrisation) and NAG in
 * the position-difference form. Each reads w, g and the state (12 bytes) and writes w and the state
 * (8 bytes) per element. Offsets are in elements; arguments are validated by {@code CpuOptimizerSteps}.
 */
public final class MomentumSteps {
    private static final int L = F.length();

    private MomentumSteps() {
    }

    /** Heavy ball: v ← βv − lr·(g + wd·w); w ← w + v. */
    public static void heavyBall(StepHyper.HeavyBall h, MemorySegment ws, long wo, MemorySegment gs, long go,
                                 MemorySegment vs, long vo, int n) {
        float lr = (float) h.lr();
        float beta = (float) h.beta();
        float wd = (float) h.weightDecay();
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            heavyBallBlock(lr, beta, wd, ws, (wo + i) * 4, gs, (go + i) * 4, vs, (vo + i) * 4, null);
        }
        if (i < n) {
            heavyBallBlock(lr, beta, wd, ws, (wo + i) * 4, gs, (go + i) * 4, vs, (vo + i) * 4, F.indexInRange(i, n));
        }
    }

    private static void heavyBallBlock(float lr, float beta, float wd, MemorySegment ws, long wi, MemorySegment gs,
                                       long gi, MemorySegment vs, long vi, VectorMask<Float> m) {
        FloatVector w = load(ws, wi, m);
        FloatVector d = w.fma(bc(wd), load(gs, gi, m));
        FloatVector v = d.fma(bc(-lr), load(vs, vi, m).mul(beta));
        store(v, vs, vi, m);
        store(w.add(v), ws, wi, m);
    }

    /** Sutskever Nesterov on the look-ahead θ: v' = μv − lr·(g + wd·θ); θ ← θ − μv + (1 + μ_next)v'. */
    public static void nesterov(StepHyper.Nesterov h, MemorySegment ts, long to, MemorySegment gs, long go,
                                MemorySegment vs, long vo, int n) {
        float lr = (float) h.lr();
        float mu = (float) h.mu();
        float mu1 = (float) (1 + h.muNext());
        float wd = (float) h.weightDecay();
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            nesterovBlock(lr, mu, mu1, wd, ts, (to + i) * 4, gs, (go + i) * 4, vs, (vo + i) * 4, null);
        }
        if (i < n) {
            nesterovBlock(lr, mu, mu1, wd, ts, (to + i) * 4, gs, (go + i) * 4, vs, (vo + i) * 4, F.indexInRange(i, n));
        }
    }

    private static void nesterovBlock(float lr, float mu, float mu1, float wd, MemorySegment ts, long ti,
                                      MemorySegment gs, long gi, MemorySegment vs, long vi, VectorMask<Float> m) {
        FloatVector t = load(ts, ti, m);
        FloatVector vOld = load(vs, vi, m);
        FloatVector d = t.fma(bc(wd), load(gs, gi, m));
        FloatVector v = d.fma(bc(-lr), vOld.mul(mu));
        store(v, vs, vi, m);
        store(v.fma(bc(mu1), vOld.fma(bc(-mu), t)), ts, ti, m);
    }

    /** NAG, position-difference form: y = w − lr·(g + wd·w); w ← y + μ(y − y_prev); y_prev ← y. */
    public static void nag(StepHyper.Nag h, MemorySegment ws, long wo, MemorySegment gs, long go,
                           MemorySegment ps, long po, int n) {
        float lr = (float) h.lr();
        float mu = (float) h.mu();
        float wd = (float) h.weightDecay();
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            nagBlock(lr, mu, wd, ws, (wo + i) * 4, gs, (go + i) * 4, ps, (po + i) * 4, null);
        }
        if (i < n) {
            nagBlock(lr, mu, wd, ws, (wo + i) * 4, gs, (go + i) * 4, ps, (po + i) * 4, F.indexInRange(i, n));
        }
    }

    private static void nagBlock(float lr, float mu, float wd, MemorySegment ws, long wi, MemorySegment gs, long gi,
                                 MemorySegment ps, long pi, VectorMask<Float> m) {
        FloatVector w = load(ws, wi, m);
        FloatVector y = w.fma(bc(wd), load(gs, gi, m)).fma(bc(-lr), w);
        FloatVector prev = load(ps, pi, m);
        store(y.sub(prev).fma(bc(mu), y), ws, wi, m);
        store(y, ps, pi, m);
    }

    /** AggMo: v_j ← β_j v_j + (g + wd·w) for each velocity; w ← w − (lr/K) Σ_j v_j. */
    public static void aggmo(StepHyper.AggMo h, MemorySegment ws, long wo, MemorySegment gs, long go,
                             MemorySegment[] vs, long[] vo, int n) {
        double[] betas = h.betas();
        int k = betas.length;
        float[] b = new float[k];
        long[] vb = new long[k];
        for (int j = 0; j < k; j++) {
            b[j] = (float) betas[j];
            vb[j] = vo[j] * 4;
        }
        float step = (float) (h.lr() / k);
        float wd = (float) h.weightDecay();
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            aggmoBlock(step, wd, b, ws, (wo + i) * 4, gs, (go + i) * 4, vs, vb, i * 4L, null);
        }
        if (i < n) {
            aggmoBlock(step, wd, b, ws, (wo + i) * 4, gs, (go + i) * 4, vs, vb, i * 4L, F.indexInRange(i, n));
        }
    }

    private static void aggmoBlock(float step, float wd, float[] betas, MemorySegment ws, long wi, MemorySegment gs,
                                   long gi, MemorySegment[] vs, long[] vb, long rel, VectorMask<Float> m) {
        FloatVector w = load(ws, wi, m);
        FloatVector d = w.fma(bc(wd), load(gs, gi, m));
        FloatVector sum = FloatVector.zero(F);
        for (int j = 0; j < betas.length; j++) {
            FloatVector v = load(vs[j], vb[j] + rel, m).fma(bc(betas[j]), d);
            store(v, vs[j], vb[j] + rel, m);
            sum = sum.add(v);
        }
        store(sum.fma(bc(-step), w), ws, wi, m);
    }
}
