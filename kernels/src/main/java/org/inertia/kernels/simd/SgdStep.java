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
 * Fused PyTorch SGD step over float32 (param w, grad g, momentum buffer b), one pass:
 * d = ±g + wd·w; b = first ? d : μb + (1−τ)d; d = nesterov ? d + μb : b; w ← w − lr·d.
 * Reads 8 bytes and writes 4 per element without momentum, reads 12 and writes 8 with it.
 * Offsets are in elements; arguments are validated by {@code CpuOptimizerSteps}.
 */
public final class SgdStep {
    private static final int L = F.length();

    private SgdStep() {
    }

    /** One step over n elements; {@code bs} is ignored (may be null) when momentum is 0. */
    public static void run(StepHyper.Sgd h, MemorySegment ws, long wo, MemorySegment gs, long go,
                           MemorySegment bs, long bo, int n) {
        // every per-step scalar is rounded to float once, here, not per element
        float sign = h.maximize() ? -1f : 1f; // ±1: multiplying by it is exact
        float lr = (float) h.lr();
        float wd = (float) h.weightDecay();
        float mu = (float) h.momentum();
        float damp1 = (float) (1 - h.dampening());
        int mode = !h.hasMomentum() ? 0 : h.firstStep() ? 1 : h.nesterov() ? 3 : 2;
        long wb = wo * 4;
        long gb = go * 4;
        long bb = bo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            block(mode, sign, lr, wd, mu, damp1, h.nesterov(), ws, wb + i * 4L, gs, gb + i * 4L, bs, bb + i * 4L, null);
        }
        if (i < n) {
            block(mode, sign, lr, wd, mu, damp1, h.nesterov(), ws, wb + i * 4L, gs, gb + i * 4L, bs, bb + i * 4L,
                    F.indexInRange(i, n));
        }
    }

    private static void block(int mode, float sign, float lr, float wd, float mu, float damp1, boolean nesterov,
                              MemorySegment ws, long wi, MemorySegment gs, long gi, MemorySegment bs, long bi,
                              VectorMask<Float> m) {
        FloatVector w = load(ws, wi, m);
        FloatVector d = load(gs, gi, m).mul(sign).add(w.mul(wd));
        if (mode != 0) {
            FloatVector b = mode == 1 ? d : load(bs, bi, m).fma(bc(mu), d.mul(damp1));
            store(b, bs, bi, m);
            d = nesterov ? b.fma(bc(mu), d) : b;
        }
        store(d.fma(bc(-lr), w), ws, wi, m);
    }
}
