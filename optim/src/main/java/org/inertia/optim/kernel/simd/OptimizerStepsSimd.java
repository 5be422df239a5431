package org.inertia.optim.kernel.simd;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.simd.FloatSpecies;
import org.inertia.optim.kernel.AdEMAMixState;
import org.inertia.optim.kernel.AdaGradState;
import org.inertia.optim.kernel.AdamState;
import org.inertia.optim.kernel.AdamaxState;
import org.inertia.optim.kernel.AggMoState;
import org.inertia.optim.kernel.LionState;
import org.inertia.optim.kernel.NagState;
import org.inertia.optim.kernel.OptimizerStepsSupport;
import org.inertia.optim.kernel.RmsPropState;
import org.inertia.optim.kernel.RpropState;
import org.inertia.optim.kernel.ScheduleFreeState;
import org.inertia.optim.kernel.SgdState;
import org.inertia.optim.kernel.SghmcState;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.VelocityState;

/**
 * The float32 fused optimizer steps on the Vector API: each method hands the range's segments and
 * element offsets to the method's loop ({@link SgdStep}, {@link MomentumSteps}, {@link AdaptiveSteps},
 * {@link AdamStep}, {@link LangevinSteps}). Loaded by name by {@code OptimizerStepsProvider}, only when
 * the vector module is present and SIMD is on, so nothing else in optim links an incubator class.
 */
public final class OptimizerStepsSimd implements OptimizerStepsSupport {

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public OptimizerStepsSimd() {
        if (FloatSpecies.LANES < 1) {
            throw new IllegalStateException("no float vector lanes: " + FloatSpecies.describe());
        }
    }

    private static MemorySegment seg(NdArray a) {
        return a == null ? MemorySegment.NULL : a.segment();
    }

    private static long off(NdArray a, long start) {
        return a == null ? 0 : a.offset() + start;
    }

    @Override
    public void sgd(StepHyper.Sgd h, NdArray w, NdArray g, SgdState s, long start, int n) {
        NdArray b = h.hasMomentum() ? s.momentumBuffer() : null;
        SgdStep.run(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, seg(b), off(b, start), n);
    }

    @Override
    public void heavyBall(StepHyper.HeavyBall h, NdArray w, NdArray g, VelocityState s, long start, int n) {
        NdArray v = s.velocity();
        MomentumSteps.heavyBall(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, v.segment(),
                v.offset() + start, n);
    }

    @Override
    public void nesterov(StepHyper.Nesterov h, NdArray w, NdArray g, VelocityState s, long start, int n) {
        NdArray v = s.velocity();
        MomentumSteps.nesterov(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, v.segment(),
                v.offset() + start, n);
    }

    @Override
    public void nag(StepHyper.Nag h, NdArray w, NdArray g, NagState s, long start, int n) {
        NdArray p = s.previous();
        MomentumSteps.nag(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, p.segment(),
                p.offset() + start, n);
    }

    @Override
    public void aggmo(StepHyper.AggMo h, NdArray w, NdArray g, AggMoState s, long start, int n) {
        List<NdArray> v = s.velocities();
        int k = v.size();
        MemorySegment[] vs = new MemorySegment[k];
        long[] vo = new long[k];
        for (int j = 0; j < k; j++) {
            vs[j] = v.get(j).segment();
            vo[j] = v.get(j).offset() + start;
        }
        MomentumSteps.aggmo(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, vs, vo, n);
    }

    @Override
    public void adagrad(StepHyper.AdaGrad h, NdArray w, NdArray g, AdaGradState s, long start, int n) {
        NdArray sum = s.sum();
        AdaptiveSteps.adagrad(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, sum.segment(),
                sum.offset() + start, n);
    }

    @Override
    public void rmsprop(StepHyper.RmsProp h, NdArray w, NdArray g, RmsPropState s, long start, int n) {
        NdArray a = s.squareAvg();
        NdArray c = h.centered() ? s.gradAvg() : null;
        NdArray b = h.momentum() > 0 ? s.momentumBuffer() : null;
        AdaptiveSteps.rmsprop(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, a.segment(),
                a.offset() + start, seg(c), off(c, start), seg(b), off(b, start), n);
    }

