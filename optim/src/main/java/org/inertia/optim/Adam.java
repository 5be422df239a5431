package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.AdamState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's semantics ({@code torch.optim.Adam}): d = ±g + wd·w (L2);
 * m ← β1 m + (1−β1) d; v ← β2 v + (1−β2) d²; w ← w − (lr/(1−β1^k)) · m / (√v/√(1−β2^k) + eps);
 * m and v start at 0. AMSGrad keeps v_max = max(v_max, v) over the raw second moment and uses it in
 * place of v (PyTorch's choice; the lecture's "max(v̂)" differs while the bias correction changes).
 * The bias corrections are computed once per step in double and passed to the kernel as two scalars.
 * Defaults lr 1e-3, β = (0.9, 0.999), eps 1e-8. {@link AdamW} is the decoupled-decay variant.
 */
public class Adam extends Optimizer<Adam.Hyper> {
    private final boolean decoupled;

    /**
     * Validated hyperparameters.
     *
     * @param lr          learning rate (≥ 0)
     * @param beta1       first-moment decay β1 in [0, 1)
     * @param beta2       second-moment decay β2 in [0, 1)
     * @param eps         denominator floor (&gt; 0)
     * @param weightDecay weight decay (≥ 0): L2 for Adam, decoupled for AdamW
     * @param amsgrad     keep the running maximum of the second moment
     * @param maximize    ascend the objective instead of descending it
     */
    public record Hyper(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                        boolean maximize) implements Optimizer.Hyper {
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
     * Adam's defaults.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder(0);
    }

    /** Defaults lr 1e-3, β (0.9, 0.999), eps 1e-8, weight decay as given by the class. */
    public static final class Builder {
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private boolean amsgrad;
        private boolean maximize;

        Builder(double weightDecay) {
            this.weightDecay = weightDecay;
        }

        /**
         * Sets {@code lr}.
         *
         * @param v learning rate (≥ 0)
         * @return this builder
         */
        public Builder lr(double v) { lr = v; return this; }
        /**
         * Sets {@code betas}.
         *
         * @param b1 first-moment decay β1 in [0, 1)
         * @param b2 second-moment decay β2 in [0, 1)
         * @return this builder
         */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        /**
         * Sets {@code eps}.
         *
         * @param v denominator floor (&gt; 0)
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * Sets {@code weightDecay}.
         *
         * @param v weight decay (≥ 0): L2 for Adam, decoupled for AdamW
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * Sets {@code amsgrad}.
         *
         * @param v keep the running maximum of the second moment
         * @return this builder
         */
        public Builder amsgrad(boolean v) { amsgrad = v; return this; }
        /**
         * Sets {@code maximize}.
         *
         * @param v ascend the objective instead of descending it
         * @return this builder
         */
        public Builder maximize(boolean v) { maximize = v; return this; }

        /**
         * Validates and builds the hyperparameters.
         *
         * @return the hyperparameters set so far
         * @throws IllegalArgumentException if a value is out of range (see {@link Hyper})
         */
        public Hyper build() {
            return new Hyper(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }
    }

    /** Adam on the default backend. */
    public Adam() {
        this(null);
    }

    /**
     * Adam on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public Adam(Backend backend) {
        this("adam", backend, false);
    }

    Adam(String method, Backend backend, boolean decoupled) {
        super(method, backend);
        this.decoupled = decoupled;
    }

    @Override
    protected StateLayout<AdamState> stateLayout(Group<Hyper> g) {
        return AdamState.layout(g.hyper().amsgrad());
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return stepHyper(g, k, g.steps() + 1, null);
    }

    /** The bias corrections at the parameter's own step t. */
    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k, long t, StepHyper groupStep) {
        Hyper h = g.hyper();
        return StepHyper.Adam.forStep(g.lr(k), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), decoupled, h.amsgrad(),
                h.maximize(), t);
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.adam((StepHyper.Adam) h, p.param(), p.grad(), (AdamState) st);
    }
}
