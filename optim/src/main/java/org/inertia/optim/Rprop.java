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

    /**
     * Validated hyperparameters.
     *
     * @param lr       the initial per-element step size, finite and ≥ 0 (read once, when the state is created)
     * @param etaMinus η−, the factor a step size shrinks by on a sign flip, in (0, 1)
     * @param etaPlus  η+, the factor a step size grows by while the sign holds, finite and &gt; 1
     * @param stepMin  the smallest step size, finite, ≥ 0 and ≤ stepMax
     * @param stepMax  the largest step size, finite and ≥ 0
     * @param maximize whether to ascend: the gradient's sign is flipped
     */
    public record Hyper(double lr, double etaMinus, double etaPlus, double stepMin, double stepMax, boolean maximize)
            implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above, or stepMin &gt; stepMax
         */
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

        /**
         * PyTorch's defaults with the given initial step size: η = (0.5, 1.2), step sizes [1e-6, 50].
         *
         * @param lr the initial step size, finite and ≥ 0
         * @throws IllegalArgumentException if lr is out of range
         */
        public Hyper(double lr) {
            this(lr, 0.5, 1.2, 1e-6, 50, false);
        }
    }

    /**
     * A builder for {@link Hyper} with PyTorch's defaults: lr 0.01, η = (0.5, 1.2), step sizes [1e-6, 50].
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Builds {@link Hyper} from PyTorch's defaults; each setter replaces one value. */
    public static final class Builder {
        private double lr = 0.01;
        private double etaMinus = 0.5;
        private double etaPlus = 1.2;
        private double stepMin = 1e-6;
        private double stepMax = 50;
        private boolean maximize;

        /** Creates a builder holding the defaults. */
        public Builder() {
        }

        /**
         * Sets the initial step size.
         *
         * @param v lr, finite and ≥ 0 (checked by {@link #build()})
         * @return this builder
         */
        public Builder lr(double v) { lr = v; return this; }

        /**
         * Sets the shrink and growth factors.
         *
         * @param minus η−, in (0, 1)
         * @param plus  η+, finite and &gt; 1
         * @return this builder
         */
        public Builder etas(double minus, double plus) { etaMinus = minus; etaPlus = plus; return this; }

        /**
         * Sets the range the step sizes are clamped to.
         *
         * @param min the smallest step size, ≥ 0 and ≤ max
         * @param max the largest step size, finite
         * @return this builder
         */
        public Builder stepSizes(double min, double max) { stepMin = min; stepMax = max; return this; }

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
            return new Hyper(lr, etaMinus, etaPlus, stepMin, stepMax, maximize);
        }
    }

    /** Rprop with no groups yet, on the default backend ({@code Backends.get()}). */
    public Rprop() {
        this(null);
    }

    /**
     * Rprop with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
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
