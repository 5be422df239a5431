package org.inertia.optim.momentum;

import java.util.Map;
import java.util.Objects;

/**
 * Function-value adaptive restart (O'Donoghue and Candès 2015, "Adaptive restart for accelerated gradient
 * schemes", Found. Comput. Math. 15): the clock m grows by one while the objective does not increase and is
 * set back to 1 when it does. With {@link MomentumSchedule#nesterovConvex()} μ = (m−1)/(m+2) is then 0, so that
 * step is a plain gradient step from the current point (the trace needs no reset). Two places to test the
 * objective, in the position-difference form v_k = w_{k−1} − s∇f(w_{k−1}), w_k = v_k + μ (v_k − v_{k−1}):
 *
 * <ul>
 *   <li>{@link Test#ITERATE} (the default): the lecture's ARNAG slide, m(k) = m(k−1) + 1 if
 *       f(w_k) ≤ f(w_{k−1}), else 1 — the objective at the iterate w, where the gradient is taken anyway, so
 *       it costs nothing extra. Counters {@code m}, {@code lastLoss}, {@code restarts}.</li>
 *   <li>{@link Test#GRADIENT_STEP}: O'Donoghue and Candès's function scheme, restart when f(v_k) &gt; f(v_{k−1})
 *       — the objective at the gradient-step point v (their x^k), which the method descends monotonically when
 *       it does not restart. v is not where the gradient is taken, so f(v_k) costs one more evaluation per step:
 *       the optimizer reports it with {@link #recordGradientStep} after each step ({@code AdaptiveRestartNag}
 *       does); f(v_0) = f(w_0). Counters as above plus {@code gradientStepLoss}, f(v_k) of the last step.</li>
 * </ul>
 * Needs the objective; with noisy losses it restarts too often and degenerates towards gradient descent.
 */
public final class AdaptiveRestart implements RestartPolicy {
    /** Where the restart test evaluates the objective. */
    public enum Test {
        /** f(w_k) ≤ f(w_{k−1}) at the iterate w (the lecture's ARNAG); no extra evaluation. */
        ITERATE,
        /** f(v_k) ≤ f(v_{k−1}) at the gradient-step point v_k = w_{k−1} − s∇f(w_{k−1}) (O'Donoghue–Candès). */
        GRADIENT_STEP
    }

    private final Test test;
    private long m = 1;
    private double lastLoss = Double.NaN;
    private double gradientStepLoss = Double.NaN;
    private long restarts;
    private boolean reported;

    /** The lecture's test on the iterate ({@link Test#ITERATE}). */
    public AdaptiveRestart() {
        this(Test.ITERATE);
    }

    /**
     * A policy with the given restart test.
     *
     * @param test where the objective is tested: {@link Test#ITERATE} or {@link Test#GRADIENT_STEP}
     * @throws NullPointerException if {@code test} is null
     */
    public AdaptiveRestart(Test test) {
        this.test = Objects.requireNonNull(test, "test");
    }

    /**
     * Where this policy tests the objective.
     *
     * @return the test given at construction
     */
    public Test test() {
        return test;
    }

    @Override
    public boolean needsObjective() {
        return true;
    }

    /**
     * Step k begins. {@code loss} is f(w_{k−1}) from the closure. With {@link Test#ITERATE} it is compared with
     * f(w_{k−2}); with {@link Test#GRADIENT_STEP} it is used only at k = 1 (f(v_0) = f(w_0)) and f(v_{k−1}),
     * reported by {@link #recordGradientStep}, is compared with f(v_{k−2}).
     *
     * @throws IllegalStateException with {@link Test#GRADIENT_STEP}, if f(v_{k−1}) was not reported
     */
    @Override
    public boolean beforeStep(long k, double loss) {
        double current = loss;
        if (test == Test.GRADIENT_STEP && k > 1) {
            if (!reported) {
                throw new IllegalStateException("the GRADIENT_STEP restart test needs f(v_" + (k - 1) + ") at the "
                        + "gradient-step point after step " + (k - 1) + " (recordGradientStep); AdaptiveRestartNag reports "
                        + "it, the composed Momentum path does not: use Test.ITERATE there");
            }
            current = gradientStepLoss;
            reported = false;
        }
        if (k > 1) {
            if (current > lastLoss) {
                m = 1;
                restarts++;
            } else {
                m++;
            }
        }
        lastLoss = current;
        return false;
    }

    /**
     * Reports f(v_k) at the gradient-step point of the step just taken ({@link Test#GRADIENT_STEP}).
     *
     * @param objective f(v_k), the objective at the gradient-step point
     * @throws IllegalStateException if this policy does not use {@link Test#GRADIENT_STEP}
     */
    public void recordGradientStep(double objective) {
        if (test != Test.GRADIENT_STEP) {
            throw new IllegalStateException("recordGradientStep is for the GRADIENT_STEP test; this policy tests " + test);
        }
        gradientStepLoss = objective;
        reported = true;
    }

    @Override
    public long clock(long k) {
        return m;
    }

    /**
     * The current clock m (1 right after a restart).
     *
     * @return the clock m; &ge; 1
     */
    public long counter() {
        return m;
    }

    /**
     * Number of restarts so far.
     *
     * @return the restart count; &ge; 0
     */
    public long restarts() {
        return restarts;
    }

    @Override
    public Map<String, Double> scalars() {
        return test == Test.ITERATE ? Map.of("m", (double) m, "lastLoss", lastLoss, "restarts", (double) restarts)
                : Map.of("m", (double) m, "lastLoss", lastLoss, "restarts", (double) restarts,
                        "gradientStepLoss", gradientStepLoss);
    }

    @Override
    public void loadScalars(Map<String, Double> s) {
        for (String key : scalars().keySet()) {
            if (!s.containsKey(key)) {
                throw new IllegalArgumentException("adaptive-restart state has counters " + new java.util.TreeSet<>(s.keySet())
                        + ", the " + test + " test keeps " + new java.util.TreeSet<>(scalars().keySet()));
            }
        }
        m = s.get("m").longValue();
        lastLoss = s.get("lastLoss");
        restarts = s.get("restarts").longValue();
        if (test == Test.GRADIENT_STEP) {
            gradientStepLoss = s.get("gradientStepLoss");
            reported = true;
        }
    }
}
