package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.StepHyper;

/**
 * Aggregated momentum, AggMo (Lucas, Sun, Zemel, Grosse, ICLR 2019; github.com/AtheMathmo/AggMo):
 * K velocities v_i ← β_i v_i + (g + wd·w), zero-initialised; w ← w − (s/K) Σ_i v_i. Default
 * β = [0, 0.9, 0.99], the exponential form β_i = 1 − a^i with a = 0.1, K = 3. One fused pass reads and
 * writes all K velocity buffers.
 */
public final class AggMo extends Optimizer<AggMo.Hyper> {

    public record Hyper(double lr, double[] betas, double weightDecay) implements Optimizer.Hyper {
        public Hyper {
            Validate.nonNegative("lr", lr);
            Validate.nonNegative("weightDecay", weightDecay);
            if (betas.length == 0) {
                throw new IllegalArgumentException("betas must not be empty");
            }
            betas = betas.clone();
            for (int i = 0; i < betas.length; i++) {
                Validate.unit("betas[" + i + "]", betas[i]);
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
    protected String[] stateNames(Group<Hyper> g) {
        int k = g.hyper().betas().length;
        String[] n = new String[k];
        for (int i = 0; i < k; i++) {
            n[i] = "velocity" + i;
        }
        return n;
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return new StepHyper.AggMo(g.lr(k), g.hyper().betas(), g.hyper().weightDecay());
    }

    @Override
    protected void apply(StepHyper h, Params p, NdArray[] st, boolean fresh, int slot) {
        backend.aggmoStep((StepHyper.AggMo) h, p.param(), p.grad(), st);
    }
}
