package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.AdamaxState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Adamax, Adam with the infinity norm (Kingma and Ba 2015, §7.1), with PyTorch 2.x's semantics
 * ({@code torch.optim.Adamax}, single-tensor algorithm): d = ±g + wd·w; m ← β1 m + (1−β1) d;
 * u ← max(β2 u, |d| + eps); w ← w − (lr/(1−β1^k))·m/u, m and u starting at 0 (PyTorch adds eps inside the
 * max, so u &gt; 0). Defaults lr 2e-3, β (0.9, 0.999), eps 1e-8, no weight decay. k is the group's own
 * step ({@link Group#steps()} + 1).
 */
public final class Adamax extends Optimizer<Adamax.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr          learning rate (≥ 0)
     * @param beta1       first-moment coefficient in [0, 1)
     * @param beta2       infinity-norm decay in [0, 1)
     * @param eps         added to |d| (&gt; 0)
     * @param weightDecay L2 weight decay (≥ 0)
     * @param maximize    ascend instead of descend
     */
    public record Hyper(double lr, double beta1, double beta2, double eps, double weightDecay, boolean maximize)
            implements Optimizer.Hyper {
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

    /** Defaults lr 2e-3, β (0.9, 0.999), eps 1e-8, weight decay 0. */
    public static final class Builder {
        private double lr = 2e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
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
         * @param b2 infinity-norm decay in [0, 1)
         * @return this builder
         */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        /**
         * Term added to |d|.
         *
         * @param v added to |d| (&gt; 0)
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * L2 weight decay.
         *
         * @param v L2 weight decay (≥ 0)
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
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
            return new Hyper(lr, beta1, beta2, eps, weightDecay, maximize);
        }
    }

    /** Adamax on the default backend. */
    public Adamax() {
        this(null);
    }

    /**
     * Adamax on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public Adamax(Backend backend) {
        super("adamax", backend);
    }

    @Override
    protected StateLayout<AdamaxState> stateLayout(Group<Hyper> g) {
        return AdamaxState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return stepHyper(g, k, g.steps() + 1, null);
    }

    /** The bias correction at the parameter's own step t. */
    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k, long t, StepHyper groupStep) {
        Hyper h = g.hyper();
        return StepHyper.Adamax.forStep(g.lr(k), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.maximize(), t);
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.adamax((StepHyper.Adamax) h, p.param(), p.grad(), (AdamaxState) st);
    }
}
