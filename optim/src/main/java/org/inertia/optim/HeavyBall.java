package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;
import org.inertia.optim.kernel.VelocityState;

/**
 * Polyak's heavy ball in the classic form (lecture, Polyak 1964): v ← βv − α(g + wd·w); w ← w + v,
 * v_0 = 0. Equivalently w_k = w_{k−1} − α g + β (w_{k−1} − w_{k−2}). The step size sits inside the
 * velocity, so a learning-rate change affects only new gradient contributions (unlike {@link Sgd}).
 * {@link HeavyBallTuning} gives α and β for a quadratic with known curvature bounds.
 */
public final class HeavyBall extends Optimizer<HeavyBall.Hyper> {

    public record Hyper(double lr, double beta, double weightDecay) implements Optimizer.Hyper {
        public Hyper {
            Validate.nonNegative("lr", lr);
            Validate.unit("beta", beta);
            Validate.nonNegative("weightDecay", weightDecay);
        }

        public Hyper(double lr, double beta) {
            this(lr, beta, 0);
        }
    }

    public HeavyBall() {
        this(null);
    }

    public HeavyBall(Backend backend) {
        super("heavy-ball", backend);
    }

    @Override
    protected StateLayout<VelocityState> stateLayout(Group<Hyper> g) {
        return VelocityState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        return new StepHyper.HeavyBall(g.lr(k), g.momentum(k, h.beta()), h.weightDecay());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.heavyBall((StepHyper.HeavyBall) h, p.param(), p.grad(), (VelocityState) st);
    }
}
