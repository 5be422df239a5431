package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.AdamState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * QHAdam (Ma and Yarats 2019, "Quasi-hyperbolic momentum and Adam for deep learning", Algorithm 1;
 * reference code facebookresearch/qhoptim {@code QHAdam}): d = g (+ wd·w, or w ← (1 − lr·wd)·w with
 * {@code decoupledWeightDecay}); the bias-corrected averages are kept directly, m ← β1' m + (1−β1') d and
 * v ← β2' v + (1−β2') d² with β' = 1 − 1/W_k, W_k = 1 + β W_{k−1} (W_1 = 1, so m = d and v = d² after
 * the first step); w ← w − lr·((1−ν1) d + ν1 m)/(√((1−ν2) d² + ν2 v) + eps). ν1 = ν2 = 1 is Adam with
 * eps outside the bias correction; ν2 = 1, ν1 = β1 is NAdam-like. Defaults: the paper's recommended
 * β (0.995, 0.999), ν (0.7, 1.0), lr 1e-3, eps 1e-8, no weight decay. k is the group's own step.
 */
public final class QhAdam extends Optimizer<QhAdam.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr                   learning rate (≥ 0)
     * @param beta1                first-moment coefficient in [0, 1)
     * @param beta2                second-moment coefficient in [0, 1)
     * @param nu1                  immediate discount of the first moment, in [0, 1]
     * @param nu2                  immediate discount of the second moment, in [0, 1]
     * @param eps                  denominator term (≥ 0; qhoptim allows 0)
     * @param weightDecay          weight decay (≥ 0)
     * @param decoupledWeightDecay decay the weights instead of adding wd·w to the gradient
     */
    public record Hyper(double lr, double beta1, double beta2, double nu1, double nu2, double eps, double weightDecay,
                        boolean decoupledWeightDecay) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("beta1", beta1);
            Checks.unit("beta2", beta2);
            Checks.closedUnit("nu1", nu1);
            Checks.closedUnit("nu2", nu2);
            Checks.nonNegative("eps", eps);
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

    /** Defaults lr 1e-3, β (0.995, 0.999), ν (0.7, 1.0), eps 1e-8, weight decay 0 (L2). */
    public static final class Builder {
        private double lr = 1e-3;
        private double beta1 = 0.995;
        private double beta2 = 0.999;
        private double nu1 = 0.7;
        private double nu2 = 1.0;
        private double eps = 1e-8;
        private double weightDecay;
        private boolean decoupled;

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
         * @param b1 first-moment coefficient in [0, 1)
         * @param b2 second-moment coefficient in [0, 1)
         * @return this builder
         */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        /**
         * (ν1, ν2).
         *
         * @param n1 immediate discount of the first moment, in [0, 1]
         * @param n2 immediate discount of the second moment, in [0, 1]
         * @return this builder
         */
        public Builder nus(double n1, double n2) { nu1 = n1; nu2 = n2; return this; }
        /**
         * Denominator term.
         *
         * @param v denominator term (≥ 0; qhoptim allows 0)
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * Weight decay (L2 unless {@link #decoupledWeightDecay}).
         *
         * @param v weight decay (≥ 0)
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * Decoupled weight decay, qhoptim's {@code decouple_weight_decay}.
         *
         * @param v decay the weights instead of adding wd·w to the gradient
         * @return this builder
         */
        public Builder decoupledWeightDecay(boolean v) { decoupled = v; return this; }

        /**
         * The validated record.
         *
         * @return the hyperparameters set so far
         * @throws IllegalArgumentException if a value is out of range (see {@link Hyper})
         */
        public Hyper build() {
            return new Hyper(lr, beta1, beta2, nu1, nu2, eps, weightDecay, decoupled);
        }
    }

    /** QHAdam on the default backend. */
    public QhAdam() {
        this(null);
    }

    /**
     * QHAdam on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public QhAdam(Backend backend) {
        super("qhadam", backend);
    }

    @Override
    protected StateLayout<AdamState> stateLayout(Group<Hyper> g) {
        return AdamState.layout(false);
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return stepHyper(g, k, g.steps() + 1, null);
    }

    /** The bias corrections at the parameter's own step t. */
    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k, long t, StepHyper groupStep) {
        Hyper h = g.hyper();
        return StepHyper.QhAdam.forStep(g.lr(k), h.beta1(), h.beta2(), h.nu1(), h.nu2(), h.eps(), h.weightDecay(),
                h.decoupledWeightDecay(), t);
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.qhadam((StepHyper.QhAdam) h, p.param(), p.grad(), (AdamState) st);
    }
}
