package org.inertia.optim;

import java.util.Arrays;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.momentum.MomentumSchedule;
import org.inertia.optim.momentum.RestartPolicy;
import org.inertia.optim.momentum.ScheduledRestart;

/**
 * Scheduled-restart NAG / SRSGD (Wang, Nguyen, Sun, Bertozzi, Baraniuk, Osher 2020, arXiv:2002.10583;
 * reference code {@code optimizers/srsgd.py}): y_k = w_{k−1} − s (g + wd·w_{k−1});
 * w_k = y_k + μ_c (y_k − y_{k−1}), μ_c = (c−1)/(c+2), y_0 = w_0. The counter c runs 1, 2, …, F−1 and
 * then restarts at 1 (μ runs 0, 1/4, 2/5, …), i.e. the slide's (k mod F)/((k mod F)+3) up to the
 * offset. F = 1 is plain SGD. Parts: {@link MomentumSchedule#nesterovConvex()} at the clock of a
 * {@link ScheduledRestart}.
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
    private final ScheduledRestart restart = new ScheduledRestart(k -> group().hyper().stageOf(k),
            s -> group().hyper().restarts().frequency(s));

    /** Restart frequency F per learning-rate stage (stage 0, 1, …). */
    @FunctionalInterface
    public interface RestartSchedule {
        long frequency(int stage);

        /** F_j = first + j·increment (CIFAR-10: linear(30, 30); CIFAR-100: linear(50, 50)). */
        static RestartSchedule linear(long first, long increment) {
            return j -> first + j * increment;
        }

        /** F_j = round(first·factor^j) (CIFAR-10: exponential(40, 1.25) = 40, 50, 63, 78; CIFAR-100: (45, 1.5)). */
        static RestartSchedule exponential(long first, double factor) {
            return j -> Math.round(first * Math.pow(factor, j));
        }

        /** An explicit list; the last value repeats. */
        static RestartSchedule of(long... frequencies) {
            long[] f = frequencies.clone();
            if (f.length == 0) {
                throw new IllegalArgumentException("restart frequencies must not be empty");
            }
            return j -> f[Math.min(j, f.length - 1)];
        }
    }

    /**
     * @param milestones steps t at which a new stage begins (ascending)
     * @param gamma      learning-rate factor per stage (e.g. 0.1)
     */
    public record Hyper(double lr, double weightDecay, RestartSchedule restarts, double gamma, long... milestones)
            implements Optimizer.Hyper {
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

        /** One stage with a fixed restart frequency F. */
        public Hyper(double lr, double weightDecay, long f) {
            this(lr, weightDecay, RestartSchedule.of(f), 1.0);
        }

        @Override
        public long[] milestones() {
            return milestones.clone();
        }

        /** The stage of step k (number of milestones ≤ k − 1). */
        public int stageOf(long k) {
            int s = 0;
            while (s < milestones.length && milestones[s] <= k - 1) {
                s++;
            }
            return s;
        }
    }

    public ScheduledRestartSgd() {
        this(null);
    }

    public ScheduledRestartSgd(Backend backend) {
        super("srsgd", backend);
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

    /** The restart counter c that the next step uses. */
    public long counter() {
        return restart.counter();
    }

    /** The current learning-rate stage. */
    public int stage() {
        return restart.stage();
    }
}
