package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.LionState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Lion, EvoLved Sign Momentum (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2): c = β1 m + (1−β1) g; w ← w − lr·(sign(c) + wd·w), written w ← (1 − lr·wd)·w − lr·sign(c)
 * as in the authors' code; m ← β2 m + (1−β2) g; m starts at 0 and sign(0) = 0. Every coordinate moves by
 * exactly lr, so the paper recommends a learning rate 3–10× smaller than AdamW's and a weight decay
 * 3–10× larger. Defaults lr 1e-4, β (0.9, 0.99), no weight decay.
 */
public final class Lion extends Optimizer<Lion.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr          learning rate (≥ 0)
     * @param beta1       interpolation of the update direction, in [0, 1]
     * @param beta2       momentum decay in [0, 1)
     * @param weightDecay decoupled weight decay (≥ 0)
     */
    public record Hyper(double lr, double beta1, double beta2, double weightDecay) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.closedUnit("beta1", beta1);
            Checks.unit("beta2", beta2);
            Checks.nonNegative("weightDecay", weightDecay);
        }
    }

    /**
     * A builder with the paper's defaults.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Defaults lr 1e-4, β (0.9, 0.99), weight decay 0. */
    public static final class Builder {
        private double lr = 1e-4;
        private double beta1 = 0.9;
        private double beta2 = 0.99;
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
         * (β1, β2).
         *
         * @param b1 interpolation of the update direction, in [0, 1]
         * @param b2 momentum decay in [0, 1)
         * @return this builder
         */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        /**
         * Decoupled weight decay.
         *
         * @param v decoupled weight decay (≥ 0)
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
            return new Hyper(lr, beta1, beta2, weightDecay);
        }
    }

    /** Lion on the default backend. */
    public Lion() {
        this(null);
    }

    /**
     * Lion on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public Lion(Backend backend) {
        super("lion", backend);
    }

    @Override
    protected StateLayout<LionState> stateLayout(Group<Hyper> g) {
        return LionState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        return new StepHyper.Lion(g.lr(k), h.beta1(), h.beta2(), h.weightDecay());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.lion((StepHyper.Lion) h, p.param(), p.grad(), (LionState) st);
    }
}
