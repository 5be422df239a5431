package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.inertia.optim.kernel.StepHyper;

/**
 * Fused PyTorch SGD step over float32 (param w, grad g, momentum buffer b), one pass:
 * d = ±g + wd·w; b = first ? d : μb + (1−τ)d; d = nesterov ? d + μb : b; w ← w − lr·d.
 * Reads 8 bytes and writes 4 per element without momentum, reads 12 and writes 8 with it.
 * Offsets are in elements; arguments are validated by {@code OptimizerSteps}.
 *
 * <p>Each mode has its own straight-line loop (vector body, then the same arithmetic once more with a
 * mask for the tail): a vector value chosen by a branch inside the loop, or an arithmetic helper that
 * C2 declines to inline, makes C2 box the vectors, which costs about 5x. The first momentum step
 * (b ← d) has its own vector loops too (one per Nesterov choice).
 */
final class SgdStep {
    private static final int L = F.length();

    private SgdStep() {
    }

    /** One step over n elements; {@code bs} is ignored (may be null) when momentum is 0. */
    static void run(StepHyper.Sgd h, MemorySegment ws, long wo, MemorySegment gs, long go,
                           MemorySegment bs, long bo, int n) {
        // every per-step scalar is rounded to float once, here, not per element
        float sign = h.maximize() ? -1f : 1f; // ±1: multiplying by it is exact
        float lr = (float) h.lr();
        float wd = (float) h.weightDecay();
        float mu = (float) h.momentum();
        float damp1 = (float) (1 - h.dampening());
        if (!h.hasMomentum()) {
            plain(sign, lr, wd, ws, wo * 4, gs, go * 4, n);
        } else if (h.firstStep()) {
            first(sign, lr, wd, mu, h.nesterov(), ws, wo, gs, go, bs, bo, n);
        } else if (h.nesterov()) {
            nesterov(sign, lr, wd, mu, damp1, ws, wo * 4, gs, go * 4, bs, bo * 4, n);
        } else {
            momentum(sign, lr, wd, mu, damp1, ws, wo * 4, gs, go * 4, bs, bo * 4, n);
        }
    }

    private static void plain(float sign, float lr, float wd, MemorySegment ws, long wb, MemorySegment gs, long gb,
                              int n) {
        FloatVector vlr = FloatVector.broadcast(F, -lr);
        FloatVector vwd = FloatVector.broadcast(F, wd);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            d.fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m).mul(sign));
            d.fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE, m);
        }
    }

    private static void momentum(float sign, float lr, float wd, float mu, float damp1, MemorySegment ws, long wb,
                                 MemorySegment gs, long gb, MemorySegment bs, long bb, int n) {
        FloatVector vlr = FloatVector.broadcast(F, -lr);
        FloatVector vwd = FloatVector.broadcast(F, wd);
        FloatVector vmu = FloatVector.broadcast(F, mu);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE).fma(vmu, d.mul(damp1));
            b.intoMemorySegment(bs, bb + o, NATIVE);
            b.fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m).mul(sign));
            FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE, m).fma(vmu, d.mul(damp1));
            b.intoMemorySegment(bs, bb + o, NATIVE, m);
            b.fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE, m);
        }
    }

    /** Nesterov: b ← μb + (1−τ)d; w ← w − lr·(d + μb) (the optimizer validates τ = 0). */
    private static void nesterov(float sign, float lr, float wd, float mu, float damp1, MemorySegment ws, long wb,
                                 MemorySegment gs, long gb, MemorySegment bs, long bb, int n) {
        FloatVector vlr = FloatVector.broadcast(F, -lr);
        FloatVector vwd = FloatVector.broadcast(F, wd);
        FloatVector vmu = FloatVector.broadcast(F, mu);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE).fma(vmu, d.mul(damp1));
            b.intoMemorySegment(bs, bb + o, NATIVE);
            b.fma(vmu, d).fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, m);
            FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, m).mul(sign));
            FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE, m).fma(vmu, d.mul(damp1));
            b.intoMemorySegment(bs, bb + o, NATIVE, m);
            b.fma(vmu, d).fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE, m);
        }
    }

    /**
     * The first momentum step: b ← d (PyTorch's buf = clone(d)), then w ← w − lr·(nesterov ? d + μd : d).
     * Offsets in elements.
     */
    private static void first(float sign, float lr, float wd, float mu, boolean nesterov, MemorySegment ws, long wo,
                              MemorySegment gs, long go, MemorySegment bs, long bo, int n) {
        FloatVector vlr = FloatVector.broadcast(F, -lr);
        FloatVector vwd = FloatVector.broadcast(F, wd);
        FloatVector vmu = FloatVector.broadcast(F, mu);
        if (nesterov) {
            long wb = wo * 4;
            long gb = go * 4;
            long bb = bo * 4;
            int i = 0;
            for (int bound = F.loopBound(n); i < bound; i += L) {
                long o = i * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
                FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
                d.intoMemorySegment(bs, bb + o, NATIVE);
                d.fma(vmu, d).fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE);
            }
            if (i < n) {
                VectorMask<Float> k = F.indexInRange(i, n);
                long o = i * 4L;
                FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
                FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k).mul(sign));
                d.intoMemorySegment(bs, bb + o, NATIVE, k);
                d.fma(vmu, d).fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE, k);
            }
            return;
        }
        long wb = wo * 4;
        long gb = go * 4;
        long bb = bo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE).mul(sign));
            d.intoMemorySegment(bs, bb + o, NATIVE);
            d.fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector d = w.fma(vwd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k).mul(sign));
            d.intoMemorySegment(bs, bb + o, NATIVE, k);
            d.fma(vlr, w).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }
}
