package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;
import org.inertia.optim.kernel.VelocityState;

/**
 * SGD with early momentum, SGDEM (Ramezani-Kebrya, Antonakopoulos, Cevher, Khisti, Liang, JMLR):
 * heavy-ball momentum (classic form, v ← βv − s(g + wd·w); w ← w + v) with β = μ during an early phase
 * and β = 0 afterwards, which is plain SGD (v = −s·g). Two working definitions, both offered: the early
 * phase is the first E steps overall ({@code stepsPerEpoch = 0}), or the first E steps of every epoch of
 * {@code stepsPerEpoch} steps. When momentum switches back on at an epoch start, the velocity is the
 * last plain step (−s·g), as the recurrence says.
 */
public final class SgdEarlyMomentum extends Optimizer<SgdEarlyMomentum.Hyper> {

    public record Hyper(double lr, double momentum, double weightDecay, long earlySteps, long stepsPerEpoch)
            implements Optimizer.Hyper {
        public Hyper {
            Validate.nonNegative("lr", lr);
            Validate.unit("momentum", momentum);
            Validate.nonNegative("weightDecay", weightDecay);
            Validate.atLeast("earlySteps", earlySteps, 0);
            Validate.atLeast("stepsPerEpoch", stepsPerEpoch, 0);
        }

        /** Whether step k (1-based) is in the early (momentum) phase. */
        public boolean early(long k) {
            long pos = stepsPerEpoch == 0 ? k - 1 : (k - 1) % stepsPerEpoch;
            return pos < earlySteps;
        }
    }

    public SgdEarlyMomentum() {
        this(null);
    }

    public SgdEarlyMomentum(Backend backend) {
        super("sgdem", backend);
    }

    @Override
    protected StateLayout<VelocityState> stateLayout(Group<Hyper> g) {
        return VelocityState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        double beta = h.early(k) ? g.momentum(k, h.momentum()) : 0;
        return new StepHyper.HeavyBall(g.lr(k), beta, h.weightDecay());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.heavyBall((StepHyper.HeavyBall) h, p.param(), p.grad(), (VelocityState) st);
    }
}
