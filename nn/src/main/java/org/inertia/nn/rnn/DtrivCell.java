package org.inertia.nn.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.MatrixExp;
import org.inertia.nn.ops.ModRelu;

/**
 * An orthogonal RNN cell trained by dynamic trivialization, DTRIV (Lezcano-Casado 2019, "Trivializations for
 * gradient-based optimization on manifolds", NeurIPS; expRNN: Lezcano-Casado and Martínez-Rubio 2019, ICML):
 * <pre>
 *   h_t = modReLU(W_ih x_t + W h_{t−1}; b),   W = B · e^{A},   A = X_up − X_upᵀ (skew-symmetric),
 * </pre>
 * X_up the strictly upper triangle of the trained parameter X ({@code skew_hh}, [H, H]), B an orthogonal base
 * ({@code base_hh}, not trained), modReLU (Arjovsky et al. 2016) with bias b ({@code modrelu_bias}, [H]), and no
 * input bias ({@code weight_ih} [H, I] only). Since e^A is orthogonal for skew A, W stays exactly orthogonal
 * whatever the optimizer does to X: the gradient of the loss is taken w.r.t. X through the adjoint of the
 * differential of exp ({@link MatrixExp}), and an ordinary optimizer (RMSprop in the reference) steps X.
 *
 * <p><b>Dynamic trivialization.</b> Every K optimizer steps ({@link #afterOptimizerStep()}) the base moves to the
 * current point and X restarts at zero: B ← B·e^{A}, X ← 0 (the parameter's optimizer state is kept, as in the
 * reference code). K = 1 is Riemannian gradient descent with the exponential retraction; K = ∞ ({@code k = 0}
 * here) is expRNN, the static trivialization. As in the reference code's first forward pass, the initial A
 * (Cayley or Henaff initialisation: 2×2 rotation blocks on the diagonal) is folded into the base at
 * construction, B = e^{A₀}, and X starts at zero. The reference code also projects B back onto the orthogonal
 * group (by an SVD) every 100 changes of base, against float32 drift; here B and every product with e^A are
 * kept in float64, so the drift stays at rounding level ({@code DtrivCellTest} checks ‖BᵀB − I‖) and no
 * projection is made. W is computed once per sequence ({@link #sequence}); {@link #step} alone recomputes it.
 *
 * <p>{@link MomentumDtrivCell} adds the MomentumRNN momentum state (Nguyen et al. 2020, MomentumDTRIV).
 */
public class DtrivCell extends RecurrentCell {
    /** Initialisations of the skew-symmetric A₀: 2×2 blocks [[0, θ_i], [−θ_i, 0]] on the diagonal. */
    public enum SkewInit {
        /** θ_i = −tan(s_i/2), s_i ~ U(0, π/2) (expRNN's {@code cayley_init_}, its default). */
        CAYLEY,
        /** θ_i ~ U(−π, π) (Henaff, Szlam, LeCun 2016; expRNN's {@code henaff_init_}). */
        HENAFF
    }

    private final long k;
    private final Tensor skew;
    private final Tensor modreluBias;
    private final NdArray base;
    private final NdArray clock;

