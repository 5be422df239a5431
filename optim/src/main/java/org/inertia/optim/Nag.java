package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.momentum.MomentumSchedule;
import org.inertia.optim.momentum.RestartPolicy;

/**
 * Nesterov's accelerated gradient with the convex schedule (position-difference form, see
 * {@link PositionNag}): μ_k = (k−1)/(k+2), so μ_1 = 0. O(1/k²) for convex L-smooth f with s ≤ 1/L; not
 * monotone; with an inexact gradient the error accumulates as O(kδ). A momentum schedule, if set,
 * replaces (k−1)/(k+2). Parts: {@link MomentumSchedule#nesterovConvex()}, {@link RestartPolicy#never()}.
 */
public final class Nag extends PositionNag<Nag.Hyper> {
    private final RestartPolicy restart = RestartPolicy.never();

    /**
     * Validated hyperparameters.
     *
     * @param lr          the step size s, finite and ≥ 0 (s ≤ 1/L for the convex rate)
     * @param weightDecay L2 penalty wd added to the gradient, finite and ≥ 0
     */
    public record Hyper(double lr, double weightDecay) implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above
         */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("weightDecay", weightDecay);
        }

        /**
         * Hyperparameters without weight decay.
         *
         * @param lr the step size s, finite and ≥ 0
         * @throws IllegalArgumentException if lr is out of range
         */
        public Hyper(double lr) {
            this(lr, 0);
        }
    }

    /** NAG with no groups yet, on the default backend ({@code Backends.get()}). */
    public Nag() {
        this(null);
    }

    /**
     * NAG with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
    public Nag(Backend backend) {
        super("nag", backend);
    }

    @Override
    protected RestartPolicy restartPolicy() {
        return restart;
    }

    @Override
    protected double weightDecay(Hyper h) {
        return h.weightDecay();
    }

    @Override
    protected MomentumSchedule schedule(Group<Hyper> g) {
        MomentumSchedule convex = MomentumSchedule.nesterovConvex();
        return k -> g.momentum(k, convex.at(k));
    }
}
