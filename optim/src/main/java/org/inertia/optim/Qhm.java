package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.SgdState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Quasi-hyperbolic momentum, QHM (Ma and Yarats 2019, "Quasi-hyperbolic momentum and Adam for deep
 * learning", eq. 4; reference code facebookresearch/qhoptim {@code QHM}): d = g + wd·w;
 * b ← β b + (1−β) d with b starting at 0; w ← w − lr·((1−ν) d + ν b). ν = 0 is SGD, ν = 1 is
 * momentum SGD with a dampened (EMA) buffer, ν = β is PyTorch's Nesterov form up to the lr scale. The
 * state key is qhoptim's {@code momentum_buffer}. A momentum schedule ({@link Group#momentumSchedule},
 * e.g. {@link Schedule#demon}) replaces β step by step. Defaults: the paper's recommended ν = 0.7,
 * β = 0.999, lr 1e-3, no weight decay.
 */
public final class Qhm extends Optimizer<Qhm.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr          learning rate (≥ 0)
     * @param beta        momentum buffer decay in [0, 1)
     * @param nu          immediate discount ν in [0, 1]
     * @param weightDecay L2 weight decay (≥ 0)
     */
    public record Hyper(double lr, double beta, double nu, double weightDecay) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("beta", beta);
            Checks.closedUnit("nu", nu);
            Checks.nonNegative("weightDecay", weightDecay);
        }
    }

    /**
     * A builder with the paper's recommended values.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Defaults lr 1e-3, β 0.999, ν 0.7, weight decay 0. */
    public static final class Builder {
        private double lr = 1e-3;
        private double beta = 0.999;
        private double nu = 0.7;
        private double weightDecay;

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
         * Momentum buffer decay β.
         *
         * @param v momentum buffer decay in [0, 1)
         * @return this builder
         */
        public Builder beta(double v) { beta = v; return this; }
        /**
         * Immediate discount ν.
         *
         * @param v immediate discount ν in [0, 1]
         * @return this builder
         */
        public Builder nu(double v) { nu = v; return this; }
        /**
         * L2 weight decay.
         *
         * @param v L2 weight decay (≥ 0)
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }

        /**
         * The validated record.
         *
         * @return the hyperparameters set so far
         * @throws IllegalArgumentException if a value is out of range (see {@link Hyper})
         */
        public Hyper build() {
            return new Hyper(lr, beta, nu, weightDecay);
        }
    }

    /** QHM on the default backend. */
    public Qhm() {
        this(null);
    }

    /**
     * QHM on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public Qhm(Backend backend) {
        super("qhm", backend);
    }

    @Override
    protected StateLayout<SgdState> stateLayout(Group<Hyper> g) {
        return SgdState.layout(true);
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        return new StepHyper.Qhm(g.lr(k), g.momentum(k, h.beta()), h.nu(), h.weightDecay());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.qhm((StepHyper.Qhm) h, p.param(), p.grad(), (SgdState) st);
    }
}
