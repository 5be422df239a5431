package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.AggMoState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Aggregated momentum, AggMo (Lucas, Sun, Zemel, Grosse, ICLR 2019; github.com/AtheMathmo/AggMo):
 * K velocities v_i ← β_i v_i + (g + wd·w), zero-initialised; w ← w − (s/K) Σ_i v_i. Default
 * β = [0, 0.9, 0.99], the exponential form β_i = 1 − a^i with a = 0.1, K = 3. One fused pass reads and
 * writes all K velocity buffers.
 */
public final class AggMo extends Optimizer<AggMo.Hyper> {

    public record Hyper(double lr, double[] betas, double weightDecay) implements Optimizer.Hyper {
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("weightDecay", weightDecay);
            if (betas.length == 0) {
                throw new IllegalArgumentException("betas must not be empty");
            }
            betas = betas.clone();
            for (int i = 0; i < betas.length; i++) {
                Checks.unit("betas[" + i + "]", betas[i]);
            }
        }

        /** β = [0, 0.9, 0.99]. */
        public Hyper(double lr) {
            this(lr, exponential(0.1, 3), 0);
        }

        @Override
        public double[] betas() {
            return betas.clone();
        }

        /** β_i = 1 − a^i for i = 0 … K−1. */
        public static double[] exponential(double a, int k) {
            double[] b = new double[k];
            for (int i = 0; i < k; i++) {
                b[i] = 1 - Math.pow(a, i);
            }
            return b;
        }
    }

    public AggMo() {
        this(null);
    }

    public AggMo(Backend backend) {
        super("aggmo", backend);
    }

    @Override
    protected StateLayout<AggMoState> stateLayout(Group<Hyper> g) {
        return AggMoState.layout(g.hyper().betas().length);
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return new StepHyper.AggMo(g.lr(k), g.hyper().betas(), g.hyper().weightDecay());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.aggmo((StepHyper.AggMo) h, p.param(), p.grad(), (AggMoState) st);
    }
}
