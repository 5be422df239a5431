package org.inertia.optim;

import java.util.Arrays;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.momentum.MomentumSchedule;
import org.inertia.optim.momentum.RestartPolicy;
import org.inertia.optim.momentum.ScheduledRestart;
import org.inertia.optim.momentum.ScheduledRestart.Indexing;

/**
 * Scheduled-restart NAG / SRSGD (Wang, Nguyen, Sun, Bertozzi, Baraniuk, Osher 2020, arXiv:2002.10583;
 * reference code {@code optimizers/srsgd.py}): y_k = w_{k−1} − s (g + wd·w_{k−1});
 * w_k = y_k + μ_k (y_k − y_{k−1}), y_0 = w_0, with the lectures' restart schedule (the default,
 * {@link Indexing#LECTURE})
 * <pre>
 *   μ_k = (k mod F) / ((k mod F) + 3)
 * </pre>
 * k counted from 1 within the learning-rate stage: μ runs 1/4, 2/5, …, (F−1)/(F+2), 0, 1/4, …, so the period
 * is F and momentum restarts (μ = 0) at the F-th, 2F-th, … step, exactly as on the slides ("SRNAG", "SRSGD").
 * F = 1 is plain SGD. {@link Indexing#REFERENCE_CODE} is the reference code's counter instead (c = 1, …, F−1,
 * μ = (c−1)/(c+2): period F − 1, μ = 0 at the first step of a period), the indexing Inertia had before; a
 * checkpoint written then resumes only under it ({@link #ScheduledRestartSgd(Indexing, Backend)}). Parts:
 * {@link MomentumSchedule#nesterovConvex()} at the clock of a {@link ScheduledRestart}.
 *
 * <p>Training is divided into learning-rate stages by {@code milestones} (steps t = k − 1 at which a
 * new stage starts); stage j uses lr·γ^j (unless the group has an lr schedule) and restart frequency
 * {@code restarts.frequency(j)}: {@link RestartSchedule#linear linear} (CIFAR-10: 30, 60, 90, 120),
 * {@link RestartSchedule#exponential exponential} (40, 50, 63, 78), or any explicit list.
 *
 * <p>What happens at a stage change (decided here, following the reference code, which re-creates the
 * optimizer at each lr drop): y_prev is reset to the current w (so the next step carries no momentum
 * from the previous stage's differences), and the counter c carries over, restarting at 1 if it is no
 * longer below the new F. The counter and the stage are part of the exported state.
 */
public final class ScheduledRestartSgd extends PositionNag<ScheduledRestartSgd.Hyper> {
    private final ScheduledRestart restart;

    /** Restart frequency F per learning-rate stage (stage 0, 1, …). */
    @FunctionalInterface
    public interface RestartSchedule {
        /**
         * The restart frequency of a stage.
         *
         * @param stage the learning-rate stage j, counted from 0
         * @return F_j, the steps between restarts in that stage; must be &ge; 1
         */
        long frequency(int stage);

        /**
         * F_j = first + j·increment (CIFAR-10: linear(30, 30); CIFAR-100: linear(50, 50)).
         *
         * @param first F_0, the first stage's frequency
         * @param increment the growth of F per stage
         * @return the linear schedule
         */
        static RestartSchedule linear(long first, long increment) {
            return j -> first + j * increment;
        }

        /**
         * F_j = round(first·factor^j) (CIFAR-10: exponential(40, 1.25) = 40, 50, 63, 78; CIFAR-100: (45, 1.5)).
         *
         * @param first F_0, the first stage's frequency
         * @param factor the growth factor of F per stage
         * @return the exponential schedule
         */
        static RestartSchedule exponential(long first, double factor) {
            return j -> Math.round(first * Math.pow(factor, j));
        }

        /**
         * An explicit list; the last value repeats.
         *
         * @param frequencies F_0, F_1, …; at least one
         * @return the listed schedule
         * @throws IllegalArgumentException if {@code frequencies} is empty
         */
        static RestartSchedule of(long... frequencies) {
            long[] f = frequencies.clone();
            if (f.length == 0) {
                throw new IllegalArgumentException("restart frequencies must not be empty");
            }
            return j -> f[Math.min(j, f.length - 1)];
        }
    }