    /**
     * A cell of {@code dtype} drawn from {@code rnd}: W_ih ~ N(0, 2/I) (the reference's {@code kaiming_normal_}),
     * the base B = e^{A₀} with A₀ drawn by {@code init}, X = 0, and the modReLU bias b ~ U(−0.01, 0.01).
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features (an odd H leaves A₀'s last row and column zero)
     * @param k          change the base every k optimizer steps; 0 for never (K = ∞, expRNN)
     * @param init       the initialisation of A₀
     * @param dtype      the parameters' element type, F32 or F64 (B is float64 either way)
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if a size is below 1, {@code dtype} is not F32 or F64, or {@code k} &lt; 0
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public DtrivCell(int inputSize, int hiddenSize, long k, SkewInit init, Dtype dtype, RandomGenerator rnd) {
        super(inputSize, hiddenSize, dtype, kaimingNormal(dtype, rnd, hiddenSize, inputSize));
        if (k < 0) {
            throw new IllegalArgumentException("k (steps between changes of base; 0 = never) must be >= 0, got " + k);
        }
        java.util.Objects.requireNonNull(init, "init");
        this.k = k;
        int n = hiddenSize;
        double[] a0 = new double[n * n];
        for (int i = 0; i + 1 < n; i += 2) {
            double theta = init == SkewInit.CAYLEY ? -Math.tan(rnd.nextDouble() * Math.PI / 4)
                    : (rnd.nextDouble() * 2 - 1) * Math.PI;
            a0[i * n + i + 1] = theta;
            a0[(i + 1) * n + i] = -theta;
        }
        NdArray b = NdArray.zeros(Dtype.F64, n, n);
        b.copyFrom(MatrixExp.compute(a0, null, n).exp());
        this.base = buffer("base_hh", b);
        this.clock = buffer("rebase_clock", NdArray.zeros(Dtype.F64, 1));
        this.skew = parameter("skew_hh", Tensor.parameter(NdArray.zeros(dtype, n, n)));
        NdArray mb = NdArray.zeros(dtype, n);
        mb.forEachOffset(o -> mb.setAtOffset(o, (rnd.nextDouble() * 2 - 1) * 0.01));
        this.modreluBias = parameter("modrelu_bias", Tensor.parameter(mb));
    }

    /** kaiming_normal_(nonlinearity = "relu") of the reference code: N(0, 2/fan_in), fan_in = I. */
    private static NdArray kaimingNormal(Dtype dt, RandomGenerator rnd, int rows, int cols) {
        NdArray a = NdArray.zeros(dt, rows, cols);
        double std = Math.sqrt(2.0 / cols);
        a.forEachOffset(o -> a.setAtOffset(o, std * rnd.nextGaussian()));
        return a;
    }

    /**
     * The parameter X whose strictly upper triangle gives A (the "orthogonal" group of the reference optimizer).
     *
     * @return the parameter {@code skew_hh} [H, H], owned by the cell
     */
    public Tensor skew() {
        return skew;
    }

    /**
     * The modReLU bias b [H] ({@code modrelu_bias}).
     *
     * @return the bias parameter [H], owned by the cell
     */
    public Tensor modreluBias() {
        return modreluBias;
    }

    /**
     * The base B (float64, live).
     *
     * @return the buffer {@code base_hh} [H, H], F64, owned by the cell and changed by {@link #rebase()}
     */
    public NdArray base() {
        return base;
    }

    /**
     * Steps between changes of base; 0 = never.
     *
     * @return K ≥ 0, 0 for K = ∞
     */
    public long k() {
        return k;
    }

    /**
     * W = B·e^{A(X)}, recorded for backward w.r.t. X.
     *
     * @return W [H, H] in the cell's dtype: a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public Tensor recurrentWeight() {
        return orthogonal(skew, base);
    }

    /**
     * The input term of step t from the projected input u = W_ih x_t and the state: u here, v' in the momentum cell.
     *
     * @param u  the projected input W_ih x_t [B, H]
     * @param st the state before the step
     * @return the term [B, H] added to W h_{t−1} before modReLU
     */
    protected Tensor drive(Tensor u, CellState st) {
        return u;
    }

    /**
     * The state after a step with drive {@code d} and new hidden state {@code h}.
     *
     * @param h  the new hidden state h_t [B, H]
     * @param d  this step's drive, from {@link #drive} [B, H]
     * @param st the state before the step
     * @return the state after the step, step count + 1 (here h_t alone; the momentum cell keeps d as v_t)
     */
    protected CellState next(Tensor h, Tensor d, CellState st) {
        return new CellState(h, null, null, null, st.step() + 1);
    }

    /** One step with the recurrent weight already computed. */
    private CellState step(Tensor u, CellState st, Tensor w) {
        Tensor d = drive(u, st);
        Tensor h = ModRelu.apply(RecurrentOps.affine(d, st.h(), w, null), modreluBias);
        return next(h, d, st);
    }

    /** One step; computes W = B·e^A (use {@link #sequence} to compute it once for a whole sequence). */
    @Override
    public CellState step(Tensor u, CellState st) {
        return step(u, st, recurrentWeight());
    }

