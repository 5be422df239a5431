package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.RpropState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Rprop with PyTorch's semantics ({@code torch.optim.Rprop}): per element, the step size grows ×η+
 * while g·g_prev &gt; 0, shrinks ×η− when the sign flips (and that gradient is then treated as 0: no
 * move, stored as g_prev = 0), is clamped to [stepMin, stepMax], and w ← w − sign(g)·step. The step
 * size starts at lr (so an lr schedule has no effect after the first step), g_prev at 0. Defaults
 * lr 0.01, η = (0.5, 1.2), step sizes [1e-6, 50].
 */
public final class Rprop extends Optimizer<Rprop.Hyper> {

    public record Hyper(double lr, double etaMinus, double etaPlus, double stepMin, double stepMax, boolean maximize)
            implements Optimizer.Hyper {
        public Hyper {
            Checks.nonNegative("lr", lr);
            if (!(etaMinus > 0 && etaMinus < 1 && etaPlus > 1) || Double.isInfinite(etaPlus)) {
                throw new IllegalArgumentException("etas must satisfy 0 < etaMinus < 1 < etaPlus, got etaMinus "
                        + etaMinus + ", etaPlus " + etaPlus);
            }
            Checks.nonNegative("stepMin", stepMin);
            Checks.nonNegative("stepMax", stepMax);
            if (stepMin > stepMax) {
                throw new IllegalArgumentException("stepMin " + stepMin + " must be <= stepMax " + stepMax);
            }
        }

        public Hyper(double lr) {
            this(lr, 0.5, 1.2, 1e-6, 50, false);
        }
    }

    /** PyTorch's defaults: lr 0.01, η = (0.5, 1.2), step sizes [1e-6, 50]. */
    public static Builder hyper() {
        return new Builder();
    }

    public static final class Builder {
        private double lr = 0.01;
        private double etaMinus = 0.5;
        private double etaPlus = 1.2;
        private double stepMin = 1e-6;
        private double stepMax = 50;
        private boolean maximize;

        public Builder lr(double v) { lr = v; return this; }
        public Builder etas(double minus, double plus) { etaMinus = minus; etaPlus = plus; return this; }
        public Builder stepSizes(double min, double max) { stepMin = min; stepMax = max; return this; }
        public Builder maximize(boolean v) { maximize = v; return this; }

        public Hyper build() {
            return new Hyper(lr, etaMinus, etaPlus, stepMin, stepMax, maximize);
        }
    }

    public Rprop() {
        this(null);
    }

    public Rprop(Backend backend) {
        super("rprop", backend);
    }

    @Override
    protected StateLayout<RpropState> stateLayout(Group<Hyper> g) {
        return RpropState.layout();
    }

    @Override
    protected void initState(String key, NdArray buffer, Params p, Hyper h) {
        if (key.equals(RpropState.STEP_SIZE)) {
            for (long i = 0; i < buffer.numel(); i++) {
                buffer.setAtOffset(i, h.lr());
            }
        }
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        return new StepHyper.Rprop(h.etaMinus(), h.etaPlus(), h.stepMin(), h.stepMax(), h.maximize());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.rprop((StepHyper.Rprop) h, p.param(), p.grad(), (RpropState) st);
    }
}
