package org.inertia.optim.momentum;

import java.util.Map;
import java.util.Objects;
import java.util.function.IntToLongFunction;
import java.util.function.LongToIntFunction;

/**
 * Scheduled restart (SRSGD / SRNAG: Wang, Nguyen, Sun, Bertozzi, Baraniuk, Osher 2020, arXiv:2002.10583,
 * reference code {@code optimizers/srsgd.py}): the clock c runs 1, 2, …, F−1 and then restarts at 1, with
 * the restart frequency F given per learning-rate stage (linear or exponential schedules of F). At a stage
 * change the trace restarts from the current point (the reference code re-creates the optimizer at each lr
 * drop) and c carries over, restarting at 1 if it is no longer below the new F. Counters exported as
 * {@code c} and {@code stage}.
 */
public final class ScheduledRestart implements RestartPolicy {
    private final LongToIntFunction stageOf;
    private final IntToLongFunction frequency;
    private long c = 1;
    private int stage;

    /**
     * @param stageOf   the learning-rate stage of step k
     * @param frequency the restart frequency F of a stage (F ≥ 1; F = 1 means no momentum)
     */
    public ScheduledRestart(LongToIntFunction stageOf, IntToLongFunction frequency) {
        this.stageOf = Objects.requireNonNull(stageOf, "stageOf");
        this.frequency = Objects.requireNonNull(frequency, "frequency");
    }

    @Override
    public boolean beforeStep(long k, double loss) {
        int s = stageOf.applyAsInt(k);
        if (s == stage) {
            return false;
        }
        stage = s;
        if (c >= frequency.applyAsLong(s)) {
            c = 1;
        }
        return true;
    }

    @Override
    public long clock(long k) {
        return c;
    }

    @Override
    public void afterStep(long k) {
        c++;
        if (c >= frequency.applyAsLong(stage)) {
            c = 1;
        }
    }

    /** The clock c the next step uses. */
    public long counter() {
        return c;
    }

    /** The current learning-rate stage. */
    public int stage() {
        return stage;
    }

    @Override
    public Map<String, Double> scalars() {
        return Map.of("c", (double) c, "stage", (double) stage);
    }

    @Override
    public void loadScalars(Map<String, Double> s) {
        c = s.get("c").longValue();
        stage = s.get("stage").intValue();
    }
}
