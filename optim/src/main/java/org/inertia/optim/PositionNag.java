package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.NagState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * The position-difference form of Nesterov's method shared by {@link Nag}, {@link AdaptiveRestartNag}
 * and {@link ScheduledRestartSgd}: y_k = w_{k−1} − s (g + wd·w_{k−1}); w_k = y_k + μ (y_k − y_{k−1}),
 * with y_0 = w_0 (state {@code "previous"}, initialised to a copy of the parameter). Subclasses choose μ.
 */
abstract class PositionNag<H extends Optimizer.Hyper> extends Optimizer<H> {
    PositionNag(String method, Backend backend) {
        super(method, backend);
    }

    @Override
    protected final StateLayout<NagState> stateLayout(Group<H> g) {
        return NagState.layout();
    }

    @Override
    protected final void initState(String key, NdArray buffer, Params p, H hyper) {
        buffer.copyFrom(p.param());
    }

    /** Weight decay of group g. */
    protected abstract double weightDecay(H hyper);

    /** The momentum of step k for group g. */
    protected abstract double mu(Group<H> g, long k);

    @Override
    protected StepHyper stepHyper(Group<H> g, long k) {
        return new StepHyper.Nag(g.lr(k), mu(g, k), weightDecay(g.hyper()));
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.nag((StepHyper.Nag) h, p.param(), p.grad(), (NagState) st);
    }

    /** Restarts the sequence: y_prev ← w for every parameter (the state the method had at k = 0). */
    protected void resetPrevious() {
        for (Group<H> g : groups()) {
            for (int i = 0; i < g.params().size(); i++) {
                NdArray prev = g.state(i, NagState.PREVIOUS);
                if (prev != null) {
                    prev.copyFrom(g.params().get(i).param());
                }
            }
        }
    }
}
