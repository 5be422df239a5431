package org.inertia.optim;

import org.inertia.kernels.Checks;

/**
 * A value as a function of the step: {@code at(t)} with t = 0, 1, 2, … the number of steps already
 * taken (the optimizer's k-th step, k ≥ 1, uses {@code at(k − 1)}; t = 0 gives the initial value, as in
 * PyTorch's schedulers). Usable for the learning rate and for momentum alike (optax's idea); compose
 * with {@link #times}, {@link #then} and {@link #linearWarmup} instead of writing new classes.
 * The closed forms below are PyTorch's (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR,
 * CosineAnnealingWarmRestarts, LinearLR, SequentialLR).
 */
@FunctionalInterface
public interface Schedule {
    /**
     * The value at step t (t = 0 for the first step).
     *
     * @param t the number of steps already taken; &ge; 0
     * @return the value for the next step
     */
    double at(long t);

    /**
     * The same value at every step.
     *
     * @param value the value; finite
     * @return the constant schedule
     * @throws IllegalArgumentException if {@code value} is not finite
     */
    static Schedule constant(double value) {
        Checks.finite("value", value);
        return t -> value;
    }

    /**
     * base·γ^⌊t/stepSize⌋ (StepLR).
     *
     * @param base the initial value; finite
     * @param stepSize steps between decays; &ge; 1
     * @param gamma the decay factor per {@code stepSize} steps; finite
     * @return the step schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static Schedule step(double base, long stepSize, double gamma) {
        Checks.finite("base", base);
        Checks.finite("gamma", gamma);
        Checks.atLeast("stepSize", stepSize, 1);
        return t -> base * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }

    /**
     * base·γ^(number of milestones ≤ t) (MultiStepLR); milestones ascending.
     *
     * @param base the initial value; finite
     * @param gamma the decay factor at each milestone; finite
     * @param milestones the steps t at which the value decays, strictly increasing
     * @return the multi-step schedule
     * @throws NullPointerException if {@code milestones} is null
     * @throws IllegalArgumentException if {@code base} or {@code gamma} is not finite, or the milestones
     *         do not increase
     */
    static Schedule multiStep(double base, double gamma, long... milestones) {
        Checks.finite("base", base);
        Checks.finite("gamma", gamma);
        long[] m = java.util.Objects.requireNonNull(milestones, "milestones").clone();
        for (int i = 1; i < m.length; i++) {
            if (m[i] <= m[i - 1]) {
                throw new IllegalArgumentException("milestones must increase, got " + java.util.Arrays.toString(milestones));
            }
        }
        return t -> {
            int passed = 0;
            while (passed < m.length && m[passed] <= t) {
                passed++;
            }
            return base * Math.pow(gamma, passed);
        };
    }

    /**
     * base·γ^t (ExponentialLR).
     *
     * @param base the initial value; finite
     * @param gamma the decay factor per step; finite
     * @return the exponential schedule
     * @throws IllegalArgumentException if an argument is not finite
     */
    static Schedule exponential(double base, double gamma) {
        Checks.finite("base", base);
        Checks.finite("gamma", gamma);
        return t -> base * Math.pow(gamma, t);
    }

    /**
     * Demon, decaying momentum (Chen, Wolfe, Kyrillidis et al. 2019, "Demon: Improved Neural Network
     * Training with Momentum Decay", eq. 6): β_t = β₀·(1 − t/T) / ((1 − β₀) + β₀·(1 − t/T)), which decays
     * the total contribution of a gradient to all future updates, β/(1−β), linearly from β₀/(1−β₀) to 0 over
     * T steps; 0 from t = T on. A momentum schedule for any method with a momentum
     * ({@code group.momentumSchedule(Schedule.demon(0.9, steps))}: SGD, QHM, heavy ball, …).
     *
     * @param betaInit   β₀ in [0, 1)
     * @param totalSteps T ≥ 1
     * @return the Demon momentum schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static Schedule demon(double betaInit, long totalSteps) {
        Checks.unit("betaInit", betaInit);
        Checks.atLeast("totalSteps", totalSteps, 1);
        return t -> {
            double rest = Math.max(0, 1 - (double) t / totalSteps);
            return betaInit * rest / ((1 - betaInit) + betaInit * rest);
        };
    }

    /**
     * min + (base − min)(1 + cos(π t/T))/2 (CosineAnnealingLR's closed form).
     *
     * @param base the value at t = 0; finite
     * @param min the value at t = T; finite
     * @param period T, the half-period in steps; &ge; 1
     * @return the cosine schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static Schedule cosine(double base, double min, long period) {
        Checks.finite("base", base);
        Checks.finite("min", min);
        Checks.atLeast("period", period, 1);
        return t -> min + (base - min) * (1 + Math.cos(Math.PI * t / period)) / 2;
    }

    /**
     * SGDR (CosineAnnealingWarmRestarts): cycles of length T_0, T_0·m, T_0·m², …; inside a cycle of
     * length T_i at position T_cur the value is min + (base − min)(1 + cos(π T_cur/T_i))/2.
     *
     * @param base the value at the start of each cycle; finite
     * @param min the value approached at the end of each cycle; finite
     * @param t0 T_0, the first cycle's length in steps; &ge; 1
     * @param mult m, the factor by which each cycle is longer than the last; &ge; 1
     * @return the SGDR schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static Schedule cosineWarmRestarts(double base, double min, long t0, long mult) {
        Checks.finite("base", base);
        Checks.finite("min", min);
        Checks.atLeast("t0", t0, 1);
        Checks.atLeast("mult", mult, 1);
        return t -> {
            long len = t0;
            long cur = t;
            while (cur >= len) {
                cur -= len;
                len *= mult;
            }
            return min + (base - min) * (1 + Math.cos(Math.PI * cur / len)) / 2;
        };
    }

    /**
     * This schedule times a factor rising linearly from {@code startFactor} to 1 over {@code steps} (LinearLR warm-up).
     *
     * @param steps the warm-up length; &ge; 1
     * @param startFactor the factor at t = 0; finite
     * @return the warmed-up schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    default Schedule linearWarmup(long steps, double startFactor) {
        Checks.atLeast("steps", steps, 1);
        Checks.finite("startFactor", startFactor);
        return t -> at(t) * (startFactor + (1 - startFactor) * Math.min(t, steps) / (double) steps);
    }

    /**
     * This schedule for t &lt; boundary, then {@code next} restarted at 0 (SequentialLR).
     *
     * @param boundary the step at which {@code next} takes over; &ge; 0
     * @param next the schedule from {@code boundary} on
     * @return the sequential schedule
     * @throws NullPointerException if {@code next} is null
     * @throws IllegalArgumentException if {@code boundary} is negative
     */
    default Schedule then(long boundary, Schedule next) {
        Checks.atLeast("boundary", boundary, 0);
        java.util.Objects.requireNonNull(next, "next");
        return t -> t < boundary ? at(t) : next.at(t - boundary);
    }

    /**
     * The product of two schedules, e.g. a base curve times a restart factor.
     *
     * @param other the factor schedule
     * @return the pointwise product
     * @throws NullPointerException if {@code other} is null
     */
    default Schedule times(Schedule other) {
        java.util.Objects.requireNonNull(other, "other");
        return t -> at(t) * other.at(t);
    }
}
