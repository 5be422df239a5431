package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.CounterNormal;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.SghmcState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Stochastic gradient Hamiltonian Monte Carlo (Chen, Fox, Guestrin 2014), the lecture's underdamped
 * Langevin form: p ← p − γ s p − s η (g + wd·w) + √(2 γ s η T) ξ; w ← w + s p, p_0 = 0, friction γ,
 * η a gradient scale (inverse mass), T the temperature. Noise as in {@link Sgld}.
 */
public final class Sghmc extends Optimizer<Sghmc.Hyper> {

    public record Hyper(double lr, double friction, double eta, double weightDecay, double temperature, long seed)
            implements Optimizer.Hyper {
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("friction", friction);
            Checks.positive("eta", eta);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.nonNegative("temperature", temperature);
        }
    }

    public Sghmc() {
        this(null);
    }

    public Sghmc(Backend backend) {
        super("sghmc", backend);
    }

    @Override
    protected StateLayout<SghmcState> stateLayout(Group<Hyper> g) {
        return SghmcState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        double lr = g.lr(k);
        return new StepHyper.Sghmc(lr, h.friction(), h.eta(), h.weightDecay(),
                Math.sqrt(2 * h.friction() * lr * h.eta() * h.temperature()), h.seed(), k);
    }

    @Override
    protected void apply(StepHyper sh, Params p, StepState st, boolean fresh, int slot) {
        var h = (StepHyper.Sghmc) sh;
        OptimizerSteps.sghmc(new StepHyper.Sghmc(h.lr(), h.friction(), h.eta(), h.weightDecay(), h.noiseStd(),
                h.seed() ^ CounterNormal.mix(slot), h.step()), p.param(), p.grad(), (SghmcState) st);
    }
}
