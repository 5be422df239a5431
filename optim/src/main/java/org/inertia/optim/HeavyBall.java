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

    /**
     * Validated hyperparameters.
     *
     * @param lr          the step size α, finite and ≥ 0
     * @param beta        the momentum β in [0, 1) (replaced by a group momentum schedule, if set)
     * @param weightDecay L2 penalty wd added to the gradient, finite and ≥ 0
     */
    public record Hyper(double lr, double beta, double weightDecay) implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above
         */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("beta", beta);
            Checks.nonNegative("weightDecay", weightDecay);
        }

        /**
         * Hyperparameters without weight decay.
         *
         * @param lr   the step size α, finite and ≥ 0
         * @param beta the momentum β in [0, 1)
         * @throws IllegalArgumentException if a value is out of range
         */
        public Hyper(double lr, double beta) {
            this(lr, beta, 0);
        }
    }

    /** A heavy-ball optimizer with no groups yet, on the default backend ({@code Backends.get()}). */
    public HeavyBall() {
        this(null);
    }

    /**
     * A heavy-ball optimizer with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
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
