package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.momentum.MomentumSchedule;

/**
 * Polyak's heavy ball in the classic form (lecture, Polyak 1964): v ← βv − α(g + wd·w); w ← w + v,
 * v_0 = 0. Equivalently w_k = w_{k−1} − α g + β (w_{k−1} − w_{k−2}). The step size sits inside the
 * velocity, so a learning-rate change affects only new gradient contributions (unlike {@link Sgd}).
 * A momentum schedule, if set, replaces β. {@link HeavyBallTuning} gives α and β for a quadratic with
 * known curvature bounds. Parts: a constant {@link MomentumSchedule}, see {@link ClassicMomentum}.
 */
public final class HeavyBall extends ClassicMomentum<HeavyBall.Hyper> {

    public record Hyper(double lr, double beta, double weightDecay) implements Optimizer.Hyper {
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("beta", beta);
            Checks.nonNegative("weightDecay", weightDecay);
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
    protected MomentumSchedule schedule(Group<Hyper> g) {
        double beta = g.hyper().beta();
        return k -> g.momentum(k, beta);
    }

    @Override
    protected double weightDecay(Hyper h) {
        return h.weightDecay();
    }
}
