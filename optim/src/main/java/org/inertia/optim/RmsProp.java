package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.RmsPropState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * RMSprop with PyTorch's semantics ({@code torch.optim.RMSprop}): d = ±g + wd·w; a ← αa + (1−α)d²;
 * centered: ḡ ← αḡ + (1−α)d, D = √(a − ḡ²) + eps, else D = √a + eps; with momentum μ > 0:
 * b ← μb + d/D, w ← w − lr·b; else w ← w − lr·d/D. All buffers start at 0. Defaults lr 0.01,
 * α 0.99, eps 1e-8.
 */
public final class RmsProp extends Optimizer<RmsProp.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr          learning rate, finite and ≥ 0
     * @param alpha       α in [0, 1), the decay of the square average a
     * @param eps         added to √a (or √(a − ḡ²)) in the denominator D, finite and &gt; 0
     * @param weightDecay L2 penalty wd added to the gradient, finite and ≥ 0
     * @param momentum    μ in [0, 1); 0 applies d/D directly, without a momentum buffer
     * @param centered    whether to normalise by the estimated variance a − ḡ² instead of a
     * @param maximize    whether to ascend: d starts from −g instead of g
     */
    public record Hyper(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
                        boolean maximize) implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above
         */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("alpha", alpha);
            Checks.positive("eps", eps);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.unit("momentum", momentum);
        }

        /**
         * PyTorch's defaults with the given learning rate: α 0.99, eps 1e-8, no weight decay, momentum,
         * centering or maximization.
         *
         * @param lr learning rate, finite and ≥ 0
         * @throws IllegalArgumentException if lr is out of range
         */
        public Hyper(double lr) {
            this(lr, 0.99, 1e-8, 0, 0, false, false);
        }
    }

    /**
     * A builder for {@link Hyper} with PyTorch's defaults: lr 0.01, α 0.99, eps 1e-8, no weight decay,
     * momentum or centering.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Builds {@link Hyper} from PyTorch's defaults; each setter replaces one value. */
    public static final class Builder {
        private double lr = 0.01;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;
        private boolean maximize;

        /** Creates a builder holding the defaults. */
        public Builder() {
        }

        /**
         * Sets the learning rate.
         *
         * @param v lr, finite and ≥ 0 (checked by {@link #build()})
         * @return this builder
         */
        public Builder lr(double v) { lr = v; return this; }

        /**
         * Sets the decay of the square average.
         *
         * @param v α in [0, 1)
         * @return this builder
         */
        public Builder alpha(double v) { alpha = v; return this; }

        /**
         * Sets the denominator's epsilon.
         *
         * @param v eps, finite and &gt; 0
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }

        /**
         * Sets the L2 weight decay.
         *
         * @param v wd, finite and ≥ 0
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }

        /**
         * Sets the momentum.
         *
         * @param v μ in [0, 1); 0 for none
         * @return this builder
         */
        public Builder momentum(double v) { momentum = v; return this; }

        /**
         * Turns centering on or off.
         *
         * @param v whether to normalise by a − ḡ² (keeps the gradient average ḡ)
         * @return this builder
         */
        public Builder centered(boolean v) { centered = v; return this; }

        /**
         * Turns maximization on or off.
         *
         * @param v whether to ascend the objective
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
            return new Hyper(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }
    }

    /** RMSprop with no groups yet, on the default backend ({@code Backends.get()}). */
    public RmsProp() {
        this(null);
    }

    /**
     * RMSprop with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
    public RmsProp(Backend backend) {
        super("rmsprop", backend);
    }

    @Override
    protected StateLayout<RmsPropState> stateLayout(Group<Hyper> g) {
        return RmsPropState.layout(g.hyper().centered(), g.hyper().momentum() > 0 || g.hasMomentumSchedule());
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        return new StepHyper.RmsProp(g.lr(k), h.alpha(), h.eps(), h.weightDecay(), g.momentum(k, h.momentum()),
                h.centered(), h.maximize());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.rmsprop((StepHyper.RmsProp) h, p.param(), p.grad(), (RmsPropState) st);
    }
}