    /** The whole sequence with W computed once: one GEMM projects the inputs, then the recurrence step by step. */
    @Override
    public Sequence sequence(Tensor x, CellState initial) {
        checkSequence(x);
        Projection proj = Projection.of(x, weightIh, null);
        Tensor w = recurrentWeight();
        CellState s = initial;
        List<Tensor> hs = new ArrayList<>(proj.steps());
        for (int t = 0; t < proj.steps(); t++) {
            s = step(proj.step(t), s, w);
            hs.add(s.h());
        }
        return new Sequence(RecurrentOps.stackSteps(hs), s);
    }

    /**
     * Call after every optimizer step: every k-th call (k &gt; 0) changes the base, B ← B·e^{A}, X ← 0. The
     * count is the buffer {@code rebase_clock}, so it resumes from a checkpoint.
     */
    public void afterOptimizerStep() {
        long c = (long) clock.getAtOffset(clock.offset()) + 1;
        if (k > 0 && c >= k) {
            rebase();
            c = 0;
        }
        clock.setAtOffset(clock.offset(), c);
    }

    /** B ← B·e^{A(X)} in float64, then X ← 0: W is unchanged, and A restarts at the origin of the new base. */
    public void rebase() {
        int n = hiddenSize;
        double[] a = skewOf(skew.data().toDoubleArray(), n);
        base.copyFrom(MatrixExp.multiply(base.toDoubleArray(), MatrixExp.compute(a, null, n).exp(), n));
        NdArray x = skew.data();
        x.forEachOffset(o -> x.setAtOffset(o, 0));
    }

    /** A = X_up − X_upᵀ, X_up the strictly upper triangle of row-major n×n X. */
    static double[] skewOf(double[] x, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                a[i * n + j] = x[i * n + j];
                a[j * n + i] = -x[i * n + j];
            }
        }
        return a;
    }

    /**
     * W = B·e^{A}, A = X_up − X_upᵀ, as one autograd op (computed in float64, W rounded to X's dtype). Backward,
     * for G = ∂ℓ/∂W: ∂ℓ/∂e^A = Bᵀ G, ∂ℓ/∂A = L(Aᵀ, Bᵀ G) = L(−A, Bᵀ G) (the adjoint of exp's differential,
     * {@link MatrixExp}), and ∂ℓ/∂X_ij = (∂ℓ/∂A)_ij − (∂ℓ/∂A)_ji for i &lt; j, 0 on and below the diagonal.
     *
     * @param x the parameter X [n, n]; only its strictly upper triangle is used
     * @param b the base B [n, n], read as float64 now (its later changes do not affect backward)
     * @return W [n, n] in {@code x}'s dtype: a new tensor, owned by the current {@code TensorScope}
     *         (else by the caller)
     * @throws IllegalArgumentException if X is not square or B is not [n, n] like X
     * @throws IllegalStateException if {@code x} is closed
     */
    public static Tensor orthogonal(Tensor x, NdArray b) {
        Tensor.requireOpen("orthogonal", "x", x);
        if (x.shape().rank() != 2 || x.shape().dim(0) != x.shape().dim(1)) {
            throw new IllegalArgumentException("orthogonal: x must be square [n, n], got " + x.shape());
        }
        int n = x.shape().dim(0);
        if (b.rank() != 2 || b.dim(0) != n || b.dim(1) != n) {
            throw new IllegalArgumentException("orthogonal: the base must be [" + n + ", " + n + "] like x, got " + b.shape());
        }
        double[] a = skewOf(x.data().toDoubleArray(), n);
        double[] bv = b.toDoubleArray();
        double[] w = MatrixExp.multiply(bv, MatrixExp.compute(a, null, n).exp(), n);
        NdArray out = NdArray.zeros(x.dtype(), n, n);
        out.copyFrom(w);
        return Tensor.result(out, x.backend(), new Node(x) {
            @Override
            public String name() {
                return "orthogonal";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (!sink.wants(0)) {
                    return;
                }
                double[] ge = MatrixExp.multiply(MatrixExp.transposed(bv, n), g.toDoubleArray(), n);
                double[] ga = MatrixExp.compute(MatrixExp.transposed(a, n), ge, n).frechet();
                double[] gx = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        gx[i * n + j] = ga[i * n + j] - ga[j * n + i];
                    }
                }
                NdArray out = NdArray.zeros(g.dtype(), n, n);
                out.copyFrom(gx);
                sink.accept(0, out);
            }
        });
    }
}
