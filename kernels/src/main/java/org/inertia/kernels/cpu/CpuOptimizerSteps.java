package org.inertia.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.StepHyper;
import org.inertia.kernels.reference.OptimizerStepsReference;
import org.inertia.kernels.simd.AdamStep;
import org.inertia.kernels.simd.AdaptiveSteps;
import org.inertia.kernels.simd.GradClip;
import org.inertia.kernels.simd.LangevinSteps;
import org.inertia.kernels.simd.MomentumSteps;
import org.inertia.kernels.simd.SgdStep;

/**
 * Validates the operands of the fused optimizer steps and runs the SIMD kernels (float32) or
 * {@link OptimizerStepsReference} (float64, or SIMD disabled).
 *
 * <p>Operands are contiguous arrays (any rank) with the parameter's shape and dtype, pairwise disjoint
 * in memory. Float32 arrays of at least {@link #CHUNKED_MIN} elements are cut into fixed chunks of
 * {@link #CHUNK} elements that run on the {@link KernelPool}: one core cannot saturate memory
 * bandwidth. The cut does not depend on the thread count, every element's update reads only its own
 * index (the samplers' noise included), and the sum of squares adds chunk partials in chunk order, so
 * results are bit-identical for any {@code inertia.threads}.
 */
public final class CpuOptimizerSteps {
    /** Elements per parallel chunk (256 KiB of floats per operand: amortises a task hand-off). */
    static final int CHUNK = 1 << 16;
    /** Arrays at least this long are chunked. */
    static final int CHUNKED_MIN = 1 << 17;

    private CpuOptimizerSteps() {
    }

    @FunctionalInterface
    private interface ChunkKernel {
        void run(long start, int length);
    }

    private static void forChunks(long n, ChunkKernel k) {
        if (n >= CHUNKED_MIN) {
            int chunks = Math.toIntExact((n + CHUNK - 1) / CHUNK);
            KernelPool.get().parallelFor(chunks, c -> {
                long start = (long) c * CHUNK;
                k.run(start, (int) Math.min(CHUNK, n - start));
            });
        } else {
            k.run(0, Math.toIntExact(n));
        }
    }

    private static boolean simd(NdArray param) {
        return param.dtype() == Dtype.F32 && SimdSupport.enabled();
    }

