package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;
import org.inertia.optim.kernel.VelocityState;
import org.inertia.optim.momentum.MomentumSchedule;

/**
 * Polyak's heavy ball in the classic form, the fused preset shared by {@link HeavyBall} and
 * {@link SgdEarlyMomentum}: v ← μ_k v − lr·(g + wd·w); w ← w + v, v_0 = 0 (state {@code "velocity"}).
 * In the parts of {@code org.inertia.optim.momentum} this is a {@code PLAIN} trace with lr inside; the
 * step runs the fused {@link OptimizerSteps#heavyBall} kernel. Subclasses pick the momentum schedule.
 */
abstract class ClassicMomentum<H extends Optimizer.Hyper> extends Optimizer<H> {
    ClassicMomentum(String method, Backend backend) {
        super(method, backend);
    }

    /**
     * μ of group g by step k (the group's momentum schedule, if any, is the subclass's to apply).
     *
     * @param g the group
     * @return μ as a function of the step k (1-based)
     */
    protected abstract MomentumSchedule schedule(Group<H> g);

    /**
     * The weight decay a group's hyperparameters ask for.
     *
     * @param hyper the group's hyperparameters
     * @return the L2 penalty wd added to the gradient, ≥ 0
     */
    protected abstract double weightDecay(H hyper);

    @Override
    protected final StateLayout<VelocityState> stateLayout(Group<H> g) {
        return VelocityState.layout();
    }

    @Override
    protected final StepHyper stepHyper(Group<H> g, long k) {
        return new StepHyper.HeavyBall(g.lr(k), schedule(g).at(k), weightDecay(g.hyper()));
    }

    @Override
    protected final void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.heavyBall((StepHyper.HeavyBall) h, p.param(), p.grad(), (VelocityState) st);
    }
}
