package org.inertia.optim;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.AdamState;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.SgdState;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Muon, MomentUm Orthogonalized by Newton-schulz (Jordan et al. 2024, github.com/KellerJordan/Muon), with
 * PyTorch 2.13's semantics ({@code torch.optim.Muon}) for every matrix (rank-2) parameter W (m×n):
 * <pre>
 *   b ← μ b + (1−μ) g                              (b starts at 0; PyTorch's buf.lerp_(g, 1−μ))
 *   U = nesterov ? (1−μ) g + μ b : b
 *   X₀ = U/max(‖U‖_F, eps), transposed to r×c with r ≤ c
 *   X_{j+1} = a X_j + (b_ns A + c_ns A²) X_j,  A = X_j X_jᵀ     (nsSteps times, default 5)
 *   W ← (1 − lr·wd)·W − lr'·O,  O = X_nsSteps in W's orientation
 * </pre>
 * with the Newton-Schulz coefficients (a, b_ns, c_ns) = (3.4445, −4.7750, 2.0315) and PyTorch's learning
 * rate adjustment lr' = lr·√max(1, m/n) ({@link LrAdjustment#ORIGINAL}, Keller Jordan's) or
 * lr' = 0.2·lr·√max(m, n) ({@link LrAdjustment#MATCH_RMS_ADAMW}, Moonshot's "Muon is Scalable for LLM
 * Training"). The momentum step is one fused element-wise kernel (the QHM kernel with ν = μ or 1, which
 * computes b and U in one pass); the five iterations are three GEMMs each through the backend's
 * {@code gemm()} in the parameter's dtype. For a tall W (m &gt; n) they run in W's own orientation,
 * A = XᵀX, Y = a X + X B, which is the transpose of the r×c iteration because B = b_ns A + c_ns A² is
 * symmetric (bit for bit: A's (i, j) and (j, i) entries are the same products summed in the same order),
 * so every operand and output is contiguous and no product writes a strided C. PyTorch runs the
 * iteration in bfloat16; Inertia in float32 (or float64), so the two agree to bfloat16 precision only.
 *
 * <p>Every other parameter (biases, norms' scales: rank ≠ 2) is updated by AdamW inside the same
 * optimizer, with its own hyperparameters ({@code adamw…}, Keller Jordan's defaults lr 3e-4,
 * β (0.9, 0.95), eps 1e-10, no weight decay; a learning-rate schedule scales it by the same factor as
 * Muon's lr) and PyTorch's AdamW state ({@code exp_avg}, {@code exp_avg_sq}); matrices keep
 * {@code momentum_buffer}. Put embeddings and the output layer, which Muon's authors optimize with Adam,
 * in a separate {@link AdamW}. Defaults: lr 1e-3, weight decay 0.1, momentum 0.95, Nesterov, 5 steps,
 * eps 1e-7.
 */
public final class Muon extends Optimizer<Muon.Hyper> {
    /** Keller Jordan's quintic coefficients, PyTorch's defaults. */
    public static final double NS_A = 3.4445;
    /** Second coefficient. */
    public static final double NS_B = -4.7750;
    /** Third coefficient. */
    public static final double NS_C = 2.0315;

    /** PyTorch's {@code adjust_lr_fn}. */
    public enum LrAdjustment {
        /** lr·√max(1, rows/cols) (PyTorch's default, "original"). */
        ORIGINAL,
        /** 0.2·lr·√max(rows, cols) ("match_rms_adamw"). */
        MATCH_RMS_ADAMW,
        /** lr unchanged. */
        NONE
    }

    /**
     * Validated hyperparameters.
     *
     * @param lr               Muon's learning rate (≥ 0)
     * @param weightDecay      decoupled weight decay of the matrices (≥ 0)
     * @param momentum         μ in [0, 1)
     * @param nesterov         use (1−μ) g + μ b instead of b
     * @param nsSteps          Newton-Schulz iterations, 1 to 99
     * @param nsA              first coefficient (finite)
     * @param nsB              second coefficient (finite)
     * @param nsC              third coefficient (finite)
     * @param eps              floor of the Frobenius norm (&gt; 0)
     * @param adjustLr         the learning-rate adjustment
     * @param adamwLr          AdamW's learning rate for non-matrix parameters (≥ 0)
     * @param adamwBeta1       AdamW's β1 in [0, 1)
     * @param adamwBeta2       AdamW's β2 in [0, 1)
     * @param adamwEps         AdamW's eps (&gt; 0)
     * @param adamwWeightDecay AdamW's weight decay (≥ 0)
     */
    public record Hyper(double lr, double weightDecay, double momentum, boolean nesterov, int nsSteps, double nsA,
                        double nsB, double nsC, double eps, LrAdjustment adjustLr, double adamwLr, double adamwBeta1,
                        double adamwBeta2, double adamwEps, double adamwWeightDecay) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("weightDecay", weightDecay);
            Checks.unit("momentum", momentum);
            if (nsSteps < 1 || nsSteps >= 100) {
                throw new IllegalArgumentException("nsSteps must be in [1, 99], got " + nsSteps);
            }
            Checks.finite("nsA", nsA);
            Checks.finite("nsB", nsB);
            Checks.finite("nsC", nsC);
            Checks.positive("eps", eps);
            Objects.requireNonNull(adjustLr, "adjustLr");
            Checks.nonNegative("adamwLr", adamwLr);
            Checks.unit("adamwBeta1", adamwBeta1);
            Checks.unit("adamwBeta2", adamwBeta2);
            Checks.positive("adamwEps", adamwEps);
            Checks.nonNegative("adamwWeightDecay", adamwWeightDecay);
        }
    }

    /**
     * A builder with PyTorch's Muon defaults and Keller Jordan's AdamW defaults.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder();
    }

    /**
     * Defaults lr 1e-3, weight decay 0.1, momentum 0.95, Nesterov, 5 steps of (3.4445, −4.7750, 2.0315),
     * eps 1e-7, {@link LrAdjustment#ORIGINAL}; AdamW lr 3e-4, β (0.9, 0.95), eps 1e-10, weight decay 0.
     */
    public static final class Builder {
        private double lr = 1e-3;
        private double weightDecay = 0.1;
        private double momentum = 0.95;
        private boolean nesterov = true;
        private int nsSteps = 5;
        private double nsA = NS_A;
        private double nsB = NS_B;
        private double nsC = NS_C;
        private double eps = 1e-7;
        private LrAdjustment adjustLr = LrAdjustment.ORIGINAL;
        private double adamwLr = 3e-4;
        private double adamwBeta1 = 0.9;
        private double adamwBeta2 = 0.95;
        private double adamwEps = 1e-10;
        private double adamwWeightDecay;

        Builder() {
        }

        /**
         * Muon's learning rate.
         *
         * @param v Muon's learning rate (≥ 0)
         * @return this builder
         */
        public Builder lr(double v) { lr = v; return this; }
        /**
         * Decoupled weight decay of the matrices.
         *
         * @param v decoupled weight decay of the matrices (≥ 0)
         * @return this builder
         */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /**
         * μ.
         *
         * @param v μ in [0, 1)
         * @return this builder
         */
        public Builder momentum(double v) { momentum = v; return this; }
        /**
         * Nesterov momentum.
         *
         * @param v use (1−μ) g + μ b instead of b
         * @return this builder
         */
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        /**
         * Newton-Schulz iterations.
         *
         * @param v Newton-Schulz iterations, 1 to 99
         * @return this builder
         */
        public Builder nsSteps(int v) { nsSteps = v; return this; }
        /**
         * Newton-Schulz coefficients (a, b, c).
         *
         * @param a first coefficient (finite)
         * @param b second coefficient (finite)
         * @param c third coefficient (finite)
         * @return this builder
         */
        public Builder nsCoefficients(double a, double b, double c) { nsA = a; nsB = b; nsC = c; return this; }
        /**
         * Floor of the Frobenius norm.
         *
         * @param v floor of the Frobenius norm (&gt; 0)
         * @return this builder
         */
        public Builder eps(double v) { eps = v; return this; }
        /**
         * The learning-rate adjustment.
         *
         * @param v the learning-rate adjustment
         * @return this builder
         */
        public Builder adjustLr(LrAdjustment v) { adjustLr = v; return this; }
        /**
         * AdamW's learning rate (non-matrix parameters).
         *
         * @param v AdamW's learning rate for non-matrix parameters (≥ 0)
         * @return this builder
         */
        public Builder adamwLr(double v) { adamwLr = v; return this; }
        /**
         * AdamW's (β1, β2).
         *
         * @param b1 AdamW's β1 in [0, 1)
         * @param b2 AdamW's β2 in [0, 1)
         * @return this builder
         */
        public Builder adamwBetas(double b1, double b2) { adamwBeta1 = b1; adamwBeta2 = b2; return this; }
        /**
         * AdamW's eps.
         *
         * @param v AdamW's eps (&gt; 0)
         * @return this builder
         */
        public Builder adamwEps(double v) { adamwEps = v; return this; }
        /**
         * AdamW's weight decay.
         *
         * @param v AdamW's weight decay (≥ 0)
         * @return this builder
         */
        public Builder adamwWeightDecay(double v) { adamwWeightDecay = v; return this; }

        /**
         * The validated record.
         *
         * @return the hyperparameters set so far
         * @throws IllegalArgumentException if a value is out of range (see {@link Hyper})
         */
        public Hyper build() {
            return new Hyper(lr, weightDecay, momentum, nesterov, nsSteps, nsA, nsB, nsC, eps, adjustLr, adamwLr,
                    adamwBeta1, adamwBeta2, adamwEps, adamwWeightDecay);
        }
    }

    /** One step's scalars: Muon's (schedule applied) and the AdamW fallback's. */
    private record Step(double lr, Hyper h, StepHyper.Qhm momentum, StepHyper.Adam adamw) implements StepHyper {
    }

    /** Per matrix: the update U / iterate X (two, ping-pong) and the r×r Gram matrices A and B. */
    private final Map<Params, NdArray[]> scratch = new IdentityHashMap<>();

    /** Muon on the default backend. */
    public Muon() {
        this(null);
    }

    /**
     * Muon on {@code backend}; its {@code gemm()} runs the Newton-Schulz iteration.
     *
     * @param backend the compute backend; null for the default
     */
    public Muon(Backend backend) {
        super("muon", backend);
    }

    @Override
    protected StateLayout<?> stateLayout(Group<Hyper> g) {
        return SgdState.layout(true);
    }

    @Override
    protected StateLayout<?> stateLayout(Group<Hyper> g, int i) {
        return g.params().get(i).param().rank() == 2 ? SgdState.layout(true) : AdamState.layout(false);
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        double lr = g.lr(k);
        double adamLr = h.lr() > 0 ? h.adamwLr() * lr / h.lr() : h.adamwLr();
        // the QHM kernel on a zeroed output with lr = −1: b ← μb + (1−μ)g, out = (1−ν)g + νb
        StepHyper.Qhm mom = new StepHyper.Qhm(-1, h.momentum(), h.nesterov() ? h.momentum() : 1, 0);
        StepHyper.Adam adam = StepHyper.Adam.forStep(adamLr, h.adamwBeta1(), h.adamwBeta2(), h.adamwEps(),
                h.adamwWeightDecay(), true, false, false, g.steps() + 1);
        return new Step(lr, h, mom, adam);
    }

    /**
     * The AdamW fallback's bias corrections at the parameter's own step t (the matrices' update does not
     * depend on the step count).
     */
    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k, long t, StepHyper groupStep) {
        Step s = (Step) groupStep;
        StepHyper.Adam a = s.adamw();
        Hyper h = g.hyper();
        StepHyper.Adam adam = StepHyper.Adam.forStep(a.lr(), h.adamwBeta1(), h.adamwBeta2(), h.adamwEps(),
                h.adamwWeightDecay(), true, false, false, t);
        return new Step(s.lr(), s.h(), s.momentum(), adam);
    }

    @Override
    protected void apply(StepHyper sh, Params p, StepState st, boolean fresh, int slot) {
        Step s = (Step) sh;
        NdArray w = p.param();
        if (w.rank() != 2) {
            OptimizerSteps.adam(s.adamw(), w, p.grad(), (AdamState) st);
            return;
        }
        int m = w.dim(0);
        int n = w.dim(1);
        NdArray[] t = scratch.computeIfAbsent(p, q -> {
            int r = Math.min(m, n);
            return new NdArray[] {NdArray.zeros(w.dtype(), m, n), NdArray.zeros(w.dtype(), m, n),
                NdArray.zeros(w.dtype(), r, r), NdArray.zeros(w.dtype(), r, r)};
        });
        NdArray x = t[0];
        NdArray y = t[1];
        zero(x);
        OptimizerSteps.qhm(s.momentum(), x, p.grad(), (SgdState) st);
        Hyper h = s.h();
        NdArray xv = x.reshape(m * n);
        double norm = backend.blas1().nrm2(xv);
        backend.blas1().scal(1 / Math.max(norm, h.eps()), xv);
        boolean tall = m > n;
        NdArray a = t[2];
        NdArray b = t[3];
        for (int j = 0; j < h.nsSteps(); j++) {
            if (tall) {
                // The transpose of A = X Xᵀ; B = b_ns A + c_ns A A; Y = a X + B X for X = Wᵀ-shaped: with B
                // symmetric, A = XᵀX and Y = a X + X B in W's orientation give the same bits, contiguously.
                backend.gemm().gemm(true, false, 1, x, x, 0, a);
                backend.blas1().copy(a, b);
                backend.gemm().gemm(false, false, h.nsC(), a, a, h.nsB(), b);
                backend.blas1().copy(x, y);
                backend.gemm().gemm(false, false, 1, x, b, h.nsA(), y);
            } else {
                // A = X Xᵀ; B = b_ns A + c_ns A A; Y = a X + B X
                backend.gemm().gemm(false, true, 1, x, x, 0, a);
                backend.blas1().copy(a, b);
                backend.gemm().gemm(false, false, h.nsC(), a, a, h.nsB(), b);
                backend.blas1().copy(x, y);
                backend.gemm().gemm(false, false, 1, b, x, h.nsA(), y);
            }
            NdArray swap = x;
            x = y;
            y = swap;
        }
        NdArray wv = w.reshape(m * n);
        backend.blas1().scal(1 - s.lr() * h.weightDecay(), wv);
        backend.blas1().axpy(-adjustedLr(s.lr(), h.adjustLr(), m, n), x.reshape(m * n), wv);
    }

    /**
     * PyTorch's {@code _adjust_lr} for an m×n matrix.
     *
     * @param lr the learning rate before adjustment
     * @param adjust which adjustment to apply
     * @param m the matrix's rows; &ge; 1
     * @param n the matrix's columns; &ge; 1
     * @return the adjusted learning rate lr'
     */
    public static double adjustedLr(double lr, LrAdjustment adjust, int m, int n) {
        return switch (adjust) {
            case ORIGINAL -> lr * Math.sqrt(Math.max(1, (double) m / n));
            case MATCH_RMS_ADAMW -> 0.2 * lr * Math.sqrt(Math.max(m, n));
            case NONE -> lr;
        };
    }

    private static void zero(NdArray a) {
        a.segment().asSlice(a.offset() * a.dtype().byteSize(), a.numel() * a.dtype().byteSize()).fill((byte) 0);
    }

    @Override
    public void close() {
        super.close();
        scratch.values().forEach(arr -> {
            for (NdArray a : arr) {
                a.close();
            }
        });
        scratch.clear();
    }
}
