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
 * Fused float32 Adam / AdamW step (PyTorch semantics, see {@link StepHyper.Adam}), one pass over
 * w, g, m, v (and v_max for AMSGrad). Bias corrections arrive hoisted as {@code stepSize} and
 * {@code invBc2Sqrt}, so the loop is two FMAs per moment, a square root, a divide and one FMA for w.
 * Bytes per element: read 16, write 12 (28; AMSGrad 36). The square root and the divide vectorize
 * (vsqrtps / vdivps), which is what keeps the kernel memory-bound.
 */
public final class AdamStep {
    private static final int L = F.length();

    private AdamStep() {
    }

    /** One step over n elements; {@code xs} (v_max) is ignored unless AMSGrad. Offsets in elements. */
    public static void run(StepHyper.Adam h, MemorySegment ws, long wo, MemorySegment gs, long go,
                           MemorySegment ms, long mo, MemorySegment vs, long vo, MemorySegment xs, long xo, int n) {
        float sign = h.maximize() ? -1f : 1f;
        float b1 = (float) h.beta1();
        float c1 = (float) (1 - h.beta1());
        float b2 = (float) h.beta2();
        float c2 = (float) (1 - h.beta2());
        float eps = (float) h.eps();
        float step = (float) h.stepSize();
        float ibc2 = (float) h.invBc2Sqrt();
        // L2 Adam adds wd·w to the gradient; AdamW scales w by (1 − lr·wd) instead
        float l2 = h.decoupled() ? 0f : (float) h.weightDecay();
        float decay = h.decoupled() ? (float) (1 - h.lr() * h.weightDecay()) : 1f;
        boolean ams = h.amsgrad();
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            block(sign, b1, c1, b2, c2, eps, step, ibc2, l2, decay, ams, ws, (wo + i) * 4, gs, (go + i) * 4,
                    ms, (mo + i) * 4, vs, (vo + i) * 4, xs, (xo + i) * 4, null);
        }
        if (i < n) {
            block(sign, b1, c1, b2, c2, eps, step, ibc2, l2, decay, ams, ws, (wo + i) * 4, gs, (go + i) * 4,
                    ms, (mo + i) * 4, vs, (vo + i) * 4, xs, (xo + i) * 4, F.indexInRange(i, n));
        }
    }

    private static void block(float sign, float b1, float c1, float b2, float c2, float eps, float step, float ibc2,
                              float l2, float decay, boolean ams, MemorySegment ws, long wi, MemorySegment gs, long gi,
                              MemorySegment ms, long mi, MemorySegment vs, long vi, MemorySegment xs, long xi,
                              VectorMask<Float> msk) {
        FloatVector w = load(ws, wi, msk);
        FloatVector d = load(gs, gi, msk).mul(sign);
        if (l2 != 0f) {
            d = w.fma(bc(l2), d);
        }
        if (decay != 1f) {
            w = w.mul(decay);
        }
        FloatVector m = load(ms, mi, msk).fma(bc(b1), d.mul(c1));
        FloatVector v = load(vs, vi, msk).fma(bc(b2), d.mul(d).mul(c2));
        store(m, ms, mi, msk);
        store(v, vs, vi, msk);
        if (ams) {
            v = load(xs, xi, msk).max(v);
            store(v, xs, xi, msk);
        }
        FloatVector denom = v.sqrt().fma(bc(ibc2), FloatVector.broadcast(F, eps));
        store(m.div(denom).fma(bc(-step), w), ws, wi, msk);
    }
}