    /**
     * Checks the operands: param floating and contiguous; every other non-null operand open, same dtype
     * and shape, contiguous; all pairwise disjoint. {@code names[i]} names {@code arrays[i]}.
     */
    private static void check(String[] names, NdArray... arrays) {
        NdArray p = arrays[0];
        Checks.floating(names[0], p);
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < arrays.length; i++) {
            NdArray a = arrays[i];
            if (a == null) {
                continue;
            }
            Checks.open(names[i], a);
            if (a.dtype() != p.dtype()) {
                throw new IllegalArgumentException(names[i] + " is " + a.dtype() + " but " + names[0] + " is " + p.dtype());
            }
            Checks.sameShape(names[0], p, names[i], a);
            if (!a.isContiguous()) {
                throw new IllegalArgumentException(names[i] + " " + a.shape() + " with strides "
                        + java.util.Arrays.toString(a.strides()) + " must be contiguous for a fused optimizer step");
            }
            for (int j : present) {
                Checks.disjoint(names[j], arrays[j], names[i], a);
            }
            present.add(i);
        }
    }

    private static void required(String name, NdArray a, String why) {
        if (a == null) {
            throw new IllegalArgumentException(name + " is required " + why);
        }
    }

    private static MemorySegment seg(NdArray a) {
        return a == null ? MemorySegment.NULL : a.segment();
    }

    private static long off(NdArray a) {
        return a == null ? 0 : a.offset();
    }

    // ------------------------------------------------------------------ steps

    /** PyTorch SGD; {@code buf} is required when momentum ≠ 0. */
    public static void sgd(StepHyper.Sgd h, NdArray w, NdArray g, NdArray buf) {
        check(new String[] {"param", "grad", "momentumBuffer"}, w, g, h.hasMomentum() ? buf : null);
        if (h.hasMomentum()) {
            required("momentumBuffer", buf, "when momentum is " + h.momentum());
        }
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var bs = seg(buf);
            forChunks(w.numel(), (s, n) -> SgdStep.run(h, ws, w.offset() + s, gs, g.offset() + s, bs, off(buf) + s, n));
        } else {
            OptimizerStepsReference.sgd(h, w, g, buf);
        }
    }

    /** Heavy ball, classic form. */
    public static void heavyBall(StepHyper.HeavyBall h, NdArray w, NdArray g, NdArray v) {
        check(new String[] {"param", "grad", "velocity"}, w, g, v);
        required("velocity", v, "for heavy ball");
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var vs = v.segment();
            forChunks(w.numel(), (s, n) -> MomentumSteps.heavyBall(h, ws, w.offset() + s, gs, g.offset() + s, vs,
                    v.offset() + s, n));
        } else {
            OptimizerStepsReference.heavyBall(h, w, g, v);
        }
    }

    /** Sutskever Nesterov on the look-ahead parameter. */
    public static void nesterov(StepHyper.Nesterov h, NdArray w, NdArray g, NdArray v) {
        check(new String[] {"param", "grad", "velocity"}, w, g, v);
        required("velocity", v, "for Nesterov momentum");
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var vs = v.segment();
            forChunks(w.numel(), (s, n) -> MomentumSteps.nesterov(h, ws, w.offset() + s, gs, g.offset() + s, vs,
                    v.offset() + s, n));
        } else {
            OptimizerStepsReference.nesterov(h, w, g, v);
        }
    }

    /** NAG, position-difference form. */
    public static void nag(StepHyper.Nag h, NdArray w, NdArray g, NdArray prev) {
        check(new String[] {"param", "grad", "previous"}, w, g, prev);
        required("previous", prev, "for NAG");
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var ps = prev.segment();
            forChunks(w.numel(), (s, n) -> MomentumSteps.nag(h, ws, w.offset() + s, gs, g.offset() + s, ps,
                    prev.offset() + s, n));
        } else {
            OptimizerStepsReference.nag(h, w, g, prev);
        }
    }

    /** AggMo with one velocity buffer per β. */
    public static void aggmo(StepHyper.AggMo h, NdArray w, NdArray g, NdArray... v) {
        int k = h.betas().length;
        if (v == null || v.length != k) {
            throw new IllegalArgumentException("AggMo needs one velocity buffer per beta: " + k + " betas, "
                    + (v == null ? 0 : v.length) + " buffers");
        }
        String[] names = new String[k + 2];
        NdArray[] all = new NdArray[k + 2];
        names[0] = "param";
        names[1] = "grad";
        all[0] = w;
        all[1] = g;
        for (int j = 0; j < k; j++) {
            names[j + 2] = "velocity[" + j + "]";
            required(names[j + 2], v[j], "for AggMo");
            all[j + 2] = v[j];
        }
        check(names, all);
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            MemorySegment[] vs = new MemorySegment[k];
            for (int j = 0; j < k; j++) {
                vs[j] = v[j].segment();
            }
            forChunks(w.numel(), (s, n) -> {
                long[] vo = new long[k];
                for (int j = 0; j < k; j++) {
                    vo[j] = v[j].offset() + s;
                }
                MomentumSteps.aggmo(h, ws, w.offset() + s, gs, g.offset() + s, vs, vo, n);
            });
        } else {
            OptimizerStepsReference.aggmo(h, w, g, v);
        }
    }

    /** PyTorch Adagrad. */
    public static void adagrad(StepHyper.AdaGrad h, NdArray w, NdArray g, NdArray sum) {
        check(new String[] {"param", "grad", "sum"}, w, g, sum);
        required("sum", sum, "for Adagrad");
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var ss = sum.segment();
            forChunks(w.numel(), (s, n) -> AdaptiveSteps.adagrad(h, ws, w.offset() + s, gs, g.offset() + s, ss,
                    sum.offset() + s, n));
        } else {
            OptimizerStepsReference.adagrad(h, w, g, sum);
        }
    }

    /** PyTorch RMSprop; {@code gradAvg} required when centered, {@code buf} when momentum > 0. */
    public static void rmsprop(StepHyper.RmsProp h, NdArray w, NdArray g, NdArray sq, NdArray gradAvg, NdArray buf) {
        NdArray ga = h.centered() ? gradAvg : null;
        NdArray b = h.momentum() > 0 ? buf : null;
        check(new String[] {"param", "grad", "squareAvg", "gradAvg", "momentumBuffer"}, w, g, sq, ga, b);
        required("squareAvg", sq, "for RMSprop");
        if (h.centered()) {
            required("gradAvg", ga, "when centered");
        }
        if (h.momentum() > 0) {
            required("momentumBuffer", b, "when momentum is " + h.momentum());
        }
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var as = sq.segment();
            var cs = seg(ga);
            var bs = seg(b);
            forChunks(w.numel(), (s, n) -> AdaptiveSteps.rmsprop(h, ws, w.offset() + s, gs, g.offset() + s, as,
                    sq.offset() + s, cs, off(ga) + s, bs, off(b) + s, n));
        } else {
            OptimizerStepsReference.rmsprop(h, w, g, sq, ga, b);
        }
    }

    /** PyTorch Adam / AdamW; {@code vmax} required for AMSGrad. */
    public static void adam(StepHyper.Adam h, NdArray w, NdArray g, NdArray m, NdArray v, NdArray vmax) {
        NdArray x = h.amsgrad() ? vmax : null;
        check(new String[] {"param", "grad", "expAvg", "expAvgSq", "maxExpAvgSq"}, w, g, m, v, x);
        required("expAvg", m, "for Adam");
        required("expAvgSq", v, "for Adam");
        if (h.amsgrad()) {
            required("maxExpAvgSq", x, "for AMSGrad");
        }
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var ms = m.segment();
            var vs = v.segment();
            var xs = seg(x);
            forChunks(w.numel(), (s, n) -> AdamStep.run(h, ws, w.offset() + s, gs, g.offset() + s, ms, m.offset() + s,
                    vs, v.offset() + s, xs, off(x) + s, n));
        } else {
            OptimizerStepsReference.adam(h, w, g, m, v, x);
        }
    }

    /** PyTorch Rprop. */
    public static void rprop(StepHyper.Rprop h, NdArray w, NdArray g, NdArray prev, NdArray step) {
        check(new String[] {"param", "grad", "prev", "stepSize"}, w, g, prev, step);
        required("prev", prev, "for Rprop");
        required("stepSize", step, "for Rprop");
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var ps = prev.segment();
            var ss = step.segment();
            forChunks(w.numel(), (s, n) -> AdaptiveSteps.rprop(h, ws, w.offset() + s, gs, g.offset() + s, ps,
                    prev.offset() + s, ss, step.offset() + s, n));
        } else {
            OptimizerStepsReference.rprop(h, w, g, prev, step);
        }
    }

    /** SGLD. */
    public static void sgld(StepHyper.Sgld h, NdArray w, NdArray g) {
        check(new String[] {"param", "grad"}, w, g);
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            forChunks(w.numel(), (s, n) -> LangevinSteps.sgld(h, ws, w.offset() + s, gs, g.offset() + s, s, n));
        } else {
            OptimizerStepsReference.sgld(h, w, g);
        }
    }

    /** SGHMC. */
    public static void sghmc(StepHyper.Sghmc h, NdArray w, NdArray g, NdArray p) {
        check(new String[] {"param", "grad", "momentum"}, w, g, p);
        required("momentum", p, "for SGHMC");
        if (simd(w)) {
            var ws = w.segment();
            var gs = g.segment();
            var ps = p.segment();
            forChunks(w.numel(), (s, n) -> LangevinSteps.sghmc(h, ws, w.offset() + s, gs, g.offset() + s, ps,
                    p.offset() + s, s, n));
        } else {
            OptimizerStepsReference.sghmc(h, w, g, p);
        }
    }

    // ------------------------------------------------------------------ clipping

    /** Σ g_i² in double; chunk partial sums are added in chunk order. */
    public static double sumOfSquares(NdArray g) {
        check(new String[] {"grad"}, g);
        if (!simd(g)) {
            return OptimizerStepsReference.sumOfSquares(g);
        }
        var gs = g.segment();
        long n = g.numel();
        if (n < CHUNKED_MIN) {
            return GradClip.sumOfSquares(gs, g.offset(), (int) n);
        }
        int chunks = Math.toIntExact((n + CHUNK - 1) / CHUNK);
        double[] partial = new double[chunks];
        KernelPool.get().parallelFor(chunks, c -> {
            long start = (long) c * CHUNK;
            partial[c] = GradClip.sumOfSquares(gs, g.offset() + start, (int) Math.min(CHUNK, n - start));
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    /** g ← factor·g. */
    public static void scale(NdArray g, double factor) {
        check(new String[] {"grad"}, g);
        if (simd(g)) {
            var gs = g.segment();
            forChunks(g.numel(), (s, n) -> GradClip.scale((float) factor, gs, g.offset() + s, n));
        } else {
            OptimizerStepsReference.scale(g, factor);
        }
    }

    /** g ← clamp(g, −clip, clip); NaN stays NaN. */
    public static void clampValue(NdArray g, double clip) {
        check(new String[] {"grad"}, g);
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip value must be finite and >= 0, got " + clip);
        }
        if (simd(g)) {
            var gs = g.segment();
            forChunks(g.numel(), (s, n) -> GradClip.clampValue((float) clip, gs, g.offset() + s, n));
        } else {
            OptimizerStepsReference.clampValue(g, clip);
        }
    }
}
