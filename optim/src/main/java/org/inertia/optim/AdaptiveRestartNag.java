package org.inertia.optim;

import java.util.Map;
import org.inertia.kernels.Backend;

/**
 * NAG with function-value adaptive restart (O'Donoghue and Candès 2015), position-difference form:
 * momentum (m−1)/(m+2) with a counter m that grows by one while the objective does not increase and is
 * reset to 1 when it does (μ = 0 then, so the step is a plain gradient step from the current point).
 *
 * <p>Needs the objective: {@link #step(LossClosure)} evaluates f at the current parameters w_{k−1}
 * (and fills the gradient there); if f(w_{k−1}) &gt; f(w_{k−2}) the counter restarts before step k.
 * The counter and the last loss are part of the exported state. With noisy gradients or losses it
 * restarts too often and degenerates towards gradient descent (the lecture's Case I/II).
 */
public final class AdaptiveRestartNag extends PositionNag<AdaptiveRestartNag.Hyper> {
    private long m = 1;
    private double lastLoss = Double.NaN;
    private long restarts;

    public record Hyper(double lr, double weightDecay) implements Optimizer.Hyper {
        public Hyper {
            Validate.nonNegative("lr", lr);
            Validate.nonNegative("weightDecay", weightDecay);
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
    protected boolean needsClosure() {
        return true;
    }

    @Override
    protected void beforeStep(long k, double loss) {
        if (k > 1) {
            if (loss > lastLoss) {
                m = 1;
                restarts++;
            } else {
                m++;
            }
        }
        lastLoss = loss;
    }

    @Override
    protected double weightDecay(Hyper h) {
        return h.weightDecay();
    }

    @Override
    protected double mu(Group<Hyper> g, long k) {
        return (m - 1.0) / (m + 2.0);
    }

    /** The current momentum counter m (1 right after a restart). */
    public long counter() {
        return m;
    }

    /** Number of restarts so far. */
    public long restarts() {
        return restarts;
    }

    @Override
    protected Map<String, Double> scalars() {
        return Map.of("m", (double) m, "lastLoss", lastLoss, "restarts", (double) restarts);
    }

    @Override
    protected void loadScalars(Map<String, Double> s) {
        m = s.get("m").longValue();
        lastLoss = s.get("lastLoss");
        restarts = s.get("restarts").longValue();
    }
}
