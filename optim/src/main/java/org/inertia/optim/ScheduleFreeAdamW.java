package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.ScheduleFreeState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Schedule-free AdamW (Defazio et al. 2024, Algorithm 1 with Adam's preconditioner; reference code
 * facebookresearch/schedule_free {@code AdamWScheduleFree}): v ← β2 v + (1−β2) g² (from 0);
 * u = g/(√(v/(1−β2^(k+1))) + eps) + wd·y; y ← (1−c) y + c z + lr·(β1(1−c) − 1)·u; z ← z − lr·u (z starts
 * at the parameter). Learning rate, warm-up and averaging weight c as described in {@link ScheduleFree};
 * call {@link #eval()} / {@link #train()} around evaluation. Defaults: the reference code's lr 0.0025,
 * β (0.9, 0.999), eps 1e-8, no weight decay, no warm-up, r 0, weight-lr power 2.
 */
public final class ScheduleFreeAdamW extends ScheduleFree<ScheduleFreeAdamW.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr            learning rate (≥ 0)
     * @param beta1         the interpolation between z and x, in (0, 1)
     * @param beta2         second-moment coefficient in [0, 1)
     * @param eps           denominator term (&gt; 0)
     * @param weightDecay   weight decay at y (≥ 0)
     * @param warmupSteps   linear learning-rate warm-up length (≥ 0)
     * @param r             polynomial weighting power of the average (≥ 0)
     * @param weightLrPower power of lr_max in the averaging weights (≥ 0)
     */
    public record Hyper(double lr, double beta1, double beta2, double eps, double weightDecay, long warmupSteps,
                        double r, double weightLrPower) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("beta1", beta1);
            if (beta1 == 0) {
                throw new IllegalArgumentException("beta1 must be in (0, 1) for schedule-free AdamW (eval() divides by"
                        + " it), got 0.0");
            }
            Checks.unit("beta2", beta2);
            Checks.positive("eps", eps);
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

    /** Defaults lr 0.0025, β (0.9, 0.999), eps 1e-8, weight decay 0, no warm-up, r 0, weight-lr power 2. */
    public static final class Builder {
        private double lr = 0.0025;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
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
         * (β1, β2).
         *
         * @param b1 the interpolation between z and x, in (0, 1)
         * @param b2 second-moment coefficient in [0, 1)
         * @return this builder
         */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        /**
         * Denominator term.
         *
         * @param v denominator term (&gt; 0)
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * Weight decay.
         *
         * @param v weight decay at y (≥ 0)
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
            return new Hyper(lr, beta1, beta2, eps, weightDecay, warmupSteps, r, weightLrPower);
        }
    }

    /** Schedule-free AdamW on the default backend. */
    public ScheduleFreeAdamW() {
        this(null);
    }

    /**
     * Schedule-free AdamW on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public ScheduleFreeAdamW(Backend backend) {
        super("sfadamw", backend);
    }

    @Override
    double beta(Hyper h) {
        return h.beta1();
    }

    @Override
    double[] averaging(Hyper h) {
        return new double[] {h.warmupSteps(), h.r(), h.weightLrPower()};
    }

    @Override
    protected StateLayout<ScheduleFreeState> stateLayout(Group<Hyper> g) {
        return layout(true);
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        double[] lc = lrAndWeight(g, k);
        double bc2 = 1 - Math.pow(h.beta2(), g.steps() + 1);
        return new StepHyper.ScheduleFreeAdamW(lc[0], h.beta1(), h.beta2(), h.eps(), h.weightDecay(), lc[1],
                1 / Math.sqrt(bc2));
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.scheduleFreeAdamW((StepHyper.ScheduleFreeAdamW) h, p.param(), p.grad(), (ScheduleFreeState) st);
    }
}
