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
     * @param lr          learning rate
     * @param momentum    momentum factor μ (0 for none)
     * @param dampening   dampening τ of the momentum buffer
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param nesterov    whether to use Nesterov momentum
     * @param maximize    whether to maximise the objective (the − of ±g)
     * @param firstStep   the momentum buffer is initialised to d (PyTorch's {@code buf = clone(d)})
     */
    record Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
               boolean maximize, boolean firstStep) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Sgd {
            finite("lr", lr, "momentum", momentum, "dampening", dampening, "weightDecay", weightDecay);
        }

        /**
         * Whether the step keeps a momentum buffer.
         *
         * @return true if momentum ≠ 0
         */
        public boolean hasMomentum() {
            return momentum != 0;
        }
    }

    /**
     * Polyak's heavy ball, classic form: v ← βv − lr·(g + wd·w); w ← w + v.
     *
     * @param lr          learning rate
     * @param beta        momentum β
     * @param weightDecay weight decay coefficient wd (0 for none)
     */
    record HeavyBall(double lr, double beta, double weightDecay) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public HeavyBall {
            finite("lr", lr, "beta", beta, "weightDecay", weightDecay);
        }
    }

    /**
     * Sutskever's Nesterov momentum in the look-ahead parametrisation: the stored parameter is the
     * look-ahead point θ = w + μ_k v, so the caller's gradient (taken at the stored parameter) is the
     * look-ahead gradient. v' = μ v − lr·(g + wd·θ); w' = w + v'; θ' = w' + μ_next v', i.e.
     * θ ← θ − μ v + (1 + μ_next) v'.
     *
     * @param lr          learning rate
     * @param mu          μ_k, this step's momentum
     * @param muNext      μ_{k+1}, the next step's momentum
     * @param weightDecay weight decay coefficient wd (0 for none)
     */
    record Nesterov(double lr, double mu, double muNext, double weightDecay) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Nesterov {
            finite("lr", lr, "mu", mu, "muNext", muNext, "weightDecay", weightDecay);
        }
    }

    /**
     * NAG in the position-difference form (also ARNAG, SRNAG/SRSGD): y = w − lr·(g + wd·w);
     * w ← y + μ (y − y_prev); y_prev ← y.
     *
     * @param lr          learning rate
     * @param mu          momentum μ of this step
     * @param weightDecay weight decay coefficient wd (0 for none)
     */
    record Nag(double lr, double mu, double weightDecay) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Nag {
            finite("lr", lr, "mu", mu, "weightDecay", weightDecay);
        }
    }

    /**
     * AggMo: v_i ← β_i v_i + (g + wd·w) for each of K velocities; w ← w − (lr/K) Σ v_i.
     *
     * @param lr          learning rate
     * @param betas       the K velocity decays β_i; not empty (copied)
     * @param weightDecay weight decay coefficient wd (0 for none)
     */
    record AggMo(double lr, double[] betas, double weightDecay) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite or betas is empty
         */
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

        /**
         * The velocity decays β_1, …, β_K.
         *
         * @return a copy of the decays, one per velocity buffer
         */
        @Override
        public double[] betas() {
            return betas.clone();
        }
    }

    /**
     * PyTorch Adagrad with the decayed rate already applied: d = ±g + wd·w; s ← s + d²;
     * w ← w − clr·d/(√s + eps), clr = lr/(1 + (k−1)·lrDecay).
     *
     * @param clr         this step's decayed learning rate
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param eps         term added to the denominator for stability
     * @param maximize    whether to maximise the objective (the − of ±g)
     */
    record AdaGrad(double clr, double weightDecay, double eps, boolean maximize) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public AdaGrad {
            finite("clr", clr, "weightDecay", weightDecay, "eps", eps);
        }
    }

    /**
     * PyTorch RMSprop: d = ±g + wd·w; a ← αa + (1−α)d²; centered: ḡ ← αḡ + (1−α)d, D = √(a − ḡ²) + eps,
     * else D = √a + eps; with momentum b ← μb + d/D, w ← w − lr·b; else w ← w − lr·d/D.
     *
     * @param lr          learning rate
     * @param alpha       smoothing constant α of the square average
     * @param eps         term added to the denominator for stability
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param momentum    momentum factor μ (0 for none)
     * @param centered    whether to normalise by the centred estimate (keeps ḡ)
     * @param maximize    whether to maximise the objective (the − of ±g)
     */
    record RmsProp(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
                   boolean maximize) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public RmsProp {
            finite("lr", lr, "alpha", alpha, "eps", eps, "weightDecay", weightDecay, "momentum", momentum);
        }
    }

    /**
     * PyTorch Adam / AdamW (single-tensor semantics) with the bias corrections hoisted:
     * d = ±g (+ wd·w for L2 Adam); w ← (1 − lr·wd)·w for AdamW; m ← β1 m + (1−β1) d;
     * v ← β2 v + (1−β2) d²; AMSGrad: v_max ← max(v_max, v), used in place of v;
     * w ← w − stepSize · m / (√v · invBc2Sqrt + eps), stepSize = lr/(1−β1^k), invBc2Sqrt = 1/√(1−β2^k).
     *
     * @param lr          learning rate
     * @param beta1       first-moment decay β1
     * @param beta2       second-moment decay β2
     * @param eps         term added to the denominator for stability
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param decoupled   whether weight decay is decoupled (w ← (1 − lr·wd)·w) rather than L2 added to d
     * @param amsgrad     whether to use AMSGrad's running maximum v_max
     * @param maximize    whether to maximise the objective (the − of ±g)
     * @param stepSize    lr/(1 − β1^k), this step's bias-corrected learning rate
     * @param invBc2Sqrt  1/√(1 − β2^k), this step's second-moment bias correction
     */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                boolean amsgrad, boolean maximize, double stepSize, double invBc2Sqrt) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Adam {
            finite("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weightDecay", weightDecay,
                    "stepSize", stepSize, "invBc2Sqrt", invBc2Sqrt);
        }

        /**
         * The scalars of step {@code k} (1-based), bias corrections computed in double once.
         *
         * @param lr          learning rate
         * @param beta1       first-moment decay β1
         * @param beta2       second-moment decay β2
         * @param eps         term added to the denominator for stability
         * @param weightDecay weight decay coefficient wd (0 for none)
         * @param decoupled   whether weight decay is decoupled (w ← (1 − lr·wd)·w) rather than L2 added to d
         * @param amsgrad     whether to use AMSGrad's running maximum v_max
         * @param maximize    whether to maximise the objective (the − of ±g)
         * @param k           step number, 1-based; &gt;= 1
         * @return the scalars of step k
         * @throws IllegalArgumentException if k &lt; 1 or a resulting scalar is NaN or infinite
         */
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
     *
     * @param etaMinus step-size factor η− on a sign change
     * @param etaPlus  step-size factor η+ when the sign is kept
     * @param stepMin  lower bound on each element's step size
     * @param stepMax  upper bound on each element's step size
     * @param maximize whether to maximise the objective (the − of ±g)
     */
    record Rprop(double etaMinus, double etaPlus, double stepMin, double stepMax, boolean maximize)
            implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Rprop {
            finite("etaMinus", etaMinus, "etaPlus", etaPlus, "stepMin", stepMin, "stepMax", stepMax);
        }
    }

    /**
     * Stochastic gradient Langevin dynamics: w ← w − lr·(g + wd·w) + noiseStd·ξ_i, ξ_i =
     * {@link CounterNormal#gaussian}(seed, step, i) with i the element index (noiseStd = √(2·lr·T)).
     *
     * @param lr          learning rate
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param noiseStd    standard deviation of the injected noise
     * @param seed        seed of the counter-based noise
     * @param step        step counter of the noise (a fresh draw per step)
     */
    record Sgld(double lr, double weightDecay, double noiseStd, long seed, long step) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Sgld {
            finite("lr", lr, "weightDecay", weightDecay, "noiseStd", noiseStd);
        }
    }

    /**
     * Stochastic gradient HMC (underdamped Langevin, Chen et al. 2014, in the lecture's form):
     * p ← p − γ·lr·p − lr·η·(g + wd·w) + noiseStd·ξ_i; w ← w + lr·p (noiseStd = √(2γ·lr·η·T)).
     *
     * @param lr          learning rate
     * @param friction    friction γ
     * @param eta         gradient scale η
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param noiseStd    standard deviation of the injected noise
     * @param seed        seed of the counter-based noise
     * @param step        step counter of the noise (a fresh draw per step)
     */
    record Sghmc(double lr, double friction, double eta, double weightDecay, double noiseStd, long seed, long step)
            implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Sghmc {
            finite("lr", lr, "friction", friction, "eta", eta, "weightDecay", weightDecay, "noiseStd", noiseStd);
        }
    }

    /**
     * PyTorch {@code torch.optim.NAdam} (Dozat 2016, with PyTorch 2.x's momentum-decay schedule):
     * d = ±g (+ wd·w, L2) or w ← (1 − lr·wd)·w (decoupled); m ← β1 m + (1−β1) d; v ← β2 v + (1−β2) d²;
     * D = √v · invBc2Sqrt + eps; w ← w − gradCoef·d/D − avgCoef·m/D with μ_k = β1 (1 − ½·0.96^(k·ψ)),
     * Π_k = μ_1⋯μ_k, gradCoef = lr (1 − μ_k)/(1 − Π_k), avgCoef = lr μ_{k+1}/(1 − Π_k μ_{k+1}),
     * invBc2Sqrt = 1/√(1 − β2^k) (ψ the momentum decay).
     *
     * @param lr          learning rate
     * @param beta1       first-moment decay β1
     * @param beta2       second-moment decay β2
     * @param eps         term added to the denominator for stability
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param decoupled   whether weight decay is decoupled (w ← (1 − lr·wd)·w) rather than L2 added to d
     * @param maximize    whether to maximise the objective (the − of ±g)
     * @param invBc2Sqrt  1/√(1 − β2^k), this step's second-moment bias correction
     * @param gradCoef    this step's coefficient of d/D, as defined above
     * @param avgCoef     this step's coefficient of m/D, as defined above
     * @param muProduct   Π_k, the product after this step (the next step's {@link #forStep} input)
     */
    record NAdam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                 boolean maximize, double invBc2Sqrt, double gradCoef, double avgCoef, double muProduct)
            implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public NAdam {
            finite("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weightDecay", weightDecay,
                    "invBc2Sqrt", invBc2Sqrt, "gradCoef", gradCoef, "avgCoef", avgCoef, "muProduct", muProduct);
        }

        /**
         * μ_k = β1 (1 − ½·0.96^(k·ψ)), PyTorch's momentum schedule.
         *
         * @param beta1         first-moment decay β1
         * @param momentumDecay momentum decay ψ
         * @param k             step number, 1-based; &gt;= 1
         * @return μ_k
         */
        public static double mu(double beta1, double momentumDecay, long k) {
            return beta1 * (1.0 - 0.5 * Math.pow(0.96, k * momentumDecay));
        }

        /**
         * The scalars of step {@code k} (1-based) given Π_{k−1} = μ_1⋯μ_{k−1} ({@code muProductBefore}, 1 at
         * k = 1), all in double.
         *
         * @param lr              learning rate
         * @param beta1           first-moment decay β1
         * @param beta2           second-moment decay β2
         * @param eps             term added to the denominator for stability
         * @param weightDecay     weight decay coefficient wd (0 for none)
         * @param decoupled       whether weight decay is decoupled (w ← (1 − lr·wd)·w) rather than L2 added to d
         * @param maximize        whether to maximise the objective (the − of ±g)
         * @param momentumDecay   momentum decay ψ
         * @param k               step number, 1-based; &gt;= 1
         * @param muProductBefore Π_{k−1}, the previous step's {@code muProduct()}; 1 at k = 1
         * @return the scalars of step k
         * @throws IllegalArgumentException if k &lt; 1 or a resulting scalar is NaN or infinite
         */
        public static NAdam forStep(double lr, double beta1, double beta2, double eps, double weightDecay,
                                    boolean decoupled, boolean maximize, double momentumDecay, long k,
                                    double muProductBefore) {
            requireStep(k);
            double mu = mu(beta1, momentumDecay, k);
            double muNext = mu(beta1, momentumDecay, k + 1);
            double prod = muProductBefore * mu;
            double bc2 = 1 - Math.pow(beta2, k);
            return new NAdam(lr, beta1, beta2, eps, weightDecay, decoupled, maximize, 1 / Math.sqrt(bc2),
                    lr * (1 - mu) / (1 - prod), lr * muNext / (1 - prod * muNext), prod);
        }
    }

    /**
     * PyTorch {@code torch.optim.RAdam} (Liu et al. 2020): d = ±g (+ wd·w, L2) or w ← (1 − lr·wd)·w
     * (decoupled); m ← β1 m + (1−β1) d; v ← β2 v + (1−β2) d²; ρ∞ = 2/(1−β2) − 1,
     * ρ_k = ρ∞ − 2kβ2^k/(1−β2^k). If ρ_k &gt; 5 (rectified): w ← w − stepSize·m/(√v + eps) with
     * stepSize = lr·r_k·√(1−β2^k)/(1−β1^k), r_k = √((ρ_k−4)(ρ_k−2)ρ∞/((ρ∞−4)(ρ∞−2)ρ_k)); otherwise
     * w ← w − stepSize·m with stepSize = lr/(1−β1^k) (SGD with momentum, bias corrected).
     *
     * @param lr          learning rate
     * @param beta1       first-moment decay β1
     * @param beta2       second-moment decay β2
     * @param eps         term added to the denominator for stability
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param decoupled   whether weight decay is decoupled (w ← (1 − lr·wd)·w) rather than L2 added to d
     * @param maximize    whether to maximise the objective (the − of ±g)
     * @param rectified   whether ρ_k &gt; {@link #RHO_THRESHOLD}, i.e. the adaptive step is taken
     * @param stepSize    this step's step size, as defined above
     */
    record RAdam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                 boolean maximize, boolean rectified, double stepSize) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public RAdam {
            finite("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weightDecay", weightDecay,
                    "stepSize", stepSize);
        }

        /** PyTorch's rectification threshold: the adaptive step is used only when ρ_k exceeds it. */
        public static final double RHO_THRESHOLD = 5.0;

        /**
         * The scalars of step {@code k} (1-based): ρ_k, the rectification and the step size, in double.
         *
         * @param lr          learning rate
         * @param beta1       first-moment decay β1
         * @param beta2       second-moment decay β2
         * @param eps         term added to the denominator for stability
         * @param weightDecay weight decay coefficient wd (0 for none)
         * @param decoupled   whether weight decay is decoupled (w ← (1 − lr·wd)·w) rather than L2 added to d
         * @param maximize    whether to maximise the objective (the − of ±g)
         * @param k           step number, 1-based; &gt;= 1
         * @return the scalars of step k
         * @throws IllegalArgumentException if k &lt; 1 or a resulting scalar is NaN or infinite
         */
        public static RAdam forStep(double lr, double beta1, double beta2, double eps, double weightDecay,
                                    boolean decoupled, boolean maximize, long k) {
            requireStep(k);
            double bc1 = 1 - Math.pow(beta1, k);
            double bc2 = 1 - Math.pow(beta2, k);
            double rhoInf = 2 / (1 - beta2) - 1;
            double rho = rhoInf - 2 * k * Math.pow(beta2, k) / bc2;
            if (rho > RHO_THRESHOLD) {
                double rect = Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                return new RAdam(lr, beta1, beta2, eps, weightDecay, decoupled, maximize, true,
                        lr * rect * Math.sqrt(bc2) / bc1);
            }
            return new RAdam(lr, beta1, beta2, eps, weightDecay, decoupled, maximize, false, lr / bc1);
        }
    }

    /**
     * PyTorch {@code torch.optim.Adamax} (Kingma and Ba 2015, §7.1): d = ±g + wd·w; m ← β1 m + (1−β1) d;
     * u ← max(β2 u, |d| + eps); w ← w − stepSize·m/u, stepSize = lr/(1 − β1^k). NaN in either argument
     * of the max gives NaN.
     *
     * @param lr          learning rate
     * @param beta1       first-moment decay β1
     * @param beta2       decay β2 of the infinity norm
     * @param eps         term added to the denominator for stability
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param maximize    whether to maximise the objective (the − of ±g)
     * @param stepSize    lr/(1 − β1^k), this step's bias-corrected learning rate
     */
    record Adamax(double lr, double beta1, double beta2, double eps, double weightDecay, boolean maximize,
                  double stepSize) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Adamax {
            finite("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weightDecay", weightDecay,
                    "stepSize", stepSize);
        }

        /**
         * The scalars of step {@code k} (1-based).
         *
         * @param lr          learning rate
         * @param beta1       first-moment decay β1
         * @param beta2       decay β2 of the infinity norm
         * @param eps         term added to the denominator for stability
         * @param weightDecay weight decay coefficient wd (0 for none)
         * @param maximize    whether to maximise the objective (the − of ±g)
         * @param k           step number, 1-based; &gt;= 1
         * @return the scalars of step k
         * @throws IllegalArgumentException if k &lt; 1 or a resulting scalar is NaN or infinite
         */
        public static Adamax forStep(double lr, double beta1, double beta2, double eps, double weightDecay,
                                     boolean maximize, long k) {
            requireStep(k);
            return new Adamax(lr, beta1, beta2, eps, weightDecay, maximize, lr / (1 - Math.pow(beta1, k)));
        }
    }

    /**
     * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2):
     * c = β1 m + (1−β1) g; w ← (1 − lr·wd)·w − lr·sign(c); m ← β2 m + (1−β2) g; sign(0) = 0, sign(NaN) = NaN.
     *
     * @param lr          learning rate
     * @param beta1       interpolation β1 of the update direction c
     * @param beta2       momentum decay β2
     * @param weightDecay weight decay coefficient wd (0 for none)
     */
    record Lion(double lr, double beta1, double beta2, double weightDecay) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Lion {
            finite("lr", lr, "beta1", beta1, "beta2", beta2, "weightDecay", weightDecay);
        }
    }

    /**
     * Quasi-hyperbolic momentum, QHM (Ma and Yarats 2019, eq. 4; facebookresearch/qhoptim):
     * d = g + wd·w; b ← β b + (1−β) d (b starts at 0); w ← w − lr·((1−ν) d + ν b).
     *
     * @param lr          learning rate
     * @param beta        decay β of the momentum buffer
     * @param nu          weight ν of the momentum buffer (1 − ν goes to d)
     * @param weightDecay weight decay coefficient wd (0 for none)
     */
    record Qhm(double lr, double beta, double nu, double weightDecay) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public Qhm {
            finite("lr", lr, "beta", beta, "nu", nu, "weightDecay", weightDecay);
        }
    }

    /**
     * QHAdam (Ma and Yarats 2019, Algorithm 1 with qhoptim's bias correction folded into the averages):
     * d = g (+ wd·w, L2) or w ← (1 − lr·wd)·w (decoupled); m ← β1' m + (1−β1') d; v ← β2' v + (1−β2') d²;
     * w ← w − lr·((1−ν1) d + ν1 m)/(√((1−ν2) d² + ν2 v) + eps), with β' = 1 − 1/W_k and
     * W_k = 1 + β W_{k−1} = Σ_{i&lt;k} β^i (so m and v are the bias-corrected averages).
     *
     * @param lr          learning rate
     * @param beta1Adj    this step's adjusted first-moment decay β1'
     * @param beta2Adj    this step's adjusted second-moment decay β2'
     * @param nu1         weight ν1 of m (1 − ν1 goes to d)
     * @param nu2         weight ν2 of v (1 − ν2 goes to d²)
     * @param eps         term added to the denominator for stability
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param decoupled   whether weight decay is decoupled (w ← (1 − lr·wd)·w) rather than L2 added to d
     */
    record QhAdam(double lr, double beta1Adj, double beta2Adj, double nu1, double nu2, double eps,
                  double weightDecay, boolean decoupled) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public QhAdam {
            finite("lr", lr, "beta1Adj", beta1Adj, "beta2Adj", beta2Adj, "nu1", nu1, "nu2", nu2, "eps", eps,
                    "weightDecay", weightDecay);
        }

        /**
         * β' = 1 − 1/W_k at step {@code k}, W_k = Σ_{i&lt;k} β^i (= k for β = 1).
         *
         * @param beta the raw decay β (β = 1 allowed)
         * @param k    step number, 1-based; &gt;= 1
         * @return β' of step k; 0 at k = 1
         * @throws IllegalArgumentException if k &lt; 1
         */
        public static double adjusted(double beta, long k) {
            requireStep(k);
            double weight = beta == 1 ? k : (1 - Math.pow(beta, k)) / (1 - beta);
            return 1 - 1 / weight;
        }

        /**
         * The scalars of step {@code k} (1-based).
         *
         * @param lr          learning rate
         * @param beta1       raw first-moment decay β1
         * @param beta2       raw second-moment decay β2
         * @param nu1         weight ν1 of m (1 − ν1 goes to d)
         * @param nu2         weight ν2 of v (1 − ν2 goes to d²)
         * @param eps         term added to the denominator for stability
         * @param weightDecay weight decay coefficient wd (0 for none)
         * @param decoupled   whether weight decay is decoupled (w ← (1 − lr·wd)·w) rather than L2 added to d
         * @param k           step number, 1-based; &gt;= 1
         * @return the scalars of step k
         * @throws IllegalArgumentException if k &lt; 1 or a resulting scalar is NaN or infinite
         */
        public static QhAdam forStep(double lr, double beta1, double beta2, double nu1, double nu2, double eps,
                                     double weightDecay, boolean decoupled, long k) {
            return new QhAdam(lr, adjusted(beta1, k), adjusted(beta2, k), nu1, nu2, eps, weightDecay, decoupled);
        }
    }

    /**
     * AdEMAMix (Pagliardini, Ablin, Grangier 2024, Algorithm 1; reference code apple/ml-ademamix):
     * m1 ← β1 m1 + (1−β1) g; m2 ← β3 m2 + (1−β3) g; v ← β2 v + (1−β2) g²;
     * w ← w − lr·((m1·invBc1 + α m2)/(√v·invBc2Sqrt + eps) + wd·w), invBc1 = 1/(1−β1^k),
     * invBc2Sqrt = 1/√(1−β2^k); α and β3 are this step's values of their warm-up schedules.
     *
     * @param lr          learning rate
     * @param beta1       first-moment decay β1
     * @param beta2       second-moment decay β2
     * @param beta3       this step's slow-EMA decay β3
     * @param alpha       this step's weight α of the slow EMA m2
     * @param eps         term added to the denominator for stability
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param invBc1      1/(1 − β1^k), this step's first-moment bias correction
     * @param invBc2Sqrt  1/√(1 − β2^k), this step's second-moment bias correction
     */
    record AdEMAMix(double lr, double beta1, double beta2, double beta3, double alpha, double eps, double weightDecay,
                    double invBc1, double invBc2Sqrt) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public AdEMAMix {
            finite("lr", lr, "beta1", beta1, "beta2", beta2, "beta3", beta3, "alpha", alpha, "eps", eps,
                    "weightDecay", weightDecay, "invBc1", invBc1, "invBc2Sqrt", invBc2Sqrt);
        }

        /**
         * The scalars of step {@code k} (1-based) with this step's α and β3.
         *
         * @param lr          learning rate
         * @param beta1       first-moment decay β1
         * @param beta2       second-moment decay β2
         * @param beta3       this step's slow-EMA decay β3
         * @param alpha       this step's weight α of the slow EMA m2
         * @param eps         term added to the denominator for stability
         * @param weightDecay weight decay coefficient wd (0 for none)
         * @param k           step number, 1-based; &gt;= 1
         * @return the scalars of step k
         * @throws IllegalArgumentException if k &lt; 1 or a resulting scalar is NaN or infinite
         */
        public static AdEMAMix forStep(double lr, double beta1, double beta2, double beta3, double alpha, double eps,
                                       double weightDecay, long k) {
            requireStep(k);
            return new AdEMAMix(lr, beta1, beta2, beta3, alpha, eps, weightDecay, 1 / (1 - Math.pow(beta1, k)),
                    1 / Math.sqrt(1 - Math.pow(beta2, k)));
        }
    }

    /**
     * Schedule-free SGD (Defazio et al. 2024, "The Road Less Scheduled", Algorithm 1; reference code
     * facebookresearch/schedule_free {@code SGDScheduleFree}), stored parameter y (the gradient point),
     * z the SGD sequence (starts at w): d = g + wd·y; y ← y + c·(z − y) + lr·(β(1−c) − 1)·d; z ← z − lr·d,
     * c = c_{k+1} the averaging weight of this step.
     *
     * @param lr          learning rate
     * @param momentum    interpolation β that places y between z and the average
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param ckp1        c_{k+1}, this step's averaging weight
     */
    record ScheduleFreeSgd(double lr, double momentum, double weightDecay, double ckp1) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public ScheduleFreeSgd {
            finite("lr", lr, "momentum", momentum, "weightDecay", weightDecay, "ckp1", ckp1);
        }
    }

    /**
     * Schedule-free AdamW (Defazio et al. 2024, Algorithm 1 with Adam's second moment; reference code
     * {@code AdamWScheduleFree}): v ← β2 v + (1−β2) g²; u = g/(√v·invBc2Sqrt + eps) + wd·y;
     * y ← y + c·(z − y) + lr·(β1(1−c) − 1)·u; z ← z − lr·u.
     *
     * @param lr          learning rate
     * @param beta1       interpolation β1 that places y between z and the average
     * @param beta2       second-moment decay β2
     * @param eps         term added to the denominator for stability
     * @param weightDecay weight decay coefficient wd (0 for none)
     * @param ckp1        c_{k+1}, this step's averaging weight
     * @param invBc2Sqrt  1/√(1 − β2^k), this step's second-moment bias correction
     */
    record ScheduleFreeAdamW(double lr, double beta1, double beta2, double eps, double weightDecay, double ckp1,
                             double invBc2Sqrt) implements StepHyper {
        /**
         * Checks the scalars.
         *
         * @throws IllegalArgumentException if a double component is NaN or infinite
         */
        public ScheduleFreeAdamW {
            finite("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weightDecay", weightDecay, "ckp1", ckp1,
                    "invBc2Sqrt", invBc2Sqrt);
        }
    }

    private static void requireStep(long k) {
        if (k < 1) {
            throw new IllegalArgumentException("step must be >= 1, got " + k);
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
