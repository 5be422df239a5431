package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.momentum.MomentumSchedule;

/**
 * SGD with early momentum, SGDEM (Ramezani-Kebrya, Antonakopoulos, Cevher, Khisti, Liang, JMLR):
 * heavy-ball momentum (classic form, v ← βv − s(g + wd·w); w ← w + v) with β = μ during an early phase
 * and β = 0 afterwards, which is plain SGD (v = −s·g). Two working definitions, both offered: the early
 * phase is the first E steps overall ({@code stepsPerEpoch = 0}), or the first E steps of every epoch of
 * {@code stepsPerEpoch} steps. When momentum switches back on at an epoch start, the velocity is the
 * last plain step (−s·g), as the recurrence says. Parts: {@link HeavyBall} with the schedule
 * {@link MomentumSchedule#earlyPhase} (a group momentum schedule, if set, replaces μ in the early phase).
 */
public final class SgdEarlyMomentum extends ClassicMomentum<SgdEarlyMomentum.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr            the step size s, finite and ≥ 0
     * @param momentum      β = μ in [0, 1) during the early phase (a group momentum schedule replaces it)
     * @param weightDecay   L2 penalty wd added to the gradient, finite and ≥ 0
     * @param earlySteps    E ≥ 0, the length of the early phase in steps (0: plain SGD throughout)
     * @param stepsPerEpoch ≥ 0, the epoch length in steps when the early phase repeats every epoch; 0 for
     *                      one early phase at the start of training
     */
    public record Hyper(double lr, double momentum, double weightDecay, long earlySteps, long stepsPerEpoch)
            implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above
         */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("momentum", momentum);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.atLeast("earlySteps", earlySteps, 0);
            Checks.atLeast("stepsPerEpoch", stepsPerEpoch, 0);
        }

        /**
         * Whether step k (1-based) is in the early (momentum) phase.
         *
         * @param k the step, 1-based
         * @return true if step k uses momentum, false if it is a plain SGD step
         */
        public boolean early(long k) {
            return MomentumSchedule.earlyPhase(c -> 1, earlySteps, stepsPerEpoch).at(k) != 0;
        }
    }

    /** SGDEM with no groups yet, on the default backend ({@code Backends.get()}). */
    public SgdEarlyMomentum() {
        this(null);
    }

    /**
     * SGDEM with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
    public SgdEarlyMomentum(Backend backend) {
        super("sgdem", backend);
    }

    @Override
    protected MomentumSchedule schedule(Group<Hyper> g) {
        Hyper h = g.hyper();
        return MomentumSchedule.earlyPhase(k -> g.momentum(k, h.momentum()), h.earlySteps(), h.stepsPerEpoch());
    }

    @Override
    protected double weightDecay(Hyper h) {
        return h.weightDecay();
    }
}
