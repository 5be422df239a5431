package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.AdaGradState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * AdaGrad with PyTorch's semantics ({@code torch.optim.Adagrad}): clr = lr/(1 + (k−1)·lrDecay);
 * d = ±g + wd·w; s ← s + d²; w ← w − clr·d/(√s + eps); s starts at {@code initialAccumulatorValue}.
 * Defaults lr 0.01, eps 1e-10.
 */
public final class AdaGrad extends Optimizer<AdaGrad.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr                      learning rate (≥ 0)
     * @param lrDecay                 learning-rate decay per step (≥ 0)
     * @param weightDecay             L2 weight decay (≥ 0)
     * @param initialAccumulatorValue initial value of the squared-gradient sum s (≥ 0)
     * @param eps                     denominator floor (&gt; 0)
     * @param maximize                ascend the objective instead of descending it
     */
    public record Hyper(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps,
                        boolean maximize) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("lrDecay", lrDecay);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.nonNegative("initialAccumulatorValue", initialAccumulatorValue);
            Checks.positive("eps", eps);
        }

        /**
         * PyTorch's defaults with learning rate {@code lr}.
         *
         * @param lr learning rate (≥ 0)
         */
        public Hyper(double lr) {
            this(lr, 0, 0, 0, 1e-10, false);
        }
    }

    /**
     * PyTorch's defaults: lr 0.01, no lr decay or weight decay, accumulator 0, eps 1e-10.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Defaults lr 0.01, no lr decay or weight decay, accumulator 0, eps 1e-10. */
    public static final class Builder {
        private double lr = 0.01;
        private double lrDecay;
        private double weightDecay;
        private double initialAccumulatorValue;
        private double eps = 1e-10;
        private boolean maximize;

        /** A builder with the defaults; {@link AdaGrad#hyper()} is the usual way to get one. */
        public Builder() {
        }

        /**
         * Sets {@code lr}.
         *
         * @param v learning rate (≥ 0)
         * @return this builder
         */
        public Builder lr(double v) { lr = v; return this; }
        /**
         * Sets {@code lrDecay}.
         *
         * @param v learning-rate decay per step (≥ 0)
         * @return this builder
         */
        public Builder lrDecay(double v) { lrDecay = v; return this; }
        /**
         * Sets {@code weightDecay}.
         *
         * @param v L2 weight decay (≥ 0)
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * Sets {@code initialAccumulatorValue}.
         *
         * @param v initial value of the squared-gradient sum s (≥ 0)
         * @return this builder
         */
        public Builder initialAccumulatorValue(double v) { initialAccumulatorValue = v; return this; }
        /**
         * Sets {@code eps}.
         *
         * @param v denominator floor (&gt; 0)
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
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
            return new Hyper(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }
    }

    /** AdaGrad on the default backend. */
    public AdaGrad() {
        this(null);
    }

    /**
     * AdaGrad on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public AdaGrad(Backend backend) {
        super("adagrad", backend);
    }

    @Override
    protected StateLayout<AdaGradState> stateLayout(Group<Hyper> g) {
        return AdaGradState.layout();
    }

    @Override
    protected void initState(String key, NdArray buffer, Params p, Hyper h) {
        if (h.initialAccumulatorValue() != 0) {
            for (long i = 0; i < buffer.numel(); i++) {
                buffer.setAtOffset(i, h.initialAccumulatorValue());
            }
        }
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return stepHyper(g, k, g.steps() + 1, null);
    }

    /** The learning-rate decay at the parameter's own step t: lr / (1 + (t − 1)·lrDecay). */
    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k, long t, StepHyper groupStep) {
        Hyper h = g.hyper();
        return new StepHyper.AdaGrad(g.lr(k) / (1 + (t - 1) * h.lrDecay()), h.weightDecay(), h.eps(), h.maximize());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.adagrad((StepHyper.AdaGrad) h, p.param(), p.grad(), (AdaGradState) st);
    }
}
