package org.inertia.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.optim.kernel.AdamState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * NAdam (Dozat 2016, "Incorporating Nesterov Momentum into Adam") with PyTorch 2.x's semantics
 * ({@code torch.optim.NAdam}, single-tensor algorithm): d = ±g (+ wd·w, or w ← (1 − lr·wd)·w with
 * {@code decoupledWeightDecay}, the "NAdamW" of PyTorch 2.1+); m ← β1 m + (1−β1) d; v ← β2 v + (1−β2) d²;
 * μ_k = β1 (1 − ½·0.96^(k·ψ)) with the momentum decay ψ (default 0.004), Π_k = μ_1⋯μ_k;
 * w ← w − lr (1−μ_k)/(1−Π_k) · d/D − lr μ_{k+1}/(1−Π_k μ_{k+1}) · m/D, D = √(v/(1−β2^k)) + eps.
 * Defaults lr 2e-3, β (0.9, 0.999), eps 1e-8, no weight decay.
 *
 * <p>PyTorch keeps Π_k per parameter as a float32 tensor ({@code mu_product}); Inertia keeps it in double
 * per group and step count (Π_c for each count c that a parameter of the group has, k being the
 * parameter's own step, {@link Optimizer.Group#steps(int)}), so float32 runs agree with PyTorch to a few
 * float roundings rather than bit for bit. The state dict holds Π at the group's clock as the scalar
 * counter {@code mu_product.<group>}; the products of parameters that lag behind the clock (they had no
 * gradient at some steps) are recomputed from the hyperparameters when a state dict is loaded, which is
 * exact unless β1 or ψ changed during the run.
 */
public final class NAdam extends Optimizer<NAdam.Hyper> {
    private static final String MU_PRODUCT = "mu_product.";
    /** Per group, Π_c for the step counts c its parameters and its clock have (Π_0 = 1 is implicit). */
    private final Map<Group<Hyper>, java.util.TreeMap<Long, Double>> muProducts = new LinkedHashMap<>();

    /**
     * Validated hyperparameters.
     *
     * @param lr                   learning rate (≥ 0)
     * @param beta1                first-moment coefficient in [0, 1)
     * @param beta2                second-moment coefficient in [0, 1)
     * @param eps                  denominator term (&gt; 0)
     * @param weightDecay          weight decay (≥ 0)
     * @param momentumDecay        ψ of the momentum schedule (≥ 0)
     * @param decoupledWeightDecay decay the weights (AdamW style) instead of adding wd·w to the gradient
     * @param maximize             ascend instead of descend
     */
    public record Hyper(double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay,
                        boolean decoupledWeightDecay, boolean maximize) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("beta1", beta1);
            Checks.unit("beta2", beta2);
            Checks.positive("eps", eps);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.nonNegative("momentumDecay", momentumDecay);
        }
    }

    /**
     * A builder with PyTorch's defaults.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /** Defaults lr 2e-3, β (0.9, 0.999), eps 1e-8, weight decay 0, momentum decay 0.004. */
    public static final class Builder {
        private double lr = 2e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentumDecay = 4e-3;
        private boolean decoupled;
        private boolean maximize;

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
         * (β1, β2).
         *
         * @param b1 first-moment coefficient in [0, 1)
         * @param b2 second-moment coefficient in [0, 1)
         * @return this builder
         */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        /**
         * Denominator term.
         *
         * @param v denominator term (&gt; 0)
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * Weight decay (L2 unless {@link #decoupledWeightDecay}).
         *
         * @param v weight decay (≥ 0)
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * ψ, PyTorch's {@code momentum_decay}.
         *
         * @param v ψ of the momentum schedule (≥ 0)
         * @return this builder
         */
        public Builder momentumDecay(double v) { momentumDecay = v; return this; }
        /**
         * Decoupled weight decay, PyTorch's {@code decoupled_weight_decay}.
         *
         * @param v decay the weights (AdamW style) instead of adding wd·w to the gradient
         * @return this builder
         */
        public Builder decoupledWeightDecay(boolean v) { decoupled = v; return this; }
        /**
         * Ascend instead of descend.
         *
         * @param v ascend instead of descend
         * @return this builder
         */
        public Builder maximize(boolean v) { maximize = v; return this; }

        /**
         * The validated record.
         *
         * @return the hyperparameters set so far
         * @throws IllegalArgumentException if a value is out of range (see {@link Hyper})
         */
        public Hyper build() {
            return new Hyper(lr, beta1, beta2, eps, weightDecay, momentumDecay, decoupled, maximize);
        }
    }

    /** NAdam on the default backend. */
    public NAdam() {
        this(null);
    }

    /**
     * NAdam on {@code backend}.
     *
     * @param backend the compute backend; null for the default
     */
    public NAdam(Backend backend) {
        super("nadam", backend);
    }

    @Override
    protected StateLayout<AdamState> stateLayout(Group<Hyper> g) {
        return AdamState.layout(false);
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        return stepHyper(g, k, g.steps() + 1, null);
    }

    /** The bias corrections and Π at the parameter's own step t. */
    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k, long t, StepHyper groupStep) {
        Hyper h = g.hyper();
        java.util.TreeMap<Long, Double> products = muProducts.computeIfAbsent(g, x -> new java.util.TreeMap<>());
        StepHyper.NAdam sh = StepHyper.NAdam.forStep(g.lr(k), h.beta1(), h.beta2(), h.eps(), h.weightDecay(),
                h.decoupledWeightDecay(), h.maximize(), h.momentumDecay(), t, product(g, t - 1));
        products.put(t, sh.muProduct());
        return sh;
    }

    /** Π_c of group g: kept, 1 for c = 0, else recomputed from the group's current β1 and ψ. */
    private double product(Group<Hyper> g, long c) {
        Double kept = muProducts.computeIfAbsent(g, x -> new java.util.TreeMap<>()).get(c);
        if (kept != null) {
            return kept;
        }
        Hyper h = g.hyper();
        double p = 1;
        for (long j = 1; j <= c; j++) {
            p *= StepHyper.NAdam.mu(h.beta1(), h.momentumDecay(), j);
        }
        return p;
    }

    /** Keeps Π only for the step counts the groups' parameters and clocks have now. */
    @Override
    protected void afterStep(long k) {
        for (Group<Hyper> g : groups()) {
            java.util.TreeMap<Long, Double> products = muProducts.get(g);
            if (products == null) {
                continue;
            }
            java.util.Set<Long> live = new java.util.HashSet<>();
            live.add(g.steps());
            for (int i = 0; i < g.params().size(); i++) {
                live.add(g.steps(i));
            }
            products.keySet().retainAll(live);
        }
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.nadam((StepHyper.NAdam) h, p.param(), p.grad(), (AdamState) st);
    }

    @Override
    protected Map<String, Double> scalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        var gs = groups();
        for (int i = 0; i < gs.size(); i++) {
            out.put(MU_PRODUCT + i, product(gs.get(i), gs.get(i).steps()));
        }
        return out;
    }

    @Override
    protected void loadScalars(Map<String, Double> scalars) {
        var gs = groups();
        for (int i = 0; i < gs.size(); i++) {
            java.util.TreeMap<Long, Double> products = new java.util.TreeMap<>();
            products.put(gs.get(i).steps(), scalars.get(MU_PRODUCT + i));
            muProducts.put(gs.get(i), products);
        }
    }
}
