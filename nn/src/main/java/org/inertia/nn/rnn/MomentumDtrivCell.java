package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;

/**
 * MomentumDTRIV (Nguyen, Baraniuk, Bertozzi, Osher, Wang 2020, "MomentumRNN: integrating momentum into recurrent
 * neural networks", NeurIPS, arXiv:2006.06919, §4; reference code {@code OrthogonalMomentumRNN}): the
 * {@link DtrivCell} with the MomentumRNN momentum state v on the input term,
 * <pre>
 *   v_t = μ v_{t−1} + s W_ih x_t,   h_t = modReLU(W h_{t−1} + v_t; b),   W = B·e^{A} orthogonal,
 * </pre>
 * v_0 = 0. The paper's PMNIST settings: μ = 0.6, s = 0.9 with N = 170 (K = 1); μ = s = 0.3 with N = 360 and
 * 512 (K = ∞).
 */
public final class MomentumDtrivCell extends DtrivCell {
    private final double mu;
    private final double s;

    /**
     * A {@link DtrivCell} drawn as there, with momentum μ and step s on the input term.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param mu         momentum μ in [0, 1)
     * @param s          step s &gt; 0, finite
     * @param k          change the base every k optimizer steps; 0 for never
     * @param init       the initialisation of A₀
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if μ or s is out of range, a size is below 1, {@code dtype} is not F32 or
     *                                  F64, or {@code k} &lt; 0
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public MomentumDtrivCell(int inputSize, int hiddenSize, double mu, double s, long k, SkewInit init, Dtype dtype,
                             RandomGenerator rnd) {
        Checks.unit("mu", mu);
        Checks.positive("s", s);
        super(inputSize, hiddenSize, k, init, dtype, rnd);
        this.mu = mu;
        this.s = s;
    }

    /**
     * The momentum μ of v_t = μ v_{t−1} + s W_ih x_t.
     *
     * @return μ in [0, 1)
     */
    public double mu() {
        return mu;
    }

    /**
     * The step s of v_t = μ v_{t−1} + s W_ih x_t.
     *
     * @return s &gt; 0
     */
    public double s() {
        return s;
    }

    @Override
    protected Tensor drive(Tensor u, CellState st) {
        return RecurrentOps.linComb(mu, st.v(), s, u);
    }

    @Override
    protected CellState next(Tensor h, Tensor d, CellState st) {
        return new CellState(h, null, d, null, st.step() + 1);
    }
}
