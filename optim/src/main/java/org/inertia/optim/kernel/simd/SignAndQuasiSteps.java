package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.kernels.simd.FloatSpecies.I;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.inertia.optim.kernel.StepHyper;

/**
 * Fused float32 steps of Lion (Chen et al. 2023) and the quasi-hyperbolic methods QHM and QHAdam (Ma and
 * Yarats 2019); equations in the {@link StepHyper} records. Straight-line loops (Lion's sign is a bit
 * operation and one blend; QHAdam with ν2 = 1 runs a loop without the unused d² term); offsets in
 * elements, arguments validated by {@code OptimizerSteps}. Bytes per element: Lion and QHM read 12 and
 * write 8 (20); QHAdam reads 16 and writes 12 (28). Profile and timings: bench/RESULTS.md, "The new
 * methods' fused steps".
 */
final class SignAndQuasiSteps {
    private static final int L = F.length();

    private SignAndQuasiSteps() {
    }

    /**
     * Lion: c = β1 m + (1−β1) g; w ← decay·w − lr·sign(c); m ← β2 m + (1−β2) g.
     *
     * <p>sign(c) is {@link Math#signum(float)}: ±1 by bits ((c &amp; sign bit) | bits of 1) where |c| &gt; 0,
     * else c itself (±0 and NaN), so one compare and one blend. The compare-and-blend chain this replaced
     * (c &gt; 0, c &lt; 0, isNaN: three compares and three blends per vector) made the loop compute-bound
     * even in cache.
     */
    static void lion(StepHyper.Lion h, MemorySegment ws, long wo, MemorySegment gs, long go, MemorySegment ms,
                     long mo, int n) {
        IntVector signBit = IntVector.broadcast(I, 0x80000000);
        IntVector one = IntVector.broadcast(I, Float.floatToRawIntBits(1f));
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2()));
        FloatVector lr = FloatVector.broadcast(F, (float) (-h.lr()));
        FloatVector decay = FloatVector.broadcast(F, (float) (1 - h.lr() * h.weightDecay()));
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector g = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE);
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE);
            FloatVector c = m.fma(b1, g.mul(c1));
            FloatVector unit = c.reinterpretAsInts().and(signBit).or(one).reinterpretAsFloats();
            FloatVector sg = c.blend(unit, c.abs().compare(VectorOperators.GT, 0f));
            sg.fma(lr, FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE).mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
            m.fma(b2, g.mul(c2)).intoMemorySegment(ms, mb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector g = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k);
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE, k);
            FloatVector c = m.fma(b1, g.mul(c1));
            FloatVector unit = c.reinterpretAsInts().and(signBit).or(one).reinterpretAsFloats();
            FloatVector sg = c.blend(unit, c.abs().compare(VectorOperators.GT, 0f));
            sg.fma(lr, FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k).mul(decay)).intoMemorySegment(ws, wb + o, NATIVE, k);
            m.fma(b2, g.mul(c2)).intoMemorySegment(ms, mb + o, NATIVE, k);
        }
    }

    /** QHM: d = g + wd·w; b ← β b + (1−β) d; w ← w − lr(1−ν)·d − lrν·b. */
    static void qhm(StepHyper.Qhm h, MemorySegment ws, long wo, MemorySegment gs, long go, MemorySegment bs, long bo,
                    int n) {
        FloatVector wd = FloatVector.broadcast(F, (float) (h.weightDecay()));
        FloatVector beta = FloatVector.broadcast(F, (float) (h.beta()));
        FloatVector c = FloatVector.broadcast(F, (float) (1 - h.beta()));
        FloatVector ld = FloatVector.broadcast(F, (float) (-h.lr() * (1 - h.nu())));
        FloatVector lb = FloatVector.broadcast(F, (float) (-h.lr() * h.nu()));
        long wb = wo * 4;
        long gb = go * 4;
        long bb = bo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE).fma(beta, d.mul(c));
            b.intoMemorySegment(bs, bb + o, NATIVE);
            b.fma(lb, d.fma(ld, w)).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector d = w.fma(wd, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k));
            FloatVector b = FloatVector.fromMemorySegment(F, bs, bb + o, NATIVE, k).fma(beta, d.mul(c));
            b.intoMemorySegment(bs, bb + o, NATIVE, k);
            b.fma(lb, d.fma(ld, w)).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }

    /**
     * QHAdam: w ← decay·w − lr·(ν1 m + (1−ν1) d)/(√(ν2 v + (1−ν2) d²) + eps). ν2 = 1 runs
     * {@link #qhadamAdamDenominator}, any other ν2 {@link #qhadamScaledDenominator}.
     */
    static void qhadam(StepHyper.QhAdam h, MemorySegment ws, long wo, MemorySegment gs, long go, MemorySegment ms,
                       long mo, MemorySegment vs, long vo, int n) {
        if (h.nu2() == 1) {
            qhadamAdamDenominator(h, ws, wo, gs, go, ms, mo, vs, vo, n);
        } else {
            qhadamScaledDenominator(h, ws, wo, gs, go, ms, mo, vs, vo, n);
        }
    }

    /**
     * QHAdam with ν2 ≠ 1, the root's argument divided by the larger of its two weights,
     * c = max(ν2, 1−ν2) ≥ ½ (the identity of {@link QhAdamScaling}):
     * w ← decay·w + (p1 m + p0 d)/(√(v + k d²) + e) for ν2 ≥ ½, or with √(d² + k v) for ν2 &lt; ½, where
     * p1 = −lr ν1/√c, p0 = −lr (1−ν1)/√c, e = eps/√c and k = (1−c)/c ∈ [0, 1].
     *
     * <p>Four constants (p1, p0, k, e) replace the direct form's six (ν1, 1−ν1, ν2, 1−ν2, eps, −lr). One
     * FMA replaces a multiply and an FMA before the root, and one FMA (w·decay + step) replaces a multiply
     * and an FMA at the end. With 12 constants the direct form's 4×-unrolled loop did not fit AVX2's 16
     * ymm registers: C2 re-broadcast every constant at each use, spilled two, and the loop was
     * compute-bound (about 10 µs per 16,384 elements in cache against Adam's 6). With 10 constants all
     * stay in registers, and the loop takes about 6.5 µs (bench/RESULTS.md, "QHAdam with ν2 ≠ 1"). No
     * path has more roundings than in the direct form: each scaled constant is rounded once to float, as
     * the constants it replaces, and the scaling is exact in real arithmetic.
     */
    private static void qhadamScaledDenominator(StepHyper.QhAdam h, MemorySegment ws, long wo, MemorySegment gs,
                                                long go, MemorySegment ms, long mo, MemorySegment vs, long vo,
                                                int n) {
        QhAdamScaling c = QhAdamScaling.of(h);
        FloatVector l2 = FloatVector.broadcast(F, (float) (h.decoupled() ? 0 : h.weightDecay()));
        FloatVector decay = FloatVector.broadcast(F, (float) (h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1));
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1Adj()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1Adj()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2Adj()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2Adj()));
        FloatVector p1 = FloatVector.broadcast(F, c.p1());
        FloatVector p0 = FloatVector.broadcast(F, c.p0());
        FloatVector k = FloatVector.broadcast(F, c.k());
        FloatVector eps = FloatVector.broadcast(F, c.eps());
        boolean vWeighsMore = c.vWeighsMore();
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            FloatVector d2 = d.mul(d);
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, d2.mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE);
            v.intoMemorySegment(vs, vb + o, NATIVE);
            FloatVector x = vWeighsMore ? d2.fma(k, v) : v.fma(k, d2);
            FloatVector step = m.fma(p1, d.mul(p0)).div(x.sqrt().add(eps));
            w.fma(decay, step).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> mask = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, mask);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, mask));
            FloatVector d2 = d.mul(d);
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE, mask).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, mask).fma(b2, d2.mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE, mask);
            v.intoMemorySegment(vs, vb + o, NATIVE, mask);
            FloatVector x = vWeighsMore ? d2.fma(k, v) : v.fma(k, d2);
            FloatVector step = m.fma(p1, d.mul(p0)).div(x.sqrt().add(eps));
            w.fma(decay, step).intoMemorySegment(ws, wb + o, NATIVE, mask);
        }
    }

    /**
     * QHAdam with ν2 = 1 (the paper's recommended ν = (0.7, 1.0)): the denominator is √v + eps, as
     * Adam's, so the (1−ν2)·d² term (a multiply by 0 and an FMA per vector) is left out. Bit for bit the
     * general loop's result for finite d: ν2 v + 0·d² = v.
     */
    private static void qhadamAdamDenominator(StepHyper.QhAdam h, MemorySegment ws, long wo, MemorySegment gs,
                                              long go, MemorySegment ms, long mo, MemorySegment vs, long vo, int n) {
        FloatVector l2 = FloatVector.broadcast(F, (float) (h.decoupled() ? 0 : h.weightDecay()));
        FloatVector decay = FloatVector.broadcast(F, (float) (h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1));
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1Adj()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1Adj()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2Adj()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2Adj()));
        FloatVector nu1 = FloatVector.broadcast(F, (float) (h.nu1()));
        FloatVector r1 = FloatVector.broadcast(F, (float) (1 - h.nu1()));
        FloatVector eps = FloatVector.broadcast(F, (float) (h.eps()));
        FloatVector lr = FloatVector.broadcast(F, (float) (-h.lr()));
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        long vb = vo * 4;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE);
            v.intoMemorySegment(vs, vb + o, NATIVE);
            FloatVector num = m.fma(nu1, d.mul(r1));
            num.div(v.sqrt().add(eps)).fma(lr, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
        }
        if (i < n) {
            VectorMask<Float> k = F.indexInRange(i, n);
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE, k);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE, k));
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE, k).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE, k).fma(b2, d.mul(d).mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE, k);
            v.intoMemorySegment(vs, vb + o, NATIVE, k);
            FloatVector num = m.fma(nu1, d.mul(r1));
            num.div(v.sqrt().add(eps)).fma(lr, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE, k);
        }
    }
}
