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

    public record Hyper(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
                        boolean maximize) implements Optimizer.Hyper {
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("alpha", alpha);
            Checks.positive("eps", eps);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.unit("momentum", momentum);
        }

        public Hyper(double lr) {
            this(lr, 0.99, 1e-8, 0, 0, false, false);
        }
    }

    /** PyTorch's defaults: lr 0.01, α 0.99, eps 1e-8, no weight decay, momentum or centering. */
    public static Builder hyper() {
        return new Builder();
    }

    public static final class Builder {
        private double lr = 0.01;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;
        private boolean maximize;

        public Builder lr(double v) { lr = v; return this; }
        public Builder alpha(double v) { alpha = v; return this; }
        public Builder eps(double v) { eps = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder centered(boolean v) { centered = v; return this; }
        public Builder maximize(boolean v) { maximize = v; return this; }

        public Hyper build() {
            return new Hyper(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }
    }

    public RmsProp() {
        this(null);
    }

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
