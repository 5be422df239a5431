package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import java.util.List;
import org.inertia.kernels.CounterNormal;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.SghmcState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Stochastic gradient Hamiltonian Monte Carlo (Chen, Fox, Guestrin 2014, "Stochastic Gradient Hamiltonian
 * Monte Carlo", ICML), the lecture's underdamped Langevin form
 * <pre>
 *   p ← p − γ s p − s η (g + wd·w) + √(2 γ s η T) ξ,   w ← w + s p,   p_0 = 0,
 * </pre>
 * friction γ, η a gradient scale (inverse mass), T the temperature, ξ standard normal. Noise as in
 * {@link Sgld}.
 *
 * <p><b>Mini-batch noise correction.</b> With a stochastic gradient g̃ = g + ε, Var ε = V (per element), the
 * gradient term already injects variance s²η²V into p each step, on top of the 2γsηT the update adds: the chain
 * samples at the temperature T + B/γ instead of T, with B = ½ s η V (Chen et al., eq. 9 and §3.2, in this
 * parametrization: their ε is our s, their C our γ, unit mass). The correction subtracts the estimate B̂ of
 * that term from the injected noise:
 * <pre>
 *   B̂ = ½ s η V̂,   γ' = max(γ, min(B̂/T, 1/s)),
 *   p ← p − γ' s p − s η (g + wd·w) + √(max(0, 2 s η (γ' T − B̂))) ξ,   w ← w + s p.
 * </pre>
 * Chen et al. require C ⪰ B̂: where the gradient noise alone exceeds the diffusion (B̂ &gt; γT) no noise can be
 * removed enough, so the friction is raised to B̂/T there (then that element injects no noise and its whole
 * diffusion is the gradient's). Above 1/s the friction would flip p's sign every step, so it is capped there;
 * an element at the cap still runs hot (by B̂ − γ'T, counted by {@link #hotElements()}): the step is too large
 * for that much gradient noise. How V̂ is estimated is the {@link NoiseCorrection} given at construction:
 * {@link NoiseCorrection#none()} (the default: B̂ = 0, the lecture's update, exact for full-batch gradients,
 * and the fused SIMD kernel), {@link NoiseCorrection#runningMoments(double)} (from the gradients seen), or
 * {@link NoiseCorrection#given} (the caller's estimate, e.g. from per-example gradients). The corrected update
 * runs a double-precision loop per element in this class with the same noise stream as the kernel, so with
 * V̂ = 0 it gives the kernel's float64 result bit for bit.
 */
public final class Sghmc extends Optimizer<Sghmc.Hyper> {

    /**
     * How SGHMC estimates the per-element variance V̂ of the stochastic gradient behind B̂ = ½ s η V̂ (see the
     * class comment). Configuration of the optimizer, not a hyperparameter: it is not stored in checkpoints.
     */
    public sealed interface NoiseCorrection {
        /**
         * B̂ = 0: no correction (the lecture's update; right for exact gradients). The default.
         *
         * @return the no-correction policy
         */
        static NoiseCorrection none() {
            return None.INSTANCE;
        }

        /**
         * V̂ from exponential moving averages of the raw gradient g (weight decay, the exact prior term, left
         * out) over the steps, bias-corrected: m₁ ← ρ m₁ + (1−ρ) g, m₂ ← ρ m₂ + (1−ρ) g²,
         * V̂ = max(0, m₂/(1−ρ^k) − (m₁/(1−ρ^k))²). It sees the variation of the true gradient as w moves too, so
         * it over-estimates V (most during burn-in, when the gradient changes fastest); state buffers
         * {@code grad_mean} and {@code grad_sq}.
         *
         * @param decay ρ in (0, 1), e.g. 0.99
         * @return the running-moments policy
         * @throws IllegalArgumentException if {@code decay} is not in (0, 1)
         */
        static NoiseCorrection runningMoments(double decay) {
            return new RunningMoments(decay);
        }

        /**
         * V̂ from the caller: {@code variance} returns, for a (param, grad) pair, an array of the parameter's
         * shape holding the variance of the current stochastic gradient's elements (e.g. N²/B times the
         * per-example gradients' variance for a sum over N points estimated from B drawn with replacement — the
         * empirical Fisher estimate Chen et al. suggest). Called once per pair per step.
         *
         * @param variance maps a (param, grad) pair to V̂, shaped as the parameter, elements ≥ 0
         * @return the caller-estimate policy
         * @throws NullPointerException if {@code variance} is null
         */
        static NoiseCorrection given(java.util.function.Function<Params, NdArray> variance) {
            return new Given(java.util.Objects.requireNonNull(variance, "variance"));
        }
    }

    private enum None implements NoiseCorrection { INSTANCE }

    private record RunningMoments(double decay) implements NoiseCorrection {
        RunningMoments {
            if (!(decay > 0 && decay < 1)) {
                throw new IllegalArgumentException("runningMoments decay must be in (0, 1), got " + decay);
            }
        }
    }

    private record Given(java.util.function.Function<Params, NdArray> variance) implements NoiseCorrection {
    }

    /** The running-moments correction's state: momentum and the two moment buffers. */
    private record CorrectedState(NdArray momentum, NdArray gradMean, NdArray gradSq) implements StepState {
    }

    private static final String GRAD_MEAN = "grad_mean";
    private static final String GRAD_SQ = "grad_sq";

    private final NoiseCorrection correction;
    private long hotElements;

    /**
     * Validated hyperparameters.
     *
     * @param lr          step size s (≥ 0)
     * @param friction    friction γ (≥ 0)
     * @param eta         gradient scale η, the inverse mass (&gt; 0)
     * @param weightDecay weight decay wd, a Gaussian prior's precision (≥ 0)
     * @param temperature temperature T (≥ 0; 0 for no injected noise)
     * @param seed        seed of the noise stream
     */
    public record Hyper(double lr, double friction, double eta, double weightDecay, double temperature, long seed)
            implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("friction", friction);
            Checks.positive("eta", eta);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.nonNegative("temperature", temperature);
        }
    }

    /** No noise correction ({@link NoiseCorrection#none()}), the default backend. */
    public Sghmc() {
        this(NoiseCorrection.none(), null);
    }

    /**
     * No noise correction ({@link NoiseCorrection#none()}); the backend serves gradient clipping.
     *
     * @param backend the compute backend; null for the default
     */
    public Sghmc(Backend backend) {
        this(NoiseCorrection.none(), backend);
    }

    /**
     * SGHMC with the given noise correction.
     *
     * @param correction how B̂ is estimated ({@link NoiseCorrection})
     * @param backend    serves gradient clipping; null for the default
     */
    public Sghmc(NoiseCorrection correction, Backend backend) {
        super("sghmc", backend);
        this.correction = java.util.Objects.requireNonNull(correction, "correction");
    }

    /**
     * The noise correction this sampler applies.
     *
     * @return the correction given at construction
     */
    public NoiseCorrection noiseCorrection() {
        return correction;
    }

    /**
     * Elements of the last step whose friction reached the cap 1/s with B̂ still above γ'T, so that they
     * sample hotter than T (0 without a correction, which does not estimate B̂).
     *
     * @return the number of such elements in the last step; &ge; 0
     */
    public long hotElements() {
        return hotElements;
    }

    @Override
    protected StateLayout<?> stateLayout(Group<Hyper> g) {
        if (correction instanceof RunningMoments) {
            return new StateLayout<>(List.of(SghmcState.MOMENTUM, GRAD_MEAN, GRAD_SQ),
                    b -> new CorrectedState(b.get(SghmcState.MOMENTUM), b.get(GRAD_MEAN), b.get(GRAD_SQ)));
        }
        return SghmcState.layout();
    }

    @Override
    protected void beforeStep(long k, double loss) {
        hotElements = 0;
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
        if (!(correction instanceof None)) {
            corrected(h, p, st, slot);
            return;
        }
        OptimizerSteps.sghmc(new StepHyper.Sghmc(h.lr(), h.friction(), h.eta(), h.weightDecay(), h.noiseStd(),
                h.seed() ^ CounterNormal.mix(slot), h.step()), p.param(), p.grad(), (SghmcState) st);
    }

    /** The corrected update of one pair (class comment), element by element in double precision. */
    private void corrected(StepHyper.Sghmc h, Params pair, StepState st, int slot) {
        NdArray w = pair.param();
        NdArray g = pair.grad();
        NdArray p;
        NdArray m1 = null;
        NdArray m2 = null;
        NdArray given = null;
        double rho = 0;
        double bias = 1;
        if (st instanceof CorrectedState cs) {
            p = cs.momentum();
            m1 = cs.gradMean();
            m2 = cs.gradSq();
            rho = ((RunningMoments) correction).decay();
            bias = 1 - Math.pow(rho, h.step());
        } else {
            p = ((SghmcState) st).momentum();
            given = ((Given) correction).variance().apply(pair);
            if (given == null || !given.isOpen() || !given.shape().equals(w.shape())) {
                throw new IllegalArgumentException("the given gradient variance for a parameter of shape " + w.shape()
                        + " must be an open array of that shape, got " + (given == null ? "null"
                        : (given.isOpen() ? given.shape() : "a closed array")));
            }
        }
        Group<Hyper> group = groupOf(pair);
        double temperature = group.hyper().temperature();
        double lr = h.lr();
        double eta = h.eta();
        double cap = lr > 0 ? 1 / lr : Double.POSITIVE_INFINITY;
        long key = CounterNormal.streamKey(h.seed() ^ CounterNormal.mix(slot), h.step());
        long hot = 0;
        for (long e = 0; e < w.numel(); e++) {
            double wi = w.getAtOffset(w.offset() + e);
            double gi = g.getAtOffset(g.offset() + e);
            double variance;
            if (m1 != null) {
                double a = rho * m1.getAtOffset(m1.offset() + e) + (1 - rho) * gi;
                double b = rho * m2.getAtOffset(m2.offset() + e) + (1 - rho) * gi * gi;
                m1.setAtOffset(m1.offset() + e, a);
                m2.setAtOffset(m2.offset() + e, b);
                double mean = a / bias;
                variance = Math.max(0, b / bias - mean * mean);
            } else {
                variance = given.getAtOffset(given.offset() + e);
                if (!(variance >= 0) || Double.isInfinite(variance)) {
                    throw new IllegalArgumentException("given gradient variance must be finite and >= 0, got " + variance
                            + " at element " + e);
                }
            }
            double bHat = 0.5 * lr * eta * variance;
            double friction = h.friction();
            if (temperature > 0 && bHat > friction * temperature) {
                friction = Math.max(friction, Math.min(bHat / temperature, cap));
                if (bHat > friction * temperature) {
                    hot++;
                }
            }
            double var = 2 * friction * lr * eta * temperature - 2 * lr * eta * bHat;
            double noiseStd = var > 0 ? Math.sqrt(var) : 0;
            double d = gi + h.weightDecay() * wi;
            double pi = p.getAtOffset(p.offset() + e);
            pi = pi - friction * lr * pi - lr * eta * d + noiseStd * CounterNormal.gaussian(key, e);
            p.setAtOffset(p.offset() + e, pi);
            w.setAtOffset(w.offset() + e, wi + lr * pi);
        }
        hotElements += hot;
    }

    private Group<Hyper> groupOf(Params pair) {
        for (Group<Hyper> g : groups()) {
            if (g.params().contains(pair)) {
                return g;
            }
        }
        throw new IllegalStateException("parameter pair not in any group");
    }
}
