package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.CounterNormal;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.SgldState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Stochastic gradient Langevin dynamics (Welling and Teh 2011, in the lecture's form):
 * w ← w − s(g + wd·w) + √(2 s T) ξ with ξ standard normal, T the temperature (1 samples the posterior
 * e^{−f}). The noise is {@link CounterNormal}: element e of the pair with index {@code slot} (over all
 * groups, in order) at step k draws gaussian(seed ⊕ mix(slot), k, e) — reproducible for any thread count
 * and across checkpoints. A model in one {@link FlatParameters} is one slot, so its noise differs from
 * the same model given parameter by parameter.
 */
public final class Sgld extends Optimizer<Sgld.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr          the step size s, finite and ≥ 0; the noise scale √(2sT) follows it (and a schedule)
     * @param weightDecay L2 penalty wd added to the gradient (a Gaussian prior), finite and ≥ 0
     * @param temperature T, finite and ≥ 0; 1 samples e^{−f}, 0 is plain gradient descent
     * @param seed        the noise seed; equal seeds give equal noise at equal steps
     */
    public record Hyper(double lr, double weightDecay, double temperature, long seed) implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above
         */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.nonNegative("temperature", temperature);
        }
    }

    /** SGLD with no groups yet, on the default backend ({@code Backends.get()}). */
    public Sgld() {
        this(null);
    }

    /**
     * SGLD with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
    public Sgld(Backend backend) {
        super("sgld", backend);
    }

    @Override
    protected StateLayout<SgldState> stateLayout(Group<Hyper> g) {
        return SgldState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long step) {
        Hyper h = g.hyper();
        double lr = g.lr(step);
        return new StepHyper.Sgld(lr, h.weightDecay(), Math.sqrt(2 * lr * h.temperature()), h.seed(), step);
    }

    @Override
    protected void apply(StepHyper sh, Params p, StepState st, boolean fresh, int slot) {
        var h = (StepHyper.Sgld) sh;
        OptimizerSteps.sgld(new StepHyper.Sgld(h.lr(), h.weightDecay(), h.noiseStd(), h.seed() ^ CounterNormal.mix(slot),
                h.step()), p.param(), p.grad());
    }
}
