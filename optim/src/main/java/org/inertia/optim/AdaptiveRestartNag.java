package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.momentum.AdaptiveRestart;
import org.inertia.optim.momentum.MomentumSchedule;
import org.inertia.optim.momentum.RestartPolicy;

/**
 * NAG with function-value adaptive restart (O'Donoghue and Candès 2015), position-difference form:
 * momentum (m−1)/(m+2) with a counter m that grows by one while the objective does not increase and is
 * reset to 1 when it does (μ = 0 then, so the step is a plain gradient step from the current point).
 * Parts: {@link MomentumSchedule#nesterovConvex()} at the clock of an {@link AdaptiveRestart}.
 *
 * <p>Needs the objective: {@link #step(LossClosure)} evaluates f at the current parameters w_{k−1}
 * (and fills the gradient there); if f(w_{k−1}) &gt; f(w_{k−2}) the counter restarts before step k.
 * The counter and the last loss are part of the exported state. With noisy gradients or losses it
 * restarts too often and degenerates towards gradient descent (the lecture's Case I/II).
 */
public final class AdaptiveRestartNag extends PositionNag<AdaptiveRestartNag.Hyper> {
    private final AdaptiveRestart restart = new AdaptiveRestart();

    public record Hyper(double lr, double weightDecay) implements Optimizer.Hyper {
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("weightDecay", weightDecay);
        }

        public Hyper(double lr) {
            this(lr, 0);
        }
    }

    public AdaptiveRestartNag() {
        this(null);
    }

    public AdaptiveRestartNag(Backend backend) {
        super("arnag", backend);
    }

    @Override
    protected RestartPolicy restartPolicy() {
        return restart;
    }

    @Override
    protected double weightDecay(Hyper h) {
        return h.weightDecay();
    }

    /** The current momentum counter m (1 right after a restart). */
    public long counter() {
        return restart.counter();
    }

    /** Number of restarts so far. */
    public long restarts() {
        return restart.restarts();
    }
}
