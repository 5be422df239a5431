package org.inertia.optim.momentum;

import java.util.Map;
import java.util.Objects;
import java.util.function.IntToLongFunction;
import java.util.function.LongToIntFunction;

/**
 * Scheduled restart (SRSGD / SRNAG: Wang, Nguyen, Sun, Bertozzi, Baraniuk, Osher 2020, arXiv:2002.10583,
 * reference code {@code optimizers/srsgd.py}), with the restart frequency F given per learning-rate stage
 * (linear or exponential schedules of F). Used with {@link MomentumSchedule#nesterovConvex()}, μ = (c−1)/(c+2)
 * at this policy's clock c. Two indexings of the clock:
 *
 * <ul>
 *   <li>{@link Indexing#LECTURE} (the default): the lectures' definition exactly. With j = 1, 2, … the index of
 *       the step within the current stage (j = k with a single stage),
 *       <pre>  μ_j = (j mod F) / ((j mod F) + 3),   i.e. c = (j mod F) + 1,</pre>
 *       so μ runs 1/4, 2/5, …, (F−1)/(F+2), 0, 1/4, …: period F, and the restart (μ = 0) falls on the F-th,
 *       2F-th, … step. Counters exported as {@code stage} and {@code stageSteps} (steps taken in the stage).</li>
 *   <li>{@link Indexing#REFERENCE_CODE}: the reference code's counter ({@code iter_count} in {@code srsgd.py}),
 *       c = 1, 2, …, F−1 and then back to 1, so μ runs 0, 1/4, …, (F−2)/(F+1), 0, …: period F − 1, restart at
 *       the first step of each period. At a stage change c carries over, restarting at 1 if it is no longer
 *       below the new F. This was Inertia's only indexing before; checkpoints written then carry its counters
 *       {@code c} and {@code stage}, and load only into this indexing. Porting a lecture's F to it gives period
 *       F − 1: use {@code F + 1} there, or the lecture indexing.</li>
 * </ul>
 *
 * <p>In both, at a stage change the trace restarts from the current point (the reference code re-creates the
 * optimizer at each lr drop): {@link #beforeStep} returns true. The two indexings keep different counters, so
 * a state exported by one is refused by the other (the optimizer compares the counter names).
 */
public final class ScheduledRestart implements RestartPolicy {
    /** How the momentum clock counts within a restart period; see the class comment. */
    public enum Indexing {
        /** μ_j = (j mod F)/((j mod F) + 3), j the step within the stage: period F, restart at the F-th step. */
        LECTURE,
        /** {@code srsgd.py}'s counter c = 1 … F−1: period F − 1, restart at the first step of a period. */
        REFERENCE_CODE
    }

    private final LongToIntFunction stageOf;
    private final IntToLongFunction frequency;
    private final Indexing indexing;
    private long c = 1; // REFERENCE_CODE: the clock the next step uses
    private long stageSteps; // LECTURE: steps taken in the current stage
    private int stage;

    /**
     * The lecture's indexing ({@link Indexing#LECTURE}).
     *
     * @param stageOf   the learning-rate stage of step k
     * @param frequency the restart frequency F of a stage (F ≥ 1; F = 1 means no momentum)
     * @throws NullPointerException if an argument is null
     */
    public ScheduledRestart(LongToIntFunction stageOf, IntToLongFunction frequency) {
        this(stageOf, frequency, Indexing.LECTURE);
    }

    /**
     * A scheduled-restart policy with the given clock indexing.
     *
     * @param stageOf   the learning-rate stage of step k
     * @param frequency the restart frequency F of a stage (F ≥ 1; F = 1 means no momentum)
     * @param indexing  how the clock counts ({@link Indexing})
     * @throws NullPointerException if an argument is null
     */
    public ScheduledRestart(LongToIntFunction stageOf, IntToLongFunction frequency, Indexing indexing) {
        this.stageOf = Objects.requireNonNull(stageOf, "stageOf");
        this.frequency = Objects.requireNonNull(frequency, "frequency");
        this.indexing = Objects.requireNonNull(indexing, "indexing");
    }

    /**
     * The indexing of this policy's clock.
     *
     * @return the indexing given at construction
     */
    public Indexing indexing() {
        return indexing;
    }

    @Override
    public boolean beforeStep(long k, double loss) {
        int s = stageOf.applyAsInt(k);
        if (s == stage) {
            return false;
        }
        stage = s;
        stageSteps = 0;
        if (c >= frequency.applyAsLong(s)) {
            c = 1;
        }
        return true;
    }

    @Override
    public long clock(long k) {
        return indexing == Indexing.LECTURE ? lectureClock(stageSteps + 1) : c;
    }

    private long lectureClock(long j) {
        return j % frequency.applyAsLong(stage) + 1;
    }

    @Override
    public void afterStep(long k) {
        stageSteps++;
        c++;
        if (c >= frequency.applyAsLong(stage)) {
            c = 1;
        }
    }

    /**
     * The clock c the next step uses (if it stays in the current stage); μ = (c−1)/(c+2).
     *
     * @return the clock c; &ge; 1
     */
    public long counter() {
        return indexing == Indexing.LECTURE ? lectureClock(stageSteps + 1) : c;
    }

    /**
     * The clock step k will use, given that the steps before it have been taken (k = steps + 1): like
     * {@link #counter()}, but it also looks at whether k begins a new stage. Changes nothing.
     *
     * @param k the next step, counted from 1
     * @return the clock c step {@code k} will use; &ge; 1
     */
    public long clockAt(long k) {
        int s = stageOf.applyAsInt(k);
        if (s == stage) {
            return counter();
        }
        if (indexing == Indexing.LECTURE) {
            return 1 % frequency.applyAsLong(s) + 1;
        }
        return c >= frequency.applyAsLong(s) ? 1 : c;
    }

    /**
     * The current learning-rate stage.
     *
     * @return the stage, counted from 0
     */
    public int stage() {
        return stage;
    }

    @Override
    public Map<String, Double> scalars() {
        return indexing == Indexing.LECTURE ? Map.of("stageSteps", (double) stageSteps, "stage", (double) stage)
                : Map.of("c", (double) c, "stage", (double) stage);
    }

    @Override
    public void loadScalars(Map<String, Double> s) {
        if (indexing == Indexing.LECTURE) {
            stageSteps = require(s, "stageSteps").longValue();
        } else {
            c = require(s, "c").longValue();
        }
        stage = require(s, "stage").intValue();
    }

    private Double require(Map<String, Double> s, String key) {
        Double v = s.get(key);
        if (v == null) {
            throw new IllegalArgumentException("scheduled-restart state has counters " + new java.util.TreeSet<>(s.keySet())
                    + " but the " + indexing + " indexing keeps " + new java.util.TreeSet<>(scalars().keySet())
                    + (indexing == Indexing.LECTURE ? "; a state with the counter c was written with the REFERENCE_CODE "
                    + "indexing (the only one before): build the optimizer with Indexing.REFERENCE_CODE to resume it"
                    : "; a state with stageSteps was written with the LECTURE indexing"));
        }
        return v;
    }
}
