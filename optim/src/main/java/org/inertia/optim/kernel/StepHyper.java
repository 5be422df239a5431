package org.inertia.optim.kernel;

import org.inertia.kernels.CounterNormal;

/**
 * The per-step scalars of the fused optimizer step kernels ({@link OptimizerSteps}). Each record holds
 * exactly what one step needs, with per-step constants (bias corrections,
 * schedule values, decayed learning rates) already computed, so the kernels only read plain scalars
 * inside their loop. Validation of user-facing hyperparameters happens in the optimizer module;
 * these records only reject values that would make a kernel meaningless (NaN scalars). The composable
 * momentum path ({@code org.inertia.optim.momentum.Momentum}) has its own record.
 */
public interface StepHyper {

    /**
     * PyTorch {@code torch.optim.SGD}: d = ±g + wd·w; with momentum b = first ? d : μb + (1−τ)d and
     * d = nesterov ? d + μb : b; w ← w − lr·d.
     *
     * @param firstStep the momentum buffer is initialised to d (PyTorch's {@code buf = clone(d)})
     */
    record Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
               boolean maximize, boolean firstStep) implements StepHyper {
        public Sgd {
            finite("lr", lr, "momentum", momentum, "dampening", dampening, "weightDecay", weightDecay);
        }

        /** Whether the step keeps a momentum buffer. */
        public boolean hasMomentum() {
            return momentum != 0;
        }
    }

    /** Polyak's heavy ball, classic form: v ← βv − lr·(g + wd·w); w ← w + v. */
    record HeavyBall(double lr, double beta, double weightDecay) implements StepHyper {
        public HeavyBall {
            finite("lr", lr, "beta", beta, "weightDecay", weightDecay);
        }
    }

    /**
     * Sutskever's Nesterov momentum in the look-ahead parametrisation: the stored parameter is the
     * look-ahead point θ = w + μ_k v, so the caller's gradient (taken at the stored parameter) is the
     * look-ahead gradient. v' = μ v − lr·(g + wd·θ); w' = w + v'; θ' = w' + μ_next v', i.e.
     * θ ← θ − μ v + (1 + μ_next) v'.
     */
    record Nesterov(double lr, double mu, double muNext, double weightDecay) implements StepHyper {
        public Nesterov {
            finite("lr", lr, "mu", mu, "muNext", muNext, "weightDecay", weightDecay);
        }
    }

    /**
     * NAG in the position-difference form (also ARNAG, SRNAG/SRSGD): y = w − lr·(g + wd·w);
     * w ← y + μ (y − y_prev); y_prev ← y.
     */
    record Nag(double lr, double mu, double weightDecay) implements StepHyper {
        public Nag {
            finite("lr", lr, "mu", mu, "weightDecay", weightDecay);
        }
    }

    /** AggMo: v_i ← β_i v_i + (g + wd·w) for each of K velocities; w ← w − (lr/K) Σ v_i. */
    record AggMo(double lr, double[] betas, double weightDecay) implements StepHyper {
        public AggMo {
            finite("lr", lr, "weightDecay", weightDecay);
            betas = betas.clone();
            for (double b : betas) {
                finite("beta", b);
            }
            if (betas.length == 0) {
                throw new IllegalArgumentException("betas must not be empty");
            }
        }

        @Override
        public double[] betas() {
            return betas.clone();
        }
    }

    /**
     * PyTorch Adagrad with the decayed rate already applied: d = ±g + wd·w; s ← s + d²;
     * w ← w − clr·d/(√s + eps), clr = lr/(1 + (k−1)·lrDecay).
     */
    record AdaGrad(double clr, double weightDecay, double eps, boolean maximize) implements StepHyper {
        public AdaGrad {
            finite("clr", clr, "weightDecay", weightDecay, "eps", eps);
        }
    }

    /**
     * PyTorch RMSprop: d = ±g + wd·w; a ← αa + (1−α)d²; centered: ḡ ← αḡ + (1−α)d, D = √(a − ḡ²) + eps,
     * else D = √a + eps; with momentum b ← μb + d/D, w ← w − lr·b; else w ← w − lr·d/D.
     */
    record RmsProp(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
                   boolean maximize) implements StepHyper {
        public RmsProp {
            finite("lr", lr, "alpha", alpha, "eps", eps, "weightDecay", weightDecay, "momentum", momentum);
        }
    }

    /**
     * PyTorch Adam / AdamW (single-tensor semantics) with the bias corrections hoisted:
     * d = ±g (+ wd·w for L2 Adam); w ← (1 − lr·wd)·w for AdamW; m ← β1 m + (1−β1) d;
     * v ← β2 v + (1−β2) d²; AMSGrad: v_max ← max(v_max, v), used in place of v;
     * w ← w − stepSize · m / (√v · invBc2Sqrt + eps), stepSize = lr/(1−β1^k), invBc2Sqrt = 1/√(1−β2^k).
     */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                boolean amsgrad, boolean maximize, double stepSize, double invBc2Sqrt) implements StepHyper {
        public Adam {
            finite("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weightDecay", weightDecay,
                    "stepSize", stepSize, "invBc2Sqrt", invBc2Sqrt);
        }

        /** The scalars of step {@code k} (1-based), bias corrections computed in double once. */
        public static Adam forStep(double lr, double beta1, double beta2, double eps, double weightDecay,
                                   boolean decoupled, boolean amsgrad, boolean maximize, long k) {
            if (k < 1) {
                throw new IllegalArgumentException("step must be >= 1, got " + k);
            }
            double bc1 = 1 - Math.pow(beta1, k);
            double bc2 = 1 - Math.pow(beta2, k);
            return new Adam(lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, lr / bc1,
                    1 / Math.sqrt(bc2));
        }
    }

    /**
     * PyTorch Rprop: p = ±g·prev; f = η+ if p &gt; 0, η− if p &lt; 0, 1 if p = 0 (NaN if p is NaN);
     * step ← clamp(step·f, stepMin, stepMax); d = (p &lt; 0) ? 0 : ±g; w ← w − sign(d)·step; prev ← d.
     */
    record Rprop(double etaMinus, double etaPlus, double stepMin, double stepMax, boolean maximize)
            implements StepHyper {
        public Rprop {
            finite("etaMinus", etaMinus, "etaPlus", etaPlus, "stepMin", stepMin, "stepMax", stepMax);
        }
    }

    /**
     * Stochastic gradient Langevin dynamics: w ← w − lr·(g + wd·w) + noiseStd·ξ_i, ξ_i =
     * {@link CounterNormal#gaussian}(seed, step, i) with i the element index (noiseStd = √(2·lr·T)).
     */
    record Sgld(double lr, double weightDecay, double noiseStd, long seed, long step) implements StepHyper {
        public Sgld {
            finite("lr", lr, "weightDecay", weightDecay, "noiseStd", noiseStd);
        }
    }

    /**
     * Stochastic gradient HMC (underdamped Langevin, Chen et al. 2014, in the lecture's form):
     * p ← p − γ·lr·p − lr·η·(g + wd·w) + noiseStd·ξ_i; w ← w + lr·p (noiseStd = √(2γ·lr·η·T)).
     */
    record Sghmc(double lr, double friction, double eta, double weightDecay, double noiseStd, long seed, long step)
            implements StepHyper {
        public Sghmc {
            finite("lr", lr, "friction", friction, "eta", eta, "weightDecay", weightDecay, "noiseStd", noiseStd);
        }
    }

    private static void finite(Object... nameValue) {
        for (int i = 0; i < nameValue.length; i += 2) {
            double v = (Double) nameValue[i + 1];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(nameValue[i] + " must be finite, got " + v);
            }
        }
    }
}
