package org.inertia.optim.momentum;

import java.util.Map;

/**
 * Function-value adaptive restart (O'Donoghue and Candès 2015, "Adaptive restart for accelerated gradient
 * schemes"): the clock m grows by one while the objective does not increase and is set back to 1 when it
 * does, f(w_{k−1}) &gt; f(w_{k−2}). With {@link MomentumSchedule#nesterovConvex()} μ = (m−1)/(m+2) is then 0,
 * so that step is a plain gradient step from the current point (the trace needs no reset). Needs the
 * objective; with noisy losses it restarts too often and degenerates towards gradient descent. Counters
 * exported as {@code m}, {@code lastLoss}, {@code restarts}.
 */
public final class AdaptiveRestart implements RestartPolicy {
    private long m = 1;
    private double lastLoss = Double.NaN;
    private long restarts;

    @Override
    public boolean needsObjective() {
        return true;
    }

    @Override
    public boolean beforeStep(long k, double loss) {
        if (k > 1) {
            if (loss > lastLoss) {
                m = 1;
                restarts++;
            } else {
                m++;
            }
        }
        lastLoss = loss;
        return false;
    }

    @Override
    public long clock(long k) {
        return m;
    }

    /** The current clock m (1 right after a restart). */
    public long counter() {
        return m;
    }

    /** Number of restarts so far. */
    public long restarts() {
        return restarts;
    }

    @Override
    public Map<String, Double> scalars() {
        return Map.of("m", (double) m, "lastLoss", lastLoss, "restarts", (double) restarts);
    }

    @Override
    public void loadScalars(Map<String, Double> s) {
        m = s.get("m").longValue();
        lastLoss = s.get("lastLoss");
        restarts = s.get("restarts").longValue();
    }
}
