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

    /**
     * Validated hyperparameters.
     *
     * @param lr          the step size s, finite and ≥ 0
     * @param betas       the damping factors β_0 … β_{K−1}, each in [0, 1), at least one; copied in and out
     * @param weightDecay L2 penalty wd added to the gradient, finite and ≥ 0
     */
    public record Hyper(double lr, double[] betas, double weightDecay) implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters and keeps a copy of {@code betas}.
         *
         * @throws IllegalArgumentException if lr or weightDecay is out of range, betas is empty or a β is
         *                                  outside [0, 1)
         */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("weightDecay", weightDecay);
            java.util.Objects.requireNonNull(betas, "betas");
            if (betas.length == 0) {
                throw new IllegalArgumentException("betas must not be empty");
            }
            betas = betas.clone();
            for (int i = 0; i < betas.length; i++) {
                Checks.unit("betas[" + i + "]", betas[i]);
            }
        }

        /**
         * The paper's default β = [0, 0.9, 0.99] and no weight decay.
         *
         * @param lr the step size s, finite and ≥ 0
         * @throws IllegalArgumentException if lr is out of range
         */
        public Hyper(double lr) {
            this(lr, exponential(0.1, 3), 0);
        }

        /**
         * The damping factors.
         *
         * @return a copy of β_0 … β_{K−1}
         */
        @Override
        public double[] betas() {
            return betas.clone();
        }

        /**
         * Equal when lr, weightDecay and every β are (β compared by content, doubles as {@link Double#compare}).
         *
         * @param o the other object
         * @return whether o is a {@code Hyper} with the same values
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Hyper h && Double.compare(lr, h.lr) == 0
                    && Double.compare(weightDecay, h.weightDecay) == 0 && java.util.Arrays.equals(betas, h.betas);
        }

        /**
         * A hash of lr, weightDecay and the β by content.
         *
         * @return the hash code, consistent with {@link #equals(Object)}
         */
        @Override
        public int hashCode() {
            return java.util.Objects.hash(lr, weightDecay, java.util.Arrays.hashCode(betas));
        }

        /**
         * The values, the β listed.
         *
         * @return e.g. {@code Hyper[lr=0.1, betas=[0.0, 0.9, 0.99], weightDecay=0.0]}
         */
        @Override
        public String toString() {
            return "Hyper[lr=" + lr + ", betas=" + java.util.Arrays.toString(betas) + ", weightDecay=" + weightDecay
                    + "]";
        }

        /**
         * The exponential family of damping factors, β_i = 1 − a^i for i = 0 … K−1 (β_0 = 0: one velocity is
         * the plain gradient).
         *
         * @param a the base, in (0, 1) for damping factors in [0, 1) (not checked here; {@link Hyper} checks
         *          the result)
         * @param k K ≥ 1, the number of velocities
         * @return a new array of K factors
         */
        public static double[] exponential(double a, int k) {
            double[] b = new double[k];
            for (int i = 0; i < k; i++) {
                b[i] = 1 - Math.pow(a, i);
            }
            return b;
        }
    }

    /** AggMo with no groups yet, on the default backend ({@code Backends.get()}). */
    public AggMo() {
        this(null);
    }

    /**
     * AggMo with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
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
