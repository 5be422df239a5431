package org.inertia.optim.momentum;

import java.util.Objects;
import org.inertia.optim.Schedule;

/**
 * The momentum μ as a function of the momentum clock c = 1, 2, …: the step k for most methods, or the
 * counter of a {@link RestartPolicy} (adaptive or scheduled restart), which sets c back to 1. As in optax,
 * a schedule is a plain function, composed instead of subclassed.
 */
@FunctionalInterface
public interface MomentumSchedule {
    /**
     * μ at clock c (c ≥ 1).
     *
     * @param c the momentum clock; &ge; 1
     * @return the momentum μ_c
     */
    double at(long c);

    /**
     * The same μ at every clock; 0 ≤ μ &lt; 1.
     *
     * @param mu the momentum in [0, 1)
     * @return the constant schedule
     * @throws IllegalArgumentException if {@code mu} is not in [0, 1)
     */
    static MomentumSchedule constant(double mu) {
        if (!(mu >= 0 && mu < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + mu);
        }
        return c -> mu;
    }

    /**
     * Nesterov's schedule for convex functions, μ_c = (c−1)/(c+2): 0, 1/4, 2/5, 1/2, … (NAG with O(1/k²)
     * convergence; with a restart policy, ARNAG and SRSGD). Lecture notes §1; Nesterov 1983.
     *
     * @return Nesterov's convex schedule
     */
    static MomentumSchedule nesterovConvex() {
        return c -> (c - 1.0) / (c + 2.0);
    }

    /**
     * SGD with early momentum (SGDEM, Ramezani-Kebrya et al., JMLR): {@code base} during an early phase and
     * 0 afterwards. The early phase is the first {@code earlySteps} clocks overall ({@code stepsPerEpoch} = 0)
     * or the first {@code earlySteps} clocks of every epoch of {@code stepsPerEpoch} clocks.
     *
     * @param base the momentum during the early phase
     * @param earlySteps length of the early phase in clocks; &ge; 0
     * @param stepsPerEpoch clocks per epoch; &ge; 0, 0 for a single early phase
     * @return the early-momentum schedule
     * @throws NullPointerException if {@code base} is null
     * @throws IllegalArgumentException if {@code earlySteps} or {@code stepsPerEpoch} is negative
     */
    static MomentumSchedule earlyPhase(MomentumSchedule base, long earlySteps, long stepsPerEpoch) {
        Objects.requireNonNull(base, "base");
        if (earlySteps < 0) {
            throw new IllegalArgumentException("earlySteps must be >= 0, got " + earlySteps);
        }
        if (stepsPerEpoch < 0) {
            throw new IllegalArgumentException("stepsPerEpoch must be >= 0, got " + stepsPerEpoch);
        }
        return c -> {
            long pos = stepsPerEpoch == 0 ? c - 1 : (c - 1) % stepsPerEpoch;
            return pos < earlySteps ? base.at(c) : 0;
        };
    }

    /**
     * Demon's decaying momentum (Chen et al. 2019) on the clock: μ_c = {@link Schedule#demon}(β₀, T) at
     * c − 1, from β₀ at c = 1 to 0 at c = T + 1. With a restart policy the decay restarts with the clock.
     *
     * @param betaInit β₀ in [0, 1)
     * @param totalSteps T ≥ 1
     * @return the Demon momentum schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static MomentumSchedule demon(double betaInit, long totalSteps) {
        return of(Schedule.demon(betaInit, totalSteps));
    }

    /**
     * A step {@link Schedule} as a momentum schedule: μ_c = s.at(c − 1), the convention of every schedule.
     *
     * @param s the step schedule
     * @return the momentum schedule
     * @throws NullPointerException if {@code s} is null
     */
    static MomentumSchedule of(Schedule s) {
        Objects.requireNonNull(s, "schedule");
        return c -> s.at(c - 1);
    }

    /**
     * This schedule one clock later, μ'_c = μ_{c+1} (Sutskever's look-ahead reads the next step's μ).
     *
     * @return the shifted schedule
     */
    default MomentumSchedule next() {
        return c -> at(c + 1);
    }
}
