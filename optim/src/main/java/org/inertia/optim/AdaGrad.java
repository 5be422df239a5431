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

    public record Hyper(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps,
                        boolean maximize) implements Optimizer.Hyper {
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("lrDecay", lrDecay);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.nonNegative("initialAccumulatorValue", initialAccumulatorValue);
            Checks.positive("eps", eps);
        }

        public Hyper(double lr) {
            this(lr, 0, 0, 0, 1e-10, false);
        }
    }

    /** PyTorch's defaults: lr 0.01, no lr decay or weight decay, accumulator 0, eps 1e-10. */
    public static Builder hyper() {
        return new Builder();
    }

    public static final class Builder {
        private double lr = 0.01;
        private double lrDecay;
        private double weightDecay;
        private double initialAccumulatorValue;
        private double eps = 1e-10;
        private boolean maximize;

        public Builder lr(double v) { lr = v; return this; }
        public Builder lrDecay(double v) { lrDecay = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder initialAccumulatorValue(double v) { initialAccumulatorValue = v; return this; }
        public Builder eps(double v) { eps = v; return this; }
        public Builder maximize(boolean v) { maximize = v; return this; }

        public Hyper build() {
            return new Hyper(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }
    }

    public AdaGrad() {
        this(null);
    }

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
        Hyper h = g.hyper();
        return new StepHyper.AdaGrad(g.lr(k) / (1 + g.steps() * h.lrDecay()), h.weightDecay(), h.eps(), h.maximize());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.adagrad((StepHyper.AdaGrad) h, p.param(), p.grad(), (AdaGradState) st);
    }
}
