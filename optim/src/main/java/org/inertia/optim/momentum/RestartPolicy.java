package org.inertia.optim.momentum;

import java.util.Map;

/**
 * When momentum restarts: the policy owns the momentum clock (the argument of the
 * {@link MomentumSchedule}) and says when the momentum trace must be dropped. {@link #never()} keeps the
 * clock equal to the step k; {@link AdaptiveRestart} restarts on the function value (O'Donoghue and Candès
 * 2015, ARNAG); {@link ScheduledRestart} restarts every F steps with F per learning-rate stage (SRSGD,
 * Wang et al. 2020). Stateful: one instance per optimizer; its counters are part of the optimizer's state
 * dict ({@link #scalars()}).
 */
public interface RestartPolicy {
    /**
     * Whether {@link #beforeStep} needs the objective (the optimizer then requires {@code step(closure)}).
     *
     * @return true if restarts depend on the loss; false by default
     */
    default boolean needsObjective() {
        return false;
    }

    /**
     * Called at the start of step k with the objective at the current parameters (NaN without a closure).
     *
     * @param k    the step about to run, 1-based
     * @param loss the objective at the current parameters, or NaN when the step has no closure
     * @return true if the trace must restart from the current point before this step
     */
    boolean beforeStep(long k, double loss);

    /**
     * The momentum clock of step k (called after {@link #beforeStep}).
     *
     * @param k the step, 1-based
     * @return the clock c ≥ 1 the {@link MomentumSchedule} is evaluated at: k without restarts, else the
     *         steps since the last restart, counted from 1
     */
    long clock(long k);

    /**
     * Called when step k is done; does nothing by default.
     *
     * @param k the step just taken, 1-based
     */
    default void afterStep(long k) {
    }

    /**
     * The counters to export (state-dict scalars); empty if none.
     *
     * @return the counters by name, a snapshot
     */
    Map<String, Double> scalars();

    /**
     * Restores what {@link #scalars()} exported.
     *
     * @param scalars the counters by name, as {@link #scalars()} returned them
     */
    void loadScalars(Map<String, Double> scalars);

    /**
     * No restarts: the clock is the step k.
     *
     * @return a new stateless policy with no counters
     */
    static RestartPolicy never() {
        return new RestartPolicy() {
            @Override
            public boolean beforeStep(long k, double loss) {
                return false;
            }

            @Override
            public long clock(long k) {
                return k;
            }

            @Override
            public Map<String, Double> scalars() {
                return Map.of();
            }

            @Override
            public void loadScalars(Map<String, Double> scalars) {
            }
        };
    }
}
