package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.ScheduleFreeState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Schedule-free SGD (Defazio et al. 2024, Algorithm 1 with the SGD base step; reference code
 * facebookresearch/schedule_free {@code SGDScheduleFree}): with d = g + wd·y at the stored point y,
 * y ← (1−c) y + c z + lr·(β(1−c) − 1)·d and z ← z − lr·d (z starts at the parameter). This is
 * x ← (1−c) x + c z, y = (1−β) z + β x rewritten on y and z only. Learning rate, warm-up and averaging
 * weight c as described in {@link ScheduleFree}; call {@link #eval()} / {@link #train()} around
 * evaluation. Defaults: the reference code's lr 1.0, β 0.9, no weight decay, no warm-up, r 0,
 * weight-lr power 2.
 */
public final class ScheduleFreeSgd extends ScheduleFree<ScheduleFreeSgd.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr            learning rate (≥ 0)
     * @param momentum      β, the interpolation between z and x, in (0, 1)
     * @param weightDecay   L2 weight decay at y (≥ 0)
     * @param warmupSteps   linear learning-rate warm-up length (≥ 0)
     * @param r             polynomial weighting power of the average (≥ 0)
     * @param weightLrPower power of lr_max in the averaging weights (≥ 0)
     */
    public record Hyper(double lr, double momentum, double weightDecay, long warmupSteps, double r,
                        double weightLrPower) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("momentum", momentum);
            if (momentum == 0) {
                throw new IllegalArgumentException("momentum must be in (0, 1) for schedule-free SGD (eval() divides by"
                        + " it), got 0.0");
            }
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.atLeast("warmupSteps", warmupSteps, 0);
            Checks.nonNegative("r", r);
            Checks.nonNegative("weightLrPower", weightLrPower);
        }
    }

    /**
     * A builder with the reference code's defaults.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Defaults lr 1.0, momentum 0.9, weight decay 0, no warm-up, r 0, weight-lr power 2. */
    public static final class Builder {
        private double lr = 1.0;
        private double momentum = 0.9;
        private double weightDecay;
        private long warmupSteps;
        private double r;
        private double weightLrPower = 2;

        Builder() {
        }

        /**
         * Learning rate.
         *
         * @param v learning rate (≥ 0)
         * @return this builder
         */
        public Builder lr(double v) { lr = v; return this; }
        /**
         * β, the interpolation between z and x.
         *
         * @param v β, the interpolation between z and x, in (0, 1)
         * @return this builder
         */
        public Builder momentum(double v) { momentum = v; return this; }
        /**
         * L2 weight decay.
         *
         * @param v L2 weight decay at y (≥ 0)
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * Linear warm-up length in steps.
         *
         * @param v linear learning-rate warm-up length (≥ 0)
         * @return this builder
         */
        public Builder warmupSteps(long v) { warmupSteps = v; return this; }
        /**
         * Polynomial weighting power.
         *
         * @param v polynomial weighting power of the average (≥ 0)
         * @return this builder
         */
        public Builder r(double v) { r = v; return this; }
        /**
         * Power of lr_max in the averaging weights.
         *
         * @param v power of lr_max in the averaging weights (≥ 0)
         * @return this builder
         */
        public Builder weightLrPower(double v) { weightLrPower = v; return this; }

        /**
         * The validated record.
         *
         * @return the hyperparameters set so far
         * @throws IllegalArgumentException if a value is out of range (see {@link Hyper})
         */
        public Hyper build() {
            return new Hyper(lr, momentum, weightDecay, warmupSteps, r, weightLrPower);
        }
    }

    /** Schedule-free SGD on the default backend. */
    public ScheduleFreeSgd() {
        this(null);
    }

    /**
     * Schedule-free SGD on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public ScheduleFreeSgd(Backend backend) {
        super("sfsgd", backend);
    }

    @Override
    double beta(Hyper h) {
        return h.momentum();
    }

    @Override
    double[] averaging(Hyper h) {
        return new double[] {h.warmupSteps(), h.r(), h.weightLrPower()};
    }

    @Override
    protected StateLayout<ScheduleFreeState> stateLayout(Group<Hyper> g) {
        return layout(false);
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        double[] lc = lrAndWeight(g, k);
        return new StepHyper.ScheduleFreeSgd(lc[0], g.hyper().momentum(), g.hyper().weightDecay(), lc[1]);
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.scheduleFreeSgd((StepHyper.ScheduleFreeSgd) h, p.param(), p.grad(), (ScheduleFreeState) st);
    }
}