    @Override
    public void adam(StepHyper.Adam h, NdArray w, NdArray g, AdamState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray v = s.expAvgSq();
        NdArray x = h.amsgrad() ? s.maxExpAvgSq() : null;
        AdamStep.run(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, m.segment(),
                m.offset() + start, v.segment(), v.offset() + start, seg(x), off(x, start), n);
    }

    @Override
    public void rprop(StepHyper.Rprop h, NdArray w, NdArray g, RpropState s, long start, int n) {
        NdArray p = s.prev();
        NdArray st = s.stepSize();
        AdaptiveSteps.rprop(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, p.segment(),
                p.offset() + start, st.segment(), st.offset() + start, n);
    }

    @Override
    public void sgld(StepHyper.Sgld h, NdArray w, NdArray g, long start, int n) {
        LangevinSteps.sgld(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, start, n);
    }

    @Override
    public void sghmc(StepHyper.Sghmc h, NdArray w, NdArray g, SghmcState s, long start, int n) {
        NdArray p = s.momentum();
        LangevinSteps.sghmc(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, p.segment(),
                p.offset() + start, start, n);
    }
    @Override
    public void nadam(StepHyper.NAdam h, NdArray w, NdArray g, AdamState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray v = s.expAvgSq();
        AdamFamilySteps.nadam(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, m.segment(),
                m.offset() + start, v.segment(), v.offset() + start, n);
    }

    @Override
    public void radam(StepHyper.RAdam h, NdArray w, NdArray g, AdamState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray v = s.expAvgSq();
        AdamFamilySteps.radam(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, m.segment(),
                m.offset() + start, v.segment(), v.offset() + start, n);
    }

    @Override
    public void adamax(StepHyper.Adamax h, NdArray w, NdArray g, AdamaxState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray u = s.expInf();
        AdamFamilySteps.adamax(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, m.segment(),
                m.offset() + start, u.segment(), u.offset() + start, n);
    }

    @Override
    public void lion(StepHyper.Lion h, NdArray w, NdArray g, LionState s, long start, int n) {
        NdArray m = s.expAvg();
        SignAndQuasiSteps.lion(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, m.segment(),
                m.offset() + start, n);
    }

    @Override
    public void qhm(StepHyper.Qhm h, NdArray w, NdArray g, SgdState s, long start, int n) {
        NdArray b = s.momentumBuffer();
        SignAndQuasiSteps.qhm(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, b.segment(),
                b.offset() + start, n);
    }

    @Override
    public void qhadam(StepHyper.QhAdam h, NdArray w, NdArray g, AdamState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray v = s.expAvgSq();
        SignAndQuasiSteps.qhadam(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, m.segment(),
                m.offset() + start, v.segment(), v.offset() + start, n);
    }

    @Override
    public void ademamix(StepHyper.AdEMAMix h, NdArray w, NdArray g, AdEMAMixState s, long start, int n) {
        NdArray a = s.expAvgFast();
        NdArray b = s.expAvgSlow();
        NdArray v = s.expAvgSq();
        AdamFamilySteps.ademamix(h, w.segment(), w.offset() + start, g.segment(), g.offset() + start, a.segment(),
                a.offset() + start, b.segment(), b.offset() + start, v.segment(), v.offset() + start, n);
    }

    @Override
    public void scheduleFreeSgd(StepHyper.ScheduleFreeSgd h, NdArray y, NdArray g, ScheduleFreeState s, long start,
                                int n) {
        NdArray z = s.z();
        ScheduleFreeSteps.sgd(h, y.segment(), y.offset() + start, g.segment(), g.offset() + start, z.segment(),
                z.offset() + start, n);
    }

    @Override
    public void scheduleFreeAdamW(StepHyper.ScheduleFreeAdamW h, NdArray y, NdArray g, ScheduleFreeState s,
                                  long start, int n) {
        NdArray z = s.z();
        NdArray v = s.expAvgSq();
        ScheduleFreeSteps.adamw(h, y.segment(), y.offset() + start, g.segment(), g.offset() + start, z.segment(),
                z.offset() + start, v.segment(), v.offset() + start, n);
    }

    @Override
    public void lerp(NdArray w, NdArray z, double t, long start, int n) {
        ScheduleFreeSteps.lerp(w.segment(), w.offset() + start, z.segment(), z.offset() + start, t, n);
    }
}
