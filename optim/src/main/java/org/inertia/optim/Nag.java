package org.inertia.optim;

import org.inertia.kernels.Backend;

/**
 * Nesterov's accelerated gradient with the convex schedule (position-difference form, see
 * {@link PositionNag}): μ_k = (k−1)/(k+2), so μ_1 = 0. O(1/k²) for convex L-smooth f with s ≤ 1/L; not
 * monotone; with an inexact gradient the error accumulates as O(kδ). A momentum schedule, if set,
 * replaces (k−1)/(k+2).
 */
public final class Nag extends PositionNag<Nag.Hyper> {

    public record Hyper(double lr, double weightDecay) implements Optimizer.Hyper {
        public Hyper {
            Validate.nonNegative("lr", lr);
            Validate.nonNegative("weightDecay", weightDecay);
        }

        public Hyper(double lr) {
            this(lr, 0);
        }
    }

    public Nag() {
        this(null);
    }

    public Nag(Backend backend) {
        super("nag", backend);
    }

    @Override
    protected double weightDecay(Hyper h) {
        return h.weightDecay();
    }

    @Override
    protected double mu(Group<Hyper> g, long k) {
        return g.momentum(k, (k - 1.0) / (k + 2.0));
    }
}
