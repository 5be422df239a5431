package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.SgdState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * SGD with PyTorch's semantics ({@code torch.optim.SGD}): d = ±g + wd·w; with momentum μ the buffer
 * starts at the first d (b_1 = d_1, no dampening) and then b ← μb + (1−τ)d; Nesterov uses d + μb,
 * otherwise b; w ← w − lr·d. Heavy ball in PyTorch's form is this class with momentum; it equals the
 * classic form ({@link HeavyBall}) only while lr is constant, because lr sits outside the buffer here.
 * A momentum schedule replaces μ step by step.
 */
public final class Sgd extends Optimizer<Sgd.Hyper> {

    /**
     * Validated hyperparameters; nesterov needs momentum &gt; 0 and dampening = 0 (as PyTorch).
     *
     * @param lr          learning rate, finite and ≥ 0
     * @param momentum    μ in [0, 1); 0 keeps no momentum buffer (unless a momentum schedule is set)
     * @param dampening   τ in [0, 1]: the new d enters the buffer scaled by 1 − τ
     * @param weightDecay L2 penalty wd added to the gradient (d = ±g + wd·w), finite and ≥ 0
     * @param nesterov    whether the step uses d + μb (PyTorch's {@code nesterov=True}) instead of b
     * @param maximize    whether to ascend: d starts from −g instead of g
     */
    public record Hyper(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                        boolean maximize) implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above, or nesterov is set without
         *                                  momentum &gt; 0 and dampening = 0
         */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("momentum", momentum);
            Checks.closedUnit("dampening", dampening);
            Checks.nonNegative("weightDecay", weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("nesterov requires momentum > 0 and dampening = 0, got momentum "
                        + momentum + ", dampening " + dampening);
            }
        }
    }

    /**
     * A builder for {@link Hyper}, starting from the defaults (lr 0.01, everything else off).
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Defaults: lr 0.01, no momentum, no dampening, no weight decay. */
    public static final class Builder {
        private double lr = 0.01;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;
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
         * Sets the momentum.
         *
         * @param v μ in [0, 1); 0 for plain SGD
         * @return this builder
         */
        public Builder momentum(double v) { momentum = v; return this; }

        /**
         * Sets the dampening.
         *
         * @param v τ in [0, 1]
         * @return this builder
         */
        public Builder dampening(double v) { dampening = v; return this; }

        /**
         * Sets the L2 weight decay.
         *
         * @param v wd, finite and ≥ 0
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }

        /**
         * Turns Nesterov momentum on or off.
         *
         * @param v whether to use d + μb; needs momentum &gt; 0 and dampening = 0
         * @return this builder
         */
        public Builder nesterov(boolean v) { nesterov = v; return this; }

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
            return new Hyper(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }
    }

    /** SGD with no groups yet, on the default backend ({@code Backends.get()}). */
    public Sgd() {
        this(null);
    }

    /**
     * SGD with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
    public Sgd(Backend backend) {
        super("sgd", backend);
    }

    @Override
    protected StateLayout<SgdState> stateLayout(Group<Hyper> g) {
        return SgdState.layout(g.hyper().momentum() != 0 || g.hasMomentumSchedule());
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        return new StepHyper.Sgd(g.lr(k), g.momentum(k, h.momentum()), h.dampening(), h.weightDecay(), h.nesterov(),
                h.maximize(), false);
    }

    @Override
    protected void apply(StepHyper sh, Params p, StepState st, boolean fresh, int slot) {
        var h = (StepHyper.Sgd) sh;
        if (fresh && h.hasMomentum()) {
            h = new StepHyper.Sgd(h.lr(), h.momentum(), h.dampening(), h.weightDecay(), h.nesterov(), h.maximize(), true);
        }
        OptimizerSteps.sgd(h, p.param(), p.grad(), (SgdState) st);
    }
}
