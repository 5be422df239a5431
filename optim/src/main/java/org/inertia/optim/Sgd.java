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

    /** Validated hyperparameters; nesterov needs momentum &gt; 0 and dampening = 0 (as PyTorch). */
    public record Hyper(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                        boolean maximize) implements Optimizer.Hyper {
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

        public Builder lr(double v) { lr = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder dampening(double v) { dampening = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        public Builder maximize(boolean v) { maximize = v; return this; }

        public Hyper build() {
            return new Hyper(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }
    }

    public Sgd() {
        this(null);
    }

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