    /**
     * Validated hyperparameters.
     *
     * @param lr          learning rate of stage 0 (≥ 0)
     * @param weightDecay L2 weight decay (≥ 0)
     * @param restarts    the restart frequency F of each stage (every F ≥ 1)
     * @param gamma       learning-rate factor per stage (&gt; 0, e.g. 0.1)
     * @param milestones  steps t at which a new stage begins (positive, ascending)
     */
    public record Hyper(double lr, double weightDecay, RestartSchedule restarts, double gamma, long... milestones)
            implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one; copies {@code milestones}. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.positive("gamma", gamma);
            java.util.Objects.requireNonNull(restarts, "restarts");
            milestones = milestones.clone();
            for (int i = 0; i < milestones.length; i++) {
                if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                    throw new IllegalArgumentException("milestones must be positive and increasing, got "
                            + Arrays.toString(milestones));
                }
            }
            for (int j = 0; j <= milestones.length; j++) {
                Checks.atLeast("restart frequency F of stage " + j, restarts.frequency(j), 1);
            }
        }

        /**
         * One stage with a fixed restart frequency F.
         *
         * @param lr          learning rate (≥ 0)
         * @param weightDecay L2 weight decay (≥ 0)
         * @param f           restart frequency F (≥ 1)
         */
        public Hyper(double lr, double weightDecay, long f) {
            this(lr, weightDecay, RestartSchedule.of(f), 1.0);
        }

        /**
         * The steps at which a new stage begins.
         *
         * @return a copy of the milestones
         */
        @Override
        public long[] milestones() {
            return milestones.clone();
        }

        /**
         * The stage of step k (number of milestones ≤ k − 1).
         *
         * @param k the step, counted from 1
         * @return the stage j, counted from 0
         */
        public int stageOf(long k) {
            int s = 0;
            while (s < milestones.length && milestones[s] <= k - 1) {
                s++;
            }
            return s;
        }
    }

    /** The lectures' indexing ({@link Indexing#LECTURE}), the default backend. */
    public ScheduledRestartSgd() {
        this(Indexing.LECTURE, null);
    }

    /**
     * The lectures' indexing ({@link Indexing#LECTURE}); the backend serves gradient clipping.
     *
     * @param backend the compute backend; null for the default
     */
    public ScheduledRestartSgd(Backend backend) {
        this(Indexing.LECTURE, backend);
    }

    /**
     * Scheduled-restart SGD with the given restart indexing.
     *
     * @param indexing {@link Indexing#LECTURE} (period F, the default) or {@link Indexing#REFERENCE_CODE}
     *                 (period F − 1, {@code srsgd.py}'s counter, and what checkpoints written before this
     *                 option existed were made with)
     * @param backend  serves gradient clipping; null for the default
     */
    public ScheduledRestartSgd(Indexing indexing, Backend backend) {
        super("srsgd", backend);
        this.restart = new ScheduledRestart(k -> group().hyper().stageOf(k), s -> group().hyper().restarts().frequency(s),
                java.util.Objects.requireNonNull(indexing, "indexing"));
    }

    /**
     * The indexing of the restart clock.
     *
     * @return the indexing this optimizer was built with
     */
    public Indexing indexing() {
        return restart.indexing();
    }

    /**
     * As {@link Optimizer#loadStateDict}, refusing first, with a message saying which indexing to use, a
     * state written under the other indexing (their counters differ: {@code c} against {@code stageSteps}).
     */
    @Override
    public void loadStateDict(StateDict sd) {
        java.util.Set<String> want = restart.scalars().keySet();
        java.util.Set<String> reference = java.util.Set.of("c", "stage");
        java.util.Set<String> lecture = java.util.Set.of("stage", "stageSteps");
        boolean old = sd.scalars().keySet().equals(reference);
        if (!sd.scalars().keySet().equals(want) && (old || sd.scalars().keySet().equals(lecture))) {
            throw new IllegalArgumentException("srsgd state has counters " + new java.util.TreeSet<>(sd.scalars().keySet())
                    + ", this optimizer's " + restart.indexing() + " indexing keeps " + new java.util.TreeSet<>(want)
                    + (old ? ": the state was written with the REFERENCE_CODE indexing (period F - 1, the only one before "
                    + "the lectures' indexing became the default); build new ScheduledRestartSgd(Indexing.REFERENCE_CODE, "
                    + "backend) to resume it" : ": the state was written with the LECTURE indexing"));
        }
        super.loadStateDict(sd);
    }

    @Override
    protected RestartPolicy restartPolicy() {
        return restart;
    }

    @Override
    protected double weightDecay(Hyper h) {
        return h.weightDecay();
    }

    /** Stage j's learning rate lr·γ^j, unless the group has an lr schedule. */
    @Override
    protected double lr(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        return g.hasLrSchedule() ? g.lr(k) : h.lr() * Math.pow(h.gamma(), h.stageOf(k));
    }

    /**
     * The clock c the next step uses, μ = (c−1)/(c+2) (with the lecture indexing c = (j mod F) + 1).
     *
     * @return the restart clock c of the next step; &ge; 1
     */
    public long counter() {
        return restart.clockAt(steps() + 1);
    }

    /**
     * The current learning-rate stage.
     *
     * @return the stage j, counted from 0
     */
    public int stage() {
        return restart.stage();
    }
}
