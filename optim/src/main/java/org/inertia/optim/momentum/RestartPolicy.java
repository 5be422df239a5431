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
    /** Whether {@link #beforeStep} needs the objective (the optimizer then requires {@code step(closure)}). */
    default boolean needsObjective() {
        return false;
    }

    /**
     * Called at the start of step k with the objective at the current parameters (NaN without a closure).
     *
     * @return true if the trace must restart from the current point before this step
     */
    boolean beforeStep(long k, double loss);

    /** The momentum clock of step k (called after {@link #beforeStep}). */
    long clock(long k);

    /** Called when step k is done. */
    default void afterStep(long k) {
    }

    /** The counters to export (state-dict scalars); empty if none. */
    Map<String, Double> scalars();

    /** Restores what {@link #scalars()} exported. */
    void loadScalars(Map<String, Double> scalars);

    /** No restarts: the clock is the step k. */
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
