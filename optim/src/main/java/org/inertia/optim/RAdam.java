package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.AdamState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * RAdam, rectified Adam (Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond"), with
 * PyTorch 2.x's semantics ({@code torch.optim.RAdam}, single-tensor algorithm): d = ±g (+ wd·w, or
 * w ← (1 − lr·wd)·w with {@code decoupledWeightDecay}); m ← β1 m + (1−β1) d; v ← β2 v + (1−β2) d²;
 * ρ∞ = 2/(1−β2) − 1, ρ_k = ρ∞ − 2kβ2^k/(1−β2^k). While ρ_k ≤ 5 (PyTorch's threshold,
 * {@link StepHyper.RAdam#RHO_THRESHOLD}) the step is bias-corrected momentum SGD, w ← w − lr·m/(1−β1^k);
 * afterwards w ← w − lr·r_k·m/(1−β1^k) · √(1−β2^k)/(√v + eps) with the rectification
 * r_k = √((ρ_k−4)(ρ_k−2)ρ∞/((ρ∞−4)(ρ∞−2)ρ_k)). With the default β2 = 0.999 the first five steps are
 * unrectified. Defaults lr 1e-3, β (0.9, 0.999), eps 1e-8, no weight decay. k is the group's own step
 * ({@link Group#steps()} + 1).
 */
public final class RAdam extends Optimizer<RAdam.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr                   learning rate (≥ 0)
     * @param beta1                first-moment coefficient in [0, 1)
     * @param beta2                second-moment coefficient in [0, 1)
     * @param eps                  denominator term (&gt; 0)
     * @param weightDecay          weight decay (≥ 0)
     * @param decoupledWeightDecay decay the weights (AdamW style) instead of adding wd·w to the gradient
     * @param maximize             ascend instead of descend
     */
    public record Hyper(double lr, double beta1, double beta2, double eps, double weightDecay,
                        boolean decoupledWeightDecay, boolean maximize) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("beta1", beta1);
            Checks.unit("beta2", beta2);
            Checks.positive("eps", eps);
            Checks.nonNegative("weightDecay", weightDecay);
        }
    }

    /**
     * A builder with PyTorch's defaults.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Defaults lr 1e-3, β (0.9, 0.999), eps 1e-8, weight decay 0 (L2). */
    public static final class Builder {
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private boolean decoupled;
        private boolean maximize;

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
         * Denominator term.
         *
         * @param v denominator term (&gt; 0)
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
         * Decoupled weight decay, PyTorch's {@code decoupled_weight_decay}.
         *
         * @param v decay the weights (AdamW style) instead of adding wd·w to the gradient
         * @return this builder
         */
        public Builder decoupledWeightDecay(boolean v) { decoupled = v; return this; }
        /**
         * Ascend instead of descend.
         *
         * @param v ascend instead of descend
         * @return this builder
         */
        public Builder maximize(boolean v) { maximize = v; return this; }

        /**
         * The validated record.
         *
         * @return the hyperparameters set so far
         * @throws IllegalArgumentException if a value is out of range (see {@link Hyper})
         */
        public Hyper build() {
            return new Hyper(lr, beta1, beta2, eps, weightDecay, decoupled, maximize);
        }
    }

    /** RAdam on the default backend. */
    public RAdam() {
        this(null);
    }

    /**
     * RAdam on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public RAdam(Backend backend) {
        super("radam", backend);
    }

    @Override
    protected StateLayout<AdamState> stateLayout(Group<Hyper> g) {
        return AdamState.layout(false);
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return stepHyper(g, k, g.steps() + 1, null);
    }

    /** The rectification and bias corrections at the parameter's own step t. */
    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k, long t, StepHyper groupStep) {
        Hyper h = g.hyper();
        return StepHyper.RAdam.forStep(g.lr(k), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.decoupledWeightDecay(),
                h.maximize(), t);
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.radam((StepHyper.RAdam) h, p.param(), p.grad(), (AdamState) st);
    }
}
