package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.AdEMAMixState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * AdEMAMix (Pagliardini, Ablin and Grangier 2024, "The AdEMAMix Optimizer: Better, Faster, Older",
 * Algorithm 1; reference code apple/ml-ademamix): Adam plus a slow EMA of the gradient.
 * m1 ← β1 m1 + (1−β1) g; m2 ← β3 m2 + (1−β3) g; v ← β2 v + (1−β2) g² (all starting at 0);
 * w ← w − lr·((m1/(1−β1^k) + α m2)/(√(v/(1−β2^k)) + eps) + wd·w) (decoupled decay, as AdamW).
 *
 * <p>Warm-up schedulers of the reference code (k the group's own step, 1-based): with
 * {@code alphaWarmup} T_α &gt; 0, α_k = (k/T_α)·α while k &lt; T_α (linear from 0); with
 * {@code beta3Warmup} T_β &gt; 0, β3_k = f⁻¹((1 − k/T_β)·f(β1) + (k/T_β)·f(β3)) while k &lt; T_β, where
 * f(β) = ln(½)/ln(β + 1e-8) − 1 is the half-life in steps and f⁻¹(t) = ½^(1/(t+1)): the half-life grows
 * linearly from β1's to β3's. 0 turns a warm-up off. Defaults lr 1e-3, β (0.9, 0.999, 0.9999), α 2,
 * eps 1e-8, no weight decay, no warm-up (the paper sets both warm-ups to the run length for large β3).
 */
public final class AdEMAMix extends Optimizer<AdEMAMix.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr          learning rate (≥ 0)
     * @param beta1       fast EMA coefficient in [0, 1)
     * @param beta2       second-moment coefficient in [0, 1)
     * @param beta3       slow EMA coefficient in [0, 1)
     * @param alpha       weight of the slow EMA (≥ 0)
     * @param eps         denominator term (&gt; 0)
     * @param weightDecay decoupled weight decay (≥ 0)
     * @param alphaWarmup steps of α's linear warm-up (0: none)
     * @param beta3Warmup steps of β3's half-life warm-up (0: none)
     */
    public record Hyper(double lr, double beta1, double beta2, double beta3, double alpha, double eps,
                        double weightDecay, long alphaWarmup, long beta3Warmup) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("beta1", beta1);
            Checks.unit("beta2", beta2);
            Checks.unit("beta3", beta3);
            Checks.nonNegative("alpha", alpha);
            Checks.positive("eps", eps);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.atLeast("alphaWarmup", alphaWarmup, 0);
            Checks.atLeast("beta3Warmup", beta3Warmup, 0);
        }

        /**
         * α at step k (1-based): the linear warm-up from 0, then α.
         *
         * @param k the step, counted from 1
         * @return the slow-EMA mixing weight for step {@code k}
         */
        public double alphaAt(long k) {
            if (alphaWarmup > 0 && k < alphaWarmup) {
                return (double) k / alphaWarmup * alpha;
            }
            return alpha;
        }

        /**
         * β3 at step k (1-based): the half-life warm-up from β1, then β3.
         *
         * @param k the step, counted from 1
         * @return the slow EMA's decay for step {@code k}, in [0, 1)
         */
        public double beta3At(long k) {
            if (beta3Warmup > 0 && k < beta3Warmup) {
                double a = (double) k / beta3Warmup;
                double t = (1 - a) * halfLife(beta1) + a * halfLife(beta3);
                return Math.pow(0.5, 1 / (t + 1));
            }
            return beta3;
        }

        private static double halfLife(double beta) {
            return Math.log(0.5) / Math.log(beta + 1e-8) - 1;
        }
    }

    /**
     * A builder with the reference code's defaults.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Defaults lr 1e-3, β (0.9, 0.999, 0.9999), α 2, eps 1e-8, weight decay 0, no warm-ups. */
    public static final class Builder {
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double beta3 = 0.9999;
        private double alpha = 2;
        private double eps = 1e-8;
        private double weightDecay;
        private long alphaWarmup;
        private long beta3Warmup;

        Builder() {
        }

        /**
         * Learning rate.
         *
         * @param v learning rate (≥ 0)
         * @return this builder
         */
        public Builder lr(double v) { lr = v; return this; }
        /**
         * (β1, β2, β3).
         *
         * @param b1 fast EMA coefficient in [0, 1)
         * @param b2 second-moment coefficient in [0, 1)
         * @param b3 slow EMA coefficient in [0, 1)
         * @return this builder
         */
        public Builder betas(double b1, double b2, double b3) { beta1 = b1; beta2 = b2; beta3 = b3; return this; }
        /**
         * Weight of the slow EMA.
         *
         * @param v weight of the slow EMA (≥ 0)
         * @return this builder
         */
        public Builder alpha(double v) { alpha = v; return this; }
        /**
         * Denominator term.
         *
         * @param v denominator term (&gt; 0)
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * Decoupled weight decay.
         *
         * @param v decoupled weight decay (≥ 0)
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * Steps of α's warm-up (0: none).
         *
         * @param v steps of α's linear warm-up (0: none)
         * @return this builder
         */
        public Builder alphaWarmup(long v) { alphaWarmup = v; return this; }
        /**
         * Steps of β3's warm-up (0: none).
         *
         * @param v steps of β3's half-life warm-up (0: none)
         * @return this builder
         */
        public Builder beta3Warmup(long v) { beta3Warmup = v; return this; }

        /**
         * The validated record.
         *
         * @return the hyperparameters set so far
         * @throws IllegalArgumentException if a value is out of range (see {@link Hyper})
         */
        public Hyper build() {
            return new Hyper(lr, beta1, beta2, beta3, alpha, eps, weightDecay, alphaWarmup, beta3Warmup);
        }
    }

    /** AdEMAMix on the default backend. */
    public AdEMAMix() {
        this(null);
    }

    /**
     * AdEMAMix on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public AdEMAMix(Backend backend) {
        super("ademamix", backend);
    }

    @Override
    protected StateLayout<AdEMAMixState> stateLayout(Group<Hyper> g) {
        return AdEMAMixState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return stepHyper(g, k, g.steps() + 1, null);
    }

    /** The bias corrections and the β3 / α warm-ups at the parameter's own step t. */
    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k, long t, StepHyper groupStep) {
        Hyper h = g.hyper();
        return StepHyper.AdEMAMix.forStep(g.lr(k), h.beta1(), h.beta2(), h.beta3At(t), h.alphaAt(t), h.eps(),
                h.weightDecay(), t);
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.ademamix((StepHyper.AdEMAMix) h, p.param(), p.grad(), (AdEMAMixState) st);
    }
}
