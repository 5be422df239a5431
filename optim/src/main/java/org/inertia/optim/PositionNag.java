package org.inertia.optim;

import java.util.Map;
import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.NagState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;
import org.inertia.optim.momentum.MomentumSchedule;
import org.inertia.optim.momentum.RestartPolicy;

/**
 * Nesterov's method in the position-difference form, the fused preset shared by {@link Nag},
 * {@link AdaptiveRestartNag} and {@link ScheduledRestartSgd}: y_k = w_{k−1} − s (g + wd·w_{k−1});
 * w_k = y_k + μ (y_k − y_{k−1}), with y_0 = w_0 (state {@code "previous"}, initialised to a copy of the
 * parameter). μ = schedule(clock), the clock owned by the {@link RestartPolicy}; when the policy restarts,
 * y_prev ← w. In the parts of {@code org.inertia.optim.momentum} this is a {@code LOOK_AHEAD} trace with lr
 * inside; the step runs the fused {@link OptimizerSteps#nag} kernel. Subclasses pick the schedule and the
 * policy.
 */
abstract class PositionNag<H extends Optimizer.Hyper> extends Optimizer<H> {
    PositionNag(String method, Backend backend) {
        super(method, backend);
    }

    /**
     * The restart policy: owns the momentum clock and its counters (one instance per optimizer).
     *
     * @return the same policy instance on every call
     */
    protected abstract RestartPolicy restartPolicy();

    @Override
    protected final StateLayout<NagState> stateLayout(Group<H> g) {
        return NagState.layout();
    }

    @Override
    protected final void initState(String key, NdArray buffer, Params p, H hyper) {
        buffer.copyFrom(p.param());
    }

    /**
     * The weight decay a group's hyperparameters ask for.
     *
     * @param hyper the group's hyperparameters
     * @return the L2 penalty wd added to the gradient, ≥ 0
     */
    protected abstract double weightDecay(H hyper);

    /**
     * The momentum schedule of group g: Nesterov's (c−1)/(c+2) unless overridden.
     *
     * @param g the group
     * @return μ as a function of the policy's momentum clock c
     */
    protected MomentumSchedule schedule(Group<H> g) {
        return MomentumSchedule.nesterovConvex();
    }

    /**
     * The learning rate of group g at step k: the group's, unless overridden.
     *
     * @param g the group
     * @param k the step, 1-based
     * @return the step size s, ≥ 0
     */
    protected double lr(Group<H> g, long k) {
        return g.lr(k);
    }

    @Override
    protected final boolean needsClosure() {
        return restartPolicy().needsObjective();
    }

    @Override
    protected final void beforeStep(long k, double loss) {
        if (restartPolicy().beforeStep(k, loss)) {
            resetPrevious();
        }
    }

    @Override
    protected final void afterStep(long k) {
        restartPolicy().afterStep(k);
    }

    @Override
    protected final StepHyper stepHyper(Group<H> g, long k) {
        return new StepHyper.Nag(lr(g, k), schedule(g).at(restartPolicy().clock(k)), weightDecay(g.hyper()));
    }

    @Override
    protected final void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.nag((StepHyper.Nag) h, p.param(), p.grad(), (NagState) st);
    }

    /** Restarts the sequence: y_prev ← w for every parameter (the state the method had at k = 0). */
    private void resetPrevious() {
        for (Group<H> g : groups()) {
            for (int i = 0; i < g.params().size(); i++) {
                NdArray prev = g.state(i, NagState.PREVIOUS);
                if (prev != null) {
                    prev.copyFrom(g.params().get(i).param());
                }
            }
        }
    }

    @Override
    protected final Map<String, Double> scalars() {
        return restartPolicy().scalars();
    }

    @Override
    protected final void loadScalars(Map<String, Double> s) {
        restartPolicy().loadScalars(s);
    }
}
